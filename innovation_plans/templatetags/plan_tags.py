from django import template

from portal import thai

register = template.Library()


@register.filter
def get_item(mapping, key):
    if mapping is None:
        return None
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def year(value):
    """A BE year (or a count) in the page's one digit style (the organization's choice, portal.thai.in_page_digits)."""
    if value in (None, ""):
        return ""
    return thai.in_page_digits(value)


@register.filter
def money(value):
    if value in (None, ""):
        return "-"
    return thai.in_page_digits(f"{int(value):,}")


@register.filter
def warning_sentence(warning):
    """An importer warning as one sentence with both figures ("ยอดรวมที่ระบุในแผน 30,000 บาท ไม่ตรงกับ...")."""
    from ..warning_text import warning_sentence as sentence

    return sentence(warning)
