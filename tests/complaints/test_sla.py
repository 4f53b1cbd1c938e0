import datetime as dt

import pytest
from django.utils import timezone

from complaints import sla
from complaints.models import Holiday

from .factories import CategoryFactory, make_complaint


def test_weekends_are_skipped():
    friday = dt.date(2025, 10, 3)
    assert sla.add_working_days(friday, 1, set()) == dt.date(2025, 10, 6)  # Monday
    assert sla.add_working_days(friday, 5, set()) == dt.date(2025, 10, 10)


def test_holidays_are_skipped():
    # Chulalongkorn Day, Thursday 23 October 2025.
    wednesday = dt.date(2025, 10, 22)
    assert sla.add_working_days(wednesday, 1, {dt.date(2025, 10, 23)}) == dt.date(2025, 10, 24)
    assert sla.add_working_days(wednesday, 2, {dt.date(2025, 10, 23)}) == dt.date(2025, 10, 27)


@pytest.mark.django_db
def test_songkran_from_seeded_holidays():
    added = sla.seed_holidays([2026])
    assert added >= 15
    assert Holiday.objects.filter(date=dt.date(2026, 4, 13)).exists()
    # Friday 10 April 2026 + 3 working days: 13–15 April are Songkran, 11–12 the weekend -> Monday 20 April.
    assert sla.add_working_days(dt.date(2026, 4, 10), 3) == dt.date(2026, 4, 20)
    assert sla.seed_holidays([2026]) == 0  # idempotent


@pytest.mark.django_db
def test_complaint_deadline_uses_category_sla_and_holidays(org):
    Holiday.objects.create(date=dt.date(2025, 10, 23), name="วันปิยมหาราช")
    category = CategoryFactory(organization=org, sla_days=2)
    complaint = make_complaint(org, category)
    created = timezone.localtime(complaint.created_at)
    expected = sla.add_working_days(created.date(), 2)
    assert timezone.localtime(complaint.sla_deadline).date() == expected
    wed = timezone.make_aware(dt.datetime(2025, 10, 22, 9, 0))
    assert timezone.localtime(sla.deadline(wed, 2)).date() == dt.date(2025, 10, 27)
