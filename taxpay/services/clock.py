"""The day the tax services count from: one place, so a test (or a check run for another day) fixes it once
(`taxpay.services.clock.today`)."""

import datetime as dt

from django.utils import timezone


def today() -> dt.date:
    return timezone.localdate()


def latest_payment_date(skew: dt.timedelta) -> dt.date:
    """The latest payment date a bank may report now: today, or tomorrow when the clock is within `skew` of it."""
    now = timezone.localtime()
    return today() + (timezone.localtime(now + skew).date() - now.date())
