from django import template

from portal import thai

register = template.Library()


@register.filter
def be_date(value, style="short"):
    """{{ d|be_date }} -> 25 ต.ค. 2568; {{ d|be_date:"long" }} -> 25 ตุลาคม 2568, in the page's digit style."""
    return thai.in_page_digits(thai.format_be_date(value, long=(style == "long")))


@register.filter
def digits(value):
    """{{ n|digits }}: a number (or a text with numbers) in the one digit style of this page, the organization's
    choice for its public pages (Organization.public_digits)."""
    return thai.in_page_digits(value)


@register.filter
def baht(value):
    """12,500 (no decimals when whole), in the page's digit style."""
    if value in (None, ""):
        return "-"
    return thai.in_page_digits(thai.number_text(value))


@register.filter
def in_language(item, field="name"):
    """{{ doc|in_language }}: `item`'s `<field>_en` on an English page when it is filled, else its `<field>_th`
    (models, the dicts a form version keeps, rows of .values())."""
    return thai.localized(item, field)


@register.filter
def fiscal_year(value):
    return thai.fiscal_year(value)


@register.simple_tag
def this_be_year():
    """{% this_be_year %}: the year of the tracking codes issued today (an example code's year)."""
    return thai.this_be_year()
