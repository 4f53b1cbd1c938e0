"""The form builder as an administrator uses it (test client, no script): a service started from a shipped
template stays a draft until published; fields are added from a label and a type, edited with choice rows, moved,
copied and removed; the preview is the citizen's page rendered from the draft; publishing lists what changed;
requests already filed keep their version; roll back publishes an earlier form again."""

import pytest
from django.urls import reverse

from eservice.models import FieldKind, FormField, ServiceType
from eservice.requests import services as request_services
from eservice.requests.builder import services as builder_services
from portal.models import Role
from tests.eservice.factories import make_request
from tests.portal.factories import staff

pytestmark = pytest.mark.django_db


def _builder(service_type):
    return reverse("admin:eservice_servicetype_builder", args=[service_type.pk])


def test_variable_names_come_from_the_thai_label():
    assert builder_services.variable_name("ที่อยู่ที่ขอติดตั้ง") == "thiyu_thi_kho_tittang"
    assert builder_services.variable_name("ขนาดท่อ", taken={"khanat_tho"}) == "khanat_tho_2"
    assert builder_services.variable_name("๑๒ จุด").startswith("f_12")


def test_build_publish_and_roll_back_from_a_template(client, org):
    admin_user = staff(org, Role.ADMINISTRATOR)
    client.force_login(admin_user)
    created = client.post(reverse("admin:eservice_servicetype_from_template"),
                          {"organization": org.pk, "template": "tap-water-connection"})
    service_type = ServiceType.objects.get(organization=org, code="tap-water-connection")
    assert created.status_code == 302 and created["Location"] == _builder(service_type)
    assert service_type.current_version is None  # a draft: citizens do not see it yet
    citizen_url = reverse("eservice:form", args=[org.slug, service_type.code])
    assert client.get(citizen_url).status_code == 404
    page = client.get(_builder(service_type)).content.decode()
    assert "เผยแพร่ครั้งแรก" in page and "ขนาดมาตรวัดน้ำ" in page
    assert "|" not in "".join(line for line in page.splitlines() if "choice" in line)  # rows, no pipe syntax
    assert '[&quot;officer&quot;]' not in page and '["officer"]' not in page

    # Add a field from its label and type only; the variable name is made from the label.
    url = _builder(service_type)
    assert client.post(url, {"op": "add", "label_th": "ขนาดท่อที่ต้องการ", "kind": FieldKind.CHOICE}).status_code == 302
    pipe = FormField.objects.get(service_type=service_type, label_th="ขนาดท่อที่ต้องการ")
    assert pipe.code == "khanat_tho_thi_tongkan"
    # Edit it: choices as rows of labels, required, help text, English label.
    p = f"f{pipe.pk}"
    client.post(url, {"op": "save", "field": pipe.pk, f"{p}-label_th": "ขนาดท่อที่ต้องการ",
                      f"{p}-label_en": "Pipe size", f"{p}-kind": FieldKind.CHOICE, f"{p}-required": "on",
                      f"{p}-help_th": "ถ้าไม่แน่ใจให้เลือก ½ นิ้ว", f"{p}-choice": ["½ นิ้ว", "¾ นิ้ว", ""]})
    pipe.refresh_from_db()
    assert pipe.required and [label for _code, label in pipe.choice_pairs()] == ["½ นิ้ว", "¾ นิ้ว"]
    # A choice field with no choices is refused with the reason, and what was typed stays on the page.
    refused = client.post(url, {"op": "save", "field": pipe.pk, f"{p}-label_th": "ขนาดท่อใหม่",
                                f"{p}-kind": FieldKind.CHOICE, f"{p}-choice": ["", ""]})
    assert refused.status_code == 400
    assert "ต้องมีตัวเลือกอย่างน้อยหนึ่งข้อ" in refused.content.decode()
    assert 'value="ขนาดท่อใหม่"' in refused.content.decode()
    # Move it up, copy it, remove the copy.
    last_before = list(service_type.fields.values_list("pk", flat=True))
    client.post(url, {"op": "up", "field": pipe.pk})
    order = list(service_type.fields.values_list("pk", flat=True))
    assert order.index(pipe.pk) == last_before.index(pipe.pk) - 1
    client.post(url, {"op": "duplicate", "field": pipe.pk})
    copy = service_type.fields.exclude(pk=pipe.pk).get(label_th="ขนาดท่อที่ต้องการ")
    assert copy.code == "khanat_tho_thi_tongkan_2"
    client.post(url, {"op": "remove", "field": copy.pk})
    assert not FormField.objects.filter(pk=copy.pk).exists()

    # The preview is the citizen's page from the draft, in Thai and in English.
    preview = reverse("admin:eservice_servicetype_preview", args=[service_type.pk])
    thai = client.get(preview)
    assert thai.status_code == 200 and "ขนาดท่อที่ต้องการ" in thai.content.decode()
    assert "½ นิ้ว" in thai.content.decode() and "เพิ่มช่อง" not in thai.content.decode()  # no staff notices
    assert thai.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert "Pipe size" in client.get(preview + "?lang=en").content.decode()

    # Publish: citizens get the form; a request filed now keeps its version.
    client.post(url, {"op": "publish"})
    service_type.refresh_from_db()
    assert service_type.current_version.number == 1
    form_page = client.get(citizen_url).content.decode()
    assert "ขนาดท่อที่ต้องการ" in form_page and "½ นิ้ว" in form_page
    filed = make_request(org, "tap-water-connection", answers={})
    assert filed.form_version.number == 1

    # A change, then the list of what changed before publishing.
    client.post(url, {"op": "remove", "field": pipe.pk})
    assert "ลบช่อง “ขนาดท่อที่ต้องการ”" in client.get(url).content.decode()
    client.post(url, {"op": "publish"})
    service_type.refresh_from_db()
    assert service_type.current_version.number == 2 and "ขนาดท่อที่ต้องการ" not in client.get(citizen_url).content.decode()
    filed.refresh_from_db()
    assert filed.form_version.number == 1  # requests already filed keep theirs

    # Roll back to version 1: published again as version 3.
    first = service_type.versions.get(number=1)
    client.post(url, {"op": "rollback", "version": first.pk})
    service_type.refresh_from_db()
    assert service_type.current_version.number == 3
    assert "ขนาดท่อที่ต้องการ" in client.get(citizen_url).content.decode()


def test_builder_is_scoped_and_needs_change_permission(client, org, other_org):
    mine = request_services.create_from_template(organization=org, template_key="general-request")
    theirs = request_services.create_from_template(organization=other_org, template_key="general-request")
    client.force_login(staff(org, Role.ADMINISTRATOR))
    assert client.get(_builder(theirs)).status_code == 404
    assert client.get(reverse("admin:eservice_servicetype_preview", args=[theirs.pk])).status_code == 404
    client.force_login(staff(org, Role.AUDITOR))
    assert client.get(_builder(mine)).status_code == 403
    assert client.post(_builder(mine), {"op": "publish"}).status_code == 403
