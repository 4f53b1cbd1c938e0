"""The working-day calendar every app counts deadlines on (portal.machinery.calendar), and complaint SLAs on it."""

import datetime as dt

import pytest
from django.utils import timezone

from portal import services
from portal.audit.trail import system
from portal.machinery import calendar
from portal.models import Holiday
from tests.complaints.factories import CategoryFactory, make_complaint


def test_weekends_are_skipped():
    friday = dt.date(2025, 10, 3)
    assert calendar.add_working_days(friday, 1, set()) == dt.date(2025, 10, 6)  # Monday
    assert calendar.add_working_days(friday, 5, set()) == dt.date(2025, 10, 10)


def test_holidays_are_skipped():
    # Chulalongkorn Day, Thursday 23 October 2025.
    wednesday = dt.date(2025, 10, 22)
    assert calendar.add_working_days(wednesday, 1, {dt.date(2025, 10, 23)}) == dt.date(2025, 10, 24)
    assert calendar.add_working_days(wednesday, 2, {dt.date(2025, 10, 23)}) == dt.date(2025, 10, 27)


@pytest.mark.django_db
def test_songkran_from_seeded_holidays():
    added = services.seed_holidays(years=[2026], actor=system("test"))
    assert added >= 15
    assert Holiday.objects.filter(date=dt.date(2026, 4, 13)).exists()
    # Friday 10 April 2026 + 3 working days: 13–15 April are Songkran, 11–12 the weekend -> Monday 20 April.
    assert calendar.add_working_days(dt.date(2026, 4, 10), 3) == dt.date(2026, 4, 20)
    assert services.seed_holidays(years=[2026], actor=system("test")) == 0  # idempotent


@pytest.mark.django_db
def test_complaint_deadline_uses_category_sla_and_holidays(org, monkeypatch):
    """Filed on Wednesday 22 October 2025 with a 2-working-day category: Thursday 23 is Chulalongkorn Day and
    25-26 the weekend, so the deadline is Monday 27 October at the end of the office day (Friday 24 without
    the holiday, Wednesday 22 + 2 calendar days without skipping anything)."""
    Holiday.objects.create(date=dt.date(2025, 10, 23), name="วันปิยมหาราช")
    category = CategoryFactory(organization=org, sla_days=2)
    filed = timezone.make_aware(dt.datetime(2025, 10, 22, 9, 0))
    monkeypatch.setattr(timezone, "now", lambda: filed)
    complaint = make_complaint(org, category)
    assert complaint.created_at == filed
    assert timezone.localtime(complaint.sla_deadline) == timezone.make_aware(dt.datetime(2025, 10, 27, 16, 30))
    complaint.refresh_from_db()
    assert timezone.localtime(complaint.sla_deadline) == timezone.make_aware(dt.datetime(2025, 10, 27, 16, 30))


@pytest.mark.django_db
def test_complaint_deadline_without_holidays_skips_only_the_weekend(org, monkeypatch):
    category = CategoryFactory(organization=org, sla_days=2)
    monkeypatch.setattr(timezone, "now", lambda: timezone.make_aware(dt.datetime(2025, 10, 22, 9, 0)))
    assert timezone.localtime(make_complaint(org, category).sla_deadline).date() == dt.date(2025, 10, 24)
    category.sla_days = 3
    category.save()
    assert timezone.localtime(make_complaint(org, category).sla_deadline).date() == dt.date(2025, 10, 27)
