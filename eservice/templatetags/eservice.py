import datetime as dt

from django import template
from django.utils import formats, timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from portal import thai

register = template.Library()

WEEKDAYS = [gettext_lazy("จันทร์"), gettext_lazy("อังคาร"), gettext_lazy("พุธ"), gettext_lazy("พฤหัสบดี"),
            gettext_lazy("ศุกร์"), gettext_lazy("เสาร์"), gettext_lazy("อาทิตย์")]


@register.filter
def day_label(value):
    """วันจันทร์ 1 ธ.ค. 2569"""
    return _("วัน%(weekday)s %(date)s") % {"weekday": WEEKDAYS[value.weekday()], "date": thai.format_be_date(value)}


@register.filter
def appointment(value):
    """A date and time in the reader's language: 25 ต.ค. 2568 09:30 (Buddhist era) in Thai, 25 Oct 2025 09:30 in
    English."""
    if value is None:
        return ""
    if get_language() == "th":
        return thai.format_be_date(value)
    return formats.date_format(timezone.localtime(value), "j M Y H:i")


def _is_thai() -> bool:
    return (get_language() or "th").startswith("th")


@register.filter
def appointment_day(value):
    """The day in full, for appointments: วันอังคารที่ 8 ธันวาคม 2569 in Thai (Buddhist era), Tuesday 8 December
    2026 in English. A date, or an aware datetime (its local day)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date()
    if _is_thai():
        return thai.in_page_digits(f"วัน{WEEKDAYS[value.weekday()]}ที่ {thai.format_be_date(value, long=True)}")
    return formats.date_format(value, "l j F Y")


@register.filter
def appointment_full(value):
    """Day and time in full: วันอังคารที่ 8 ธันวาคม 2569 เวลา 09:00 น. / Tuesday 8 December 2026, 09:00."""
    if value is None:
        return ""
    local = timezone.localtime(value)
    return _("%(day)s เวลา %(time)s น.") % {"day": appointment_day(local), "time": thai.in_page_digits(
        f"{local:%H:%M}")}
