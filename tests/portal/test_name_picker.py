"""One Thai/English picker (portal.thai.localized): English on an English page when it is filled, else Thai."""

import pytest
from django.template import Context, Template
from django.utils import translation

from portal import thai
from portal.models import Department, Organization


@pytest.mark.parametrize(("language", "english", "shown"), [
    ("th", "Kham Yai", "คำใหญ่"), ("en", "Kham Yai", "Kham Yai"), ("en", "", "คำใหญ่")])
def test_models_dicts_and_templates_pick_one_language(language, english, shown):
    row = {"name_th": "คำใหญ่", "name_en": english, "label_th": "คำใหญ่", "label_en": english}
    with translation.override(language):
        assert thai.in_language("คำใหญ่", english) == shown
        assert thai.localized(row) == shown and thai.localized(row, "label") == shown
        assert Organization(name_th="คำใหญ่", name_en=english).name == shown
        assert Department(name_th="คำใหญ่", name_en=english).name == shown
        template = Template('{% load thai %}{{ row|in_language }}|{{ row|in_language:"label" }}')
        assert template.render(Context({"row": row})) == f"{shown}|{shown}"


def test_every_app_model_name_uses_the_picker():
    from complaints.models import Category
    from eservice.models import Queue, ServiceType
    from opendata.models import Group

    with translation.override("en"):
        assert [Category(name_th="ก", name_en="A").name, ServiceType(name_th="ก", name_en="A").name,
                Queue(name_th="ก", name_en="A").name, Group(title_th="ก", title_en="A").title] == ["A"] * 4
    with translation.override("th"):
        assert Category(name_th="ก", name_en="A").name == "ก"
