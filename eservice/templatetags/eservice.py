from django import template
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal import thai

register = template.Library()

WEEKDAYS = [gettext_lazy("จันทร์"), gettext_lazy("อังคาร"), gettext_lazy("พุธ"), gettext_lazy("พฤหัสบดี"),
            gettext_lazy("ศุกร์"), gettext_lazy("เสาร์"), gettext_lazy("อาทิตย์")]


@register.filter
def day_label(value):
    """วันจันทร์ 1 ธ.ค. 2569"""
    return _("วัน%(weekday)s %(date)s") % {"weekday": WEEKDAYS[value.weekday()], "date": thai.format_be_date(value)}
