"""Secrets an organization enters (the bank-callback HMAC key, the LINE channel secret and access token) are sealed
at rest by their model field and never readable back: not in any table (the audit log included), not on any admin
page an auditor can open, not on the editing page itself, not in an error report."""

import json
import re

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import Client, RequestFactory
from django.urls import reverse
from django.views.debug import SafeExceptionReporterFilter

from portal.models import Organization, Role
from portal.outputs.crypto import PREFIX
from portal.services import save_row
from taxpay.models import TaxSettings
from tests.portal.factories import staff

pytestmark = pytest.mark.django_db

# One distinct value per path and field, so a finding names the path that leaked it.
SECRETS = {
    "admin": {"callback_secret": "cb-admin-Q7w9Zt3x", "line_channel_secret": "line-admin-Hk28sPq1",
              "line_channel_access_token": "token-admin-Vb61nRy0"},
    "service": {"callback_secret": "cb-service-Lm45Ju8c", "line_channel_secret": "line-service-Dz92wQe7",
                "line_channel_access_token": "token-service-Xa13kTo5"},
    "plain": {"callback_secret": "cb-plain-Rf70gHs2", "line_channel_secret": "line-plain-Ne36yWu4",
              "line_channel_access_token": "token-plain-Pc58vJb9"},
}
ALL = [value for values in SECRETS.values() for value in values.values()]


def _admin_post(client, url, changes):
    """Submit an admin change form as a browser would: every field of the page as rendered, plus `changes`."""
    page = client.get(url)
    assert page.status_code == 200, url
    html = page.content.decode()
    data = {}
    for tag in re.findall(r"<(?:input|select|textarea)[^>]*>", html):
        name = re.search(r'name="([^"]+)"', tag)
        if not name or name.group(1) in data:
            continue
        kind = re.search(r'type="([^"]+)"', tag)
        if kind and kind.group(1) in ("submit", "button", "file"):
            continue
        if kind and kind.group(1) == "checkbox":
            if "checked" in tag:
                data[name.group(1)] = "on"
            continue
        value = re.search(r'value="([^"]*)"', tag)
        data[name.group(1)] = value.group(1) if value else ""
    for select in re.finditer(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        chosen = re.search(r'<option value="([^"]*)"[^>]*selected', select.group(2))
        data[select.group(1)] = chosen.group(1) if chosen else ""
    for area in re.finditer(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', html, re.S):
        data[area.group(1)] = area.group(2).strip()
    data.update(changes)
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    return response


@pytest.fixture
def written(org, other_org):
    """Known secrets written through every path: the admin form, a service, a plain model save."""
    admin = staff(org, Role.ADMINISTRATOR)
    client = Client()
    client.force_login(admin)
    # admin: the organization's own page and a new tax-settings row
    _admin_post(client, reverse("admin:portal_organization_change", args=[org.pk]),
                {"line_channel_secret": SECRETS["admin"]["line_channel_secret"],
                 "line_channel_access_token": SECRETS["admin"]["line_channel_access_token"]})
    row = TaxSettings.objects.create(organization=org)  # administrators change it; the row comes with set-up
    _admin_post(client, reverse("admin:taxpay_taxsettings_change", args=[row.pk]),
                {"callback_secret": SECRETS["admin"]["callback_secret"]})
    # service: the save every staff edit of reference data goes through
    other_admin = staff(other_org, Role.ADMINISTRATOR)
    other_org.line_channel_secret = SECRETS["service"]["line_channel_secret"]
    other_org.line_channel_access_token = SECRETS["service"]["line_channel_access_token"]
    save_row(obj=other_org, actor=other_admin, changed=["line_channel_secret", "line_channel_access_token"])
    row = TaxSettings(organization=other_org, callback_secret=SECRETS["service"]["callback_secret"])
    save_row(obj=row, actor=other_admin, changed=["callback_secret"])
    # plain model save, outside any service
    third = Organization.objects.create(slug="third", name_th="อบต.ที่สาม", code_prefix="TH",
                                        line_channel_secret=SECRETS["plain"]["line_channel_secret"],
                                        line_channel_access_token=SECRETS["plain"]["line_channel_access_token"])
    TaxSettings.objects.create(organization=third, callback_secret=SECRETS["plain"]["callback_secret"])
    return {"org": org, "other": other_org, "third": third, "admin": admin}


def every_cell(database=connection):
    with database.cursor() as cursor:
        for table in database.introspection.table_names():
            cursor.execute(f"SELECT * FROM {database.ops.quote_name(table)}")
            for row in cursor.fetchall():
                for cell in row:
                    if isinstance(cell, dict | list):
                        cell = json.dumps(cell, ensure_ascii=False)
                    elif isinstance(cell, bytes | memoryview):
                        cell = bytes(cell).decode("utf-8", "replace")
                    yield table, str(cell)


def test_no_table_holds_a_secret_in_clear(written):
    found = sorted({(table, secret) for table, cell in every_cell() for secret in ALL if secret in cell})
    assert found == []
    # ...and the code that needs them still reads them back
    org = Organization.objects.get(pk=written["org"].pk)
    assert org.line_channel_secret == SECRETS["admin"]["line_channel_secret"]
    assert TaxSettings.objects.get(organization=written["other"]).callback_secret == SECRETS["service"]["callback_secret"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT callback_secret FROM taxpay_taxsettings")
        assert all(value.startswith(PREFIX) for (value,) in cursor.fetchall())


def test_the_audit_log_says_the_secret_changed_not_what_it_is(written):
    rows = LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(TaxSettings))
    assert rows.exists()
    changed = [row for row in rows if "callback_secret" in (row.changes or {})]
    assert changed, "the change of a secret is still recorded"
    for row in changed:
        assert row.changes["callback_secret"][1] not in ("", None)
        assert all(secret not in json.dumps(row.changes) for secret in ALL)


def _links(html):
    return set(re.findall(r'href="(/admin/[^"#?]*)"', html))


def test_no_admin_page_an_auditor_can_open_shows_a_secret(written):
    """Walk the admin as the organization's auditor (and as an auditor of every organization): the index, every
    list, every object page and every audit-log entry it links to."""
    org = written["org"]
    auditors = [staff(org, Role.AUDITOR)]
    for other in (written["other"], written["third"]):
        from portal.models import Membership

        Membership.objects.create(user=auditors[0], organization=other, role=Role.AUDITOR)
    client = Client()
    client.force_login(auditors[0])
    seen, todo, opened = set(), ["/admin/", "/admin/auditlog/logentry/"], 0
    while todo and opened < 400:
        url = todo.pop()
        if url in seen or "/logout/" in url or "/delete/" in url or "/password/" in url:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        opened += 1
        html = response.content.decode()
        leaked = [secret for secret in ALL if secret in html]
        assert leaked == [], f"{url} shows {leaked}"
        todo.extend(_links(html) - seen)
    assert any(re.fullmatch(r"/admin/auditlog/logentry/\d+/change/", u) for u in seen)
    assert opened > 10


def test_the_editing_page_shows_set_or_not_set_and_a_replace_box(written):
    client = Client()
    client.force_login(written["admin"])
    row = TaxSettings.objects.get(organization=written["org"])
    url = reverse("admin:taxpay_taxsettings_change", args=[row.pk])
    html = client.get(url).content.decode()
    assert SECRETS["admin"]["callback_secret"] not in html
    assert "ตั้งค่าแล้ว" in html
    # leaving the box empty keeps the secret; typing replaces it
    _admin_post(client, url, {"callback_secret": ""})
    assert TaxSettings.objects.get(pk=row.pk).callback_secret == SECRETS["admin"]["callback_secret"]
    _admin_post(client, url, {"callback_secret": "cb-replaced-Ws84Lq0e"})
    assert TaxSettings.objects.get(pk=row.pk).callback_secret == "cb-replaced-Ws84Lq0e"
    org_html = client.get(reverse("admin:portal_organization_change", args=[written["org"].pk])).content.decode()
    assert SECRETS["admin"]["line_channel_access_token"] not in org_html


def test_error_reports_hide_the_secrets_posted():
    request = RequestFactory().post("/admin/taxpay/taxsettings/1/change/",
                                    {"callback_secret": "cb-error-Zp11", "line_channel_access_token": "tk-error-Zp12",
                                     "payee_name": "ชื่อ"})
    from django.conf import settings
    from django.utils.module_loading import import_string

    reporter = import_string(settings.DEFAULT_EXCEPTION_REPORTER_FILTER)()
    assert isinstance(reporter, SafeExceptionReporterFilter)
    posted = reporter.get_post_parameters(request)
    assert "cb-error-Zp11" not in str(posted) and "tk-error-Zp12" not in str(posted)
    assert posted["payee_name"] == "ชื่อ"


def test_every_model_field_named_like_a_secret_is_sealed():
    """A secret added later must use the sealed field: any field whose name says secret/token/password/api key."""
    from django.apps import apps

    from portal.outputs.crypto import SealedCharField

    pattern = re.compile(r"(secret|token|password|api_?key|credential)", re.I)
    allowed = {("auth", "user", "password"),  # a one-way hash
               # random ids of a citizen's own links, looked up by value: not credentials an organization enters
               ("complaints", "complaint", "rating_token"), ("complaints", "protectedcomplaint", "rating_token"),
               ("eservice", "booking", "token"),
               # a SHA-256 of an invitation link's secret: the link itself is never stored
               ("portal", "invitation", "token_hash")}
    unsealed = []
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            key = (model._meta.app_label, model._meta.model_name, field.name)
            if pattern.search(field.name) and key not in allowed and not isinstance(field, SealedCharField):
                unsealed.append(key)
    assert unsealed == []
