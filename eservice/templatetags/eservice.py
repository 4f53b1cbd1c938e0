import datetime as dt

from django import template
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from portal import thai

register = template.Library()


@register.filter
def day_label(value):
    """วันจันทร์ 1 ธ.ค. 2569; Monday 1 Dec 2569 in English (portal.thai.format_be_date)."""
    return thai.format_be_date(value, weekday=True)


@register.filter
def appointment(value):
    """A date and time by the portal's one date rule: วันเสาร์ 25 ต.ค. 2568 09:30, Saturday 25 Oct 2568 09:30."""
    if value is None:
        return ""
    return thai.format_be_date(value, weekday=True)


def _is_thai() -> bool:
    return (get_language() or "th").startswith("th")


@register.filter
def appointment_day(value):
    """The day in full, for appointments: วันอังคารที่ 8 ธันวาคม 2569 in Thai, Tuesday 8 December 2569 in English
    (the portal's one date rule: the year is Buddhist era in both). A date, or an aware datetime (its local day)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date()
    if _is_thai():
        return thai.in_page_digits(f"วัน{thai.THAI_WEEKDAYS[value.weekday()]}ที่ {thai.format_be_date(value, long=True)}")
    return thai.format_be_date(value, long=True, weekday=True)


@register.filter
def appointment_full(value):
    """Day and time in full: วันอังคารที่ 8 ธันวาคม 2569 เวลา 09:00 น. in Thai; in English, Tuesday 8 December 2569,
    09:00."""
    if value is None:
        return ""
    local = timezone.localtime(value)
    return _("%(day)s เวลา %(time)s น.") % {"day": appointment_day(local), "time": thai.in_page_digits(
        f"{local:%H:%M}")}
