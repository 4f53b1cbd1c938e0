"""SLA deadlines in working days: weekends and the `Holiday` rows (Thai public holidays, kept as data) are skipped."""

import datetime as dt
import time

from django.utils import timezone

# A working day ends at 16:30 in a Thai local office.
END_OF_DAY = dt.time(16, 30)


_memo: dict = {}
MEMO_SECONDS = 300


def holiday_dates(start: dt.date, end: dt.date) -> set[dt.date]:
    """Holidays between two dates. The calendar changes a few times a year: each process keeps the years it
    has read for five minutes (and forgets them at once when a Holiday row is saved or deleted here)."""
    from .models import Holiday

    now = time.monotonic()
    if not _memo or now - _memo["at"] > MEMO_SECONDS or start < _memo["start"] or end > _memo["end"]:
        lo, hi = dt.date(start.year - 1, 1, 1), dt.date(end.year + 1, 12, 31)
        _memo.update(at=now, start=lo, end=hi, dates=frozenset(
            Holiday.objects.filter(date__gte=lo, date__lte=hi).values_list("date", flat=True)))
    return {d for d in _memo["dates"] if start <= d <= end}


def forget_holidays(**kwargs):
    _memo.clear()


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


def seed_holidays(years) -> int:
    """Copy Thai public holidays from the `holidays` package into the Holiday table (idempotent)."""
    import holidays as holidays_lib

    from .models import Holiday

    count = 0
    for day, name in sorted(holidays_lib.Thailand(years=list(years), language="th").items()):
        _, created = Holiday.objects.update_or_create(date=day, defaults={"name": name[:200]})
        count += created
    return count
