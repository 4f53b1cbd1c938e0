from django import template
from django.utils.translation import get_language

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
    """A BE year in Thai digits when the page is Thai."""
    if value in (None, ""):
        return ""
    return thai.to_thai_digits(value) if get_language() == "th" else str(value)


@register.filter
def money(value):
    if value in (None, ""):
        return "-"
    return f"{int(value):,}"


@register.filter
def warning_kind(code):
    """An importer warning code as the sentence people read ("stated_total_mismatch" is never shown raw)."""
    from ..warning_text import kind_sentence

    return kind_sentence(code)
