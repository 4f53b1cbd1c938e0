"""English means English: every citizen page of the five services, rendered in English with the demo data, holds
no Thai but names (of people, organizations, their units and places) and addresses, and no page in either language
glues a Thai label to its English ("หมู่ที่ / village").

What may stay Thai is read from the demo data: the values of the fields that hold a name or an address (NAMES),
except a Thai field whose English twin is filled, since an English page shows the twin; and, until they get an English
twin, the free text listed in WRITTEN (what citizens typed, an organization's manuals, datasets and plans as written,
staff notes). Anything else Thai on an English page (a template's words, a message without its translation, a form's
choices or help text, office hours with no English) fails here."""

import re

import pytest
from django.apps import apps
from django.db import models
from django.test import Client

from tests.pages import demo_citizen_pages
from tests.portal.test_one_language import GLUED

pytestmark = pytest.mark.django_db

# Where a name of a person, an organization, a unit or a place, or an address, is kept: the Thai an English page may
# show. "model": "fields"; a JSON field is followed by the keys of its dicts that hold one (an address answer's parts).
NAMES = {
    "portal.organization": "name_th subdistrict district province address",
    "portal.department": "name_th",
    "portal.directoryentry": "name_th subdistrict district province",
    "eservice.queue": "name_th location",
    "eservice.booking": "name ticket",  # the ticket is a code: the queue's Thai letter and a number ("ก-001")
    "eservice.servicerequest": "applicant_name answers:line,subdistrict,district,province",
    "complaints.complaint": "address village contact_name",
    "complaints.asset": "name village",  # a landmark ("หอกระจายข่าว หมู่ 3")
    "taxpay.owner": "name address",
    "taxpay.parcel": "location",
    "taxpay.signboard": "location",
    "taxpay.taxsettings": "payee_name",
    "innovation_plans.committeemember": "name",
    "opendata.dataset": "maintainer",
}
# Free text that has no English yet: what citizens typed (a complaint, the answers to a request's text fields), an
# organization's own documents as they were written (a service's manual, its published datasets, its innovation
# plan) and the notes staff write on a request or a complaint. Each is shown as written until it gets an English
# twin; anything not listed here or above (a form's choices or help text, office hours, a template's words) fails.
WRITTEN = {
    "eservice.servicerequest": "answers",
    "eservice.requestevent": "message",
    "complaints.complaint": "description",
    "complaints.complaintupdate": "message",
    "opendata.*": "",
    "innovation_plans.*": "",
}
# The one Thai word of every English page: the language switch's way back, in its own language.
SWITCH = "ไทย"
# A Thai phrase: Thai letters, with the spaces and dots between them ("ธ.ค.", "พ.ศ.") and Thai digits.
THAI_PHRASE = re.compile(r"[\u0e01-\u0e5b]+(?:[ .\u00a0]+[\u0e01-\u0e5b]+)*\.?")
ATTRIBUTES = re.compile(r'\b(?:placeholder|title|aria-label|alt)="([^"]*)"')


def _strings(value, out, keys):
    """The strings of `value` kept under one of `keys` (in a dict, at any depth), or all of them (keys=None)."""
    if isinstance(value, str):
        if keys is None:
            out.append(value)
    elif isinstance(value, dict):
        for k, v in value.items():
            _strings(v, out, None if keys is None or k in keys else keys)
    elif isinstance(value, list):
        for v in value:
            _strings(v, out, keys)


def _specs(table):
    for label, spec in table.items():
        app, _dot, name = label.partition(".")
        if name != "*":
            yield apps.get_model(label), spec
            continue
        for model in apps.get_app_config(app).get_models():
            yield model, " ".join(f.attname for f in model._meta.concrete_fields
                                  if isinstance(f, (models.CharField, models.TextField, models.JSONField)))


def data_text(tables=(NAMES, WRITTEN)) -> list[str]:
    """Every Thai text the demo rows hold in the fields of `tables` (each value, and each line of a value written on
    several lines), longest first. A Thai field whose English twin is filled is left out: an English page shows the
    twin."""
    out = [SWITCH]
    for table in tables:
        for model, spec in _specs(table):
            fields = dict(f.partition(":")[::2] for f in spec.split())
            if not fields:
                continue
            columns = {f.attname for f in model._meta.concrete_fields}
            twins = {f for f in fields if f.endswith("_th") and f[:-3] + "_en" in columns}
            for row in model._base_manager.values(*fields, *(f[:-3] + "_en" for f in twins)).iterator():
                for name, keys in fields.items():
                    if name in twins and row[name[:-3] + "_en"]:
                        continue
                    _strings(row[name], out, set(keys.split(",")) if keys else None)
    if NAMES in tables:
        from portal.models import Organization

        for organization in Organization.objects.all():  # the units it named for its own numbers ("งานป้องกันฯ")
            out += [label for label, _number in organization.emergency_list]
    values = set()
    for value in out:
        if THAI_PHRASE.search(value):
            values.add(value.strip())
            values.update(line.strip() for line in value.splitlines() if THAI_PHRASE.search(line))
    # A value of a letter or two would take those letters out of any word: such a value is shown with more around it
    # or not at all.
    return sorted((v for v in values if len(v) >= 3), key=len, reverse=True)


def visible_text(html: str) -> str:
    """The text a reader gets from the page: body text and the attributes read aloud or shown (placeholder,
    title, aria-label, alt). Scripts and styles are not text."""
    title = re.search(r"<title>(.*?)</title>", html, re.S)
    body = (title.group(1) if title else "") + "\n" + re.search(r"<body[^>]*>(.*)</body>", html, re.S).group(1)
    attributes = " \n".join(ATTRIBUTES.findall(body))
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    body = re.sub(r"<[^>]+>", "\n", body)
    return re.sub(r"&nbsp;", " ", body) + "\n" + attributes


def thai_outside_data(text: str, allowed: list[str]) -> list[str]:
    """The Thai phrases of `text` left once every stored value is taken out of each line (a whole value, not a
    word of one: a Thai label does not pass because some description happens to contain it). A line cut short
    with "…" passes when it begins a stored value."""
    found = set()
    for line in text.splitlines():
        if not THAI_PHRASE.search(line):
            continue
        rest = line
        for value in allowed:
            if len(value) <= len(rest) and value in rest:
                rest = rest.replace(value, " ")
        cut = rest.strip()
        if cut.endswith("…") and any(value.startswith(cut[:-1].strip()) for value in allowed):
            continue
        found.update(THAI_PHRASE.findall(rest))
    return sorted(found)


def test_the_scan_finds_thai_ui_text_and_lets_names_pass():
    allowed = ["บ้านเลขที่ 9 หมู่ 3 ตำบลคำใหญ่", "สมชาย ใจดี", "หมู่ 3"]
    assert thai_outside_data("Applicant: สมชาย ใจดี, Village: หมู่ 3", allowed) == []
    assert thai_outside_data("Status: รับเรื่องแล้ว", allowed) == ["รับเรื่องแล้ว"]
    assert thai_outside_data("Filed 8 ธ.ค. 2569", allowed) == ["ธ.ค."]  # a Thai month on an English page
    assert thai_outside_data("Page ๑", allowed) == ["๑"]
    assert thai_outside_data(visible_text('<body><input placeholder="ค้นหา"></body>'), allowed) == ["ค้นหา"]


def _english_pages(client, pages, bill):
    """(name, html) of every citizen page of the demo organization, in English, plus the pages only a requester
    or a taxpayer reaches (the e-service request with its private link, the tax bill after its lookup)."""
    from eservice.models import ServiceRequest

    client.cookies["django_language"] = "en"
    for name, path in pages:
        response = client.get(path, follow=True)
        assert response.status_code == (404 if name == "not-found" else 200), (name, path, response.status_code)
        yield name, response.content.decode()
    request_obj = ServiceRequest.objects.filter(organization__slug="khamyai").first()
    response = client.get(f"/khamyai/eservice/track/{request_obj.tracking_code}/", {"k": request_obj.access_key},
                          follow=True)
    yield "eservice-track-private", response.content.decode()
    response = client.post("/khamyai/tax/", {"number": bill[0], "id_last4": bill[1]}, follow=True)
    assert response.status_code == 200
    yield "tax-bill", response.content.decode()


def test_english_pages_hold_no_thai_outside_names_and_thai_pages_glue_no_english():
    """Both languages on one demo load: English pages hold no Thai outside the organization's own data and glue
    no Thai/English pairs; Thai pages glue no English to their labels."""
    pages, bill = demo_citizen_pages()
    problems = []
    english = list(_english_pages(Client(), pages, bill))
    allowed = data_text()
    for name, html in english:
        text = visible_text(html)
        for phrase in thai_outside_data(text, allowed):
            problems.append(f"{name} (en): {phrase}")
        for glued in GLUED.finditer(text):
            problems.append(f"{name} (en): glued {glued.group(0)[:60]!r}")
    assert len(english) >= 25
    client = Client()
    for name, path in pages:
        client.cookies["django_language"] = "th"
        text = visible_text(client.get(path, follow=True).content.decode())
        problems += [f"{name} (th): glued {m.group(0)[:60]!r}" for m in GLUED.finditer(text)]
    assert problems == [], f"{len(problems)} problems:\n" + "\n".join(problems)
