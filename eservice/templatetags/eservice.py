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
