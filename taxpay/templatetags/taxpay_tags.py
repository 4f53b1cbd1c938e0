from decimal import Decimal, InvalidOperation

from django import template

register = template.Library()


@register.filter
def money(value):
    """12,500.00: money always with its satang, formatted from Decimal (never through float)."""
    if value in (None, ""):
        return "-"
    try:
        return f"{Decimal(str(value)):,.2f}"
    except InvalidOperation:
        return value


@register.filter
def use_label(value):
    """The label of a use category stored by key in a bill's computation, in the current language."""
    from taxpay.models import Use

    return Use(value).label if value in Use.values else value
