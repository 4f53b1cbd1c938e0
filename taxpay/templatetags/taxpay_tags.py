from decimal import Decimal, InvalidOperation

from django import template

register = template.Library()


@register.filter
def money(value):
    """12,500.00: money always with its satang, formatted from Decimal (never through float), in the page's digit
    style (the organization's choice on its pages and on its bills in the admin)."""
    from portal.thai import in_page_digits

    if value in (None, ""):
        return "-"
    try:
        return in_page_digits(f"{Decimal(str(value)):,.2f}")
    except InvalidOperation:
        return value


@register.filter
def use_label(value):
    """The label of a use category stored by key in a bill's computation, in the current language."""
    from taxpay.models import Use

    return Use(value).label if value in Use.values else value


@register.filter
def iso_be_date(value):
    """A date stored as ISO text (a job's result) shown as the Buddhist-era date."""
    import datetime as dt

    from portal.thai import format_be_date

    try:
        return format_be_date(dt.date.fromisoformat(str(value)))
    except ValueError:
        return value
