"""A form's choices and help text in the page's language: the English the clerk typed in the builder on an English
page, the Thai on a Thai page, and the Thai on an English page when a choice has no English (old forms keep working)."""

import re

import pytest
from django.urls import reverse

from eservice.models import FieldKind, FormField, ServiceType
from eservice.requests import selectors
from eservice.requests import services as request_services
from eservice.requests.selectors import display_value
from portal.models import Role
from tests.portal.factories import staff

pytestmark = pytest.mark.django_db


def _form_page(client, org, service_type, language):
    client.cookies["django_language"] = language
    response = client.get(reverse("eservice:form", args=[org.slug, service_type.code]))
    assert response.status_code == 200
    return response.content.decode()


def test_catalogue_choices_show_english_on_an_english_page_and_thai_on_a_thai_page(client, org):
    service_type = request_services.create_from_template(organization=org, template_key="tap-water-connection")
    english = _form_page(client, org, service_type, "en")
    assert "1/2 inch" in english and "3/4 inch" in english and "นิ้ว" not in english
    thai = _form_page(client, org, service_type, "th")
    assert "1/2 นิ้ว" in thai and "inch" not in thai


def test_a_choice_without_english_shows_its_thai_on_an_english_page(client, org):
    service_type = request_services.create_from_template(organization=org, template_key="tap-water-connection",
                                                         publish=False)
    field = service_type.fields.get(code="meter_size")
    field.choices = "half|1/2 นิ้ว|1/2 inch\nthree-quarter|3/4 นิ้ว\none|1 นิ้ว"  # the last two as stored before
    field.save()
    request_services.publish_version(service_type=service_type)
    english = _form_page(client, org, service_type, "en")
    shown = re.findall(r'name="f_meter_size_0"[^>]*>\s*([^<]+?)\s*</label>', english)
    assert shown == ["1/2 inch", "3/4 นิ้ว", "1 นิ้ว"]
    # A version published before choices had English (no "choices_en") reads as it always did.
    old = {"code": "meter_size", "kind": "choice", "choices": [["half", "1/2 นิ้ว"]]}
    from django.utils import translation

    with translation.override("en"):
        assert display_value(old, {"value": "half"}) == "1/2 นิ้ว"
        assert display_value(old | {"choices_en": {"half": "1/2 inch"}}, {"value": "half"}) == "1/2 inch"


def test_the_clerk_types_english_choices_and_help_in_the_builder(client, org):
    client.force_login(staff(org, Role.ADMINISTRATOR))
    service_type = request_services.create_from_template(organization=org, template_key="general-request",
                                                         publish=False)
    url = reverse("admin:eservice_servicetype_builder", args=[service_type.pk])
    client.post(url, {"op": "add", "label_th": "ขนาดท่อ", "kind": FieldKind.CHOICE})
    pipe = FormField.objects.get(service_type=service_type, label_th="ขนาดท่อ")
    p = f"f{pipe.pk}"
    page = client.get(url).content.decode()
    assert f'name="{p}-choice_en"' in page and f'name="{p}-help_en"' in page
    response = client.post(url, {"op": "save", "field": pipe.pk, f"{p}-label_th": "ขนาดท่อ", f"{p}-label_en": "Pipe size",
                                 f"{p}-kind": FieldKind.CHOICE, f"{p}-help_th": "ถ้าไม่แน่ใจให้เลือก ½ นิ้ว",
                                 f"{p}-help_en": "Not sure? Pick ½ inch",
                                 f"{p}-choice": ["½ นิ้ว", "¾ นิ้ว", ""], f"{p}-choice_en": ["½ inch", "", ""]})
    assert response.status_code == 302
    pipe.refresh_from_db()
    assert pipe.choice_rows()[0][1:] == ("½ นิ้ว", "½ inch") and pipe.choice_rows()[1][1:] == ("¾ นิ้ว", "")
    assert pipe.help_en == "Not sure? Pick ½ inch"
    assert 'value="½ inch"' in client.get(url).content.decode()  # shown again beside its Thai
    client.post(url, {"op": "publish"})
    service_type = ServiceType.objects.get(pk=service_type.pk)
    english = _form_page(client, org, service_type, "en")
    assert "½ inch" in english and "¾ นิ้ว" in english and "Not sure? Pick ½ inch" in english
    thai = _form_page(client, org, service_type, "th")
    assert "½ นิ้ว" in thai and "ถ้าไม่แน่ใจให้เลือก ½ นิ้ว" in thai and "inch" not in thai
    # Giving the second choice its English is a change of the draft, listed before publishing.
    client.post(url, {"op": "save", "field": pipe.pk, f"{p}-label_th": "ขนาดท่อ", f"{p}-kind": FieldKind.CHOICE,
                      f"{p}-label_en": "Pipe size", f"{p}-help_th": "ถ้าไม่แน่ใจให้เลือก ½ นิ้ว",
                      f"{p}-help_en": "Not sure? Pick ½ inch",
                      f"{p}-choice": ["½ นิ้ว", "¾ นิ้ว"], f"{p}-choice_en": ["½ inch", "¾ inch"]})
    assert any("ตัวเลือกภาษาอังกฤษ" in line for line in selectors.draft_changes(service_type))
