"""A notification goes out in the language the citizen used, whatever language the staff member works in."""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.utils import translation
from django.utils.translation import gettext_lazy

from portal.models import Notification
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


# --- the same guarantees for every app that notifies citizens -----------------------------------------------------

@dataclass
class Notifier:
    file: Callable  # (org, **extra) -> a filed case that asked for SMS updates
    change: Callable  # (case) -> a status change that notifies
    status_event: str
    said_in_english: str
    said_in_thai: str
    officer_role: str
    by_staff: object  # officer -> what filing for a citizen adds (the officer under the service's own name, a channel)


def _complaints():
    from complaints import services as complaint_services
    from tests.complaints.factories import make_complaint

    return Notifier(
        file=lambda org, **extra: make_complaint(org, contact_phone="0812345678", notify_channel="sms",
                                                 pdpa_consent=True, **extra),
        change=lambda case: complaint_services.change_status(complaint=case, to_status="accepted"),
        status_event="complaint_status", said_in_english='changed to "accepted"',
        said_in_thai="“รับเรื่องไว้พิจารณา”", officer_role="complaint_officer",
        by_staff=lambda officer: {"filed_by": officer})


def _eservice():
    from eservice.requests import services as eservice_services
    from tests.eservice.factories import make_request

    return Notifier(
        file=lambda org, **extra: make_request(org, phone="0812345678", notify_channel="sms", **extra),
        change=lambda case: eservice_services.change_status(request_obj=case, to_status="checking"),
        status_event="eservice_status", said_in_english='changed to "Checking"',
        said_in_thai="เปลี่ยนเป็น กำลังตรวจสอบ", officer_role="officer",
        by_staff=lambda officer: {"actor": officer, "channel": "counter"})


NOTIFIERS = [pytest.param(_complaints, id="complaints"), pytest.param(_eservice, id="eservice")]


@pytest.mark.django_db
@pytest.mark.parametrize("notifier", NOTIFIERS)
def test_filed_in_english_told_in_english_even_by_thai_staff(org, notifier):
    app = notifier()
    with translation.override("en"):
        case = app.file(org)
    assert case.language == "en"
    with translation.override("th"):
        app.change(case)
    received, status = Notification.objects.filter(related_id=str(case.pk)).order_by("pk")
    assert received.language == status.language == "en"
    assert "received" in received.subject and app.said_in_english in status.body, status.body


@pytest.mark.django_db
@pytest.mark.parametrize("notifier", NOTIFIERS)
def test_filed_in_thai_told_in_thai_even_by_english_staff(org, notifier):
    app = notifier()
    case = app.file(org)
    assert case.language == "th"
    with translation.override("en"):
        app.change(case)
    status = Notification.objects.get(event=app.status_event)
    assert status.language == "th" and app.said_in_thai in status.body, status.body


@pytest.mark.django_db
@pytest.mark.parametrize("notifier", NOTIFIERS)
def test_staff_filing_for_a_citizen_default_to_thai(org, notifier):
    from tests.portal.factories import staff

    app = notifier()
    officer = staff(org, app.officer_role)
    with translation.override("en"):
        for_someone = app.file(org, **app.by_staff(officer))
        asked = app.file(org, language="en", **app.by_staff(officer))
    assert for_someone.language == "th" and asked.language == "en"
