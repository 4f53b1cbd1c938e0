"""SLA deadlines in working days: weekends and the `Holiday` rows (Thai public holidays, kept as data) are skipped."""

import datetime as dt

from django.utils import timezone

from portal.machinery.cache import Memo

from .models import Holiday

# A working day ends at 16:30 in a Thai local office.
END_OF_DAY = dt.time(16, 30)


MEMO_SECONDS = 300


def _load_year(year: int) -> frozenset:
    return frozenset(Holiday.objects.filter(date__year=year).values_list("date", flat=True))


def _holiday_invalidation():
    return [(Holiday, lambda holiday: holiday.date.year if holiday.date else None)]


# The holiday calendar per year: changes a few times a year; forgotten when a Holiday row is saved or deleted
# (rules: portal.machinery.cache).
HOLIDAYS = Memo("complaints-holidays", _load_year, seconds=3600, local_seconds=MEMO_SECONDS,
                invalidate_on=_holiday_invalidation())


def holiday_dates(start: dt.date, end: dt.date) -> set[dt.date]:
    """Holidays between two dates, one cached calendar year at a time."""
    dates = set()
    for year in range(start.year, end.year + 1):
        dates |= {d for d in HOLIDAYS.get(year) if start <= d <= end}
    return dates


def is_working_day(day: dt.date, holidays: set[dt.date]) -> bool:
    return day.weekday() < 5 and day not in holidays


def add_working_days(start: dt.date, days: int, holidays: set[dt.date] | None = None) -> dt.date:
    """The date `days` working days after `start` (start itself is day 0, as a complaint filed today)."""
    if holidays is None:
        # Generous window: even with long holiday runs (Songkran) 3x the span is plenty.
        holidays = holiday_dates(start, start + dt.timedelta(days=days * 3 + 30))
    day = start
    remaining = days
    while remaining > 0:
        day += dt.timedelta(days=1)
        if is_working_day(day, holidays):
            remaining -= 1
    return day


def deadline(created_at: dt.datetime, sla_days: int, holidays: set[dt.date] | None = None) -> dt.datetime:
    local = timezone.localtime(created_at)
    due = add_working_days(local.date(), sla_days, holidays)
    return timezone.make_aware(dt.datetime.combine(due, END_OF_DAY), timezone.get_current_timezone())
