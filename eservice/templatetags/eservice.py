from django import template

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


@register.filter
def in_language(item, field="name"):
    """`item`'s `<field>_en` on an English page when it is filled, else `<field>_th`: for the dictionaries a form
    version keeps (documents, fields), which have no `name` property of their own."""
    from django.utils.translation import get_language

    get = item.get if isinstance(item, dict) else lambda key, default="": getattr(item, key, default)
    english = get(f"{field}_en", "") if get_language() == "en" else ""
    return english or get(f"{field}_th", "")
