"""A notification goes out in the language the citizen used, whatever language the staff member works in."""

import pytest
from django.utils import translation
from django.utils.translation import gettext_lazy

from portal.notifications import services


@pytest.mark.parametrize(("given", "active", "expected"), [
    ("en", "th", "en"), ("en-us", "th", "en"), ("EN", "th", "en"), ("th", "en", "th"),
    ("", "en", "en"), (None, "en", "en"), ("fr", "en", "en"), ("fr", "de", "th"),
])
def test_citizen_language_is_one_the_portal_speaks(given, active, expected):
    with translation.override(active):
        assert services.citizen_language(given) == expected


@pytest.mark.django_db
def test_lazy_labels_render_in_the_citizens_language_not_the_active_one(org):
    status = gettext_lazy("กำลังดำเนินการ")
    with translation.override("th"):
        row = services.notify(organization=org, event="generic", channel="email", recipient="a@example.com",
                              context={"subject": status, "message": status}, language="en")
    assert row.language == "en" and row.subject == "in progress"
    with translation.override("en"):
        row = services.notify(organization=org, event="generic", channel="email", recipient="a@example.com",
                              context={"subject": status, "message": status})
    # No language recorded: Thai, the portal's default, not the language the staff member happens to use.
    assert row.language == "th" and row.subject == "กำลังดำเนินการ"


@pytest.mark.django_db
def test_one_template_with_translate_tags_serves_every_language(org, settings, tmp_path):
    folder = tmp_path / "notifications"
    folder.mkdir()
    (folder / "one_template.txt").write_text(
        '{% load i18n %}{% translate "กำลังดำเนินการ" %}\n{{ code }}', encoding="utf-8")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    assert services.render_message("one_template", "en", {"code": "KY-1"}) == ("in progress", "KY-1")
    assert services.render_message("one_template", "th", {"code": "KY-1"}) == ("กำลังดำเนินการ", "KY-1")
