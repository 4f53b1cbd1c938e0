"""The page's one digit style (the organization's choice) is applied by the shared filters: dates, money, numbers."""

import datetime as dt

from django.template import Context, Template
from django.utils import translation

from portal import thai

TEMPLATE = Template("{% load thai %}{{ d|be_date }} · {{ n|baht }} · {{ t|digits }}")
CONTEXT = {"d": dt.date(2025, 10, 25), "n": 10000, "t": "ปี ๒๕๖๘ ข้อ 3"}


def _render(style, language="th"):
    token = thai.page_digits.set(style)
    try:
        with translation.override(language):
            return TEMPLATE.render(Context(CONTEXT))
    finally:
        thai.page_digits.reset(token)


def test_thai_style_on_a_thai_page():
    assert _render("thai") == "๒๕ ต.ค. ๒๕๖๘ · ๑๐,๐๐๐ · ปี ๒๕๖๘ ข้อ ๓"


def test_arabic_style_and_english_pages():
    assert _render("arabic") == "25 ต.ค. 2568 · 10,000 · ปี 2568 ข้อ 3"
    # English pages: Arabic digits and the English month with the BE year (one date rule on English pages)
    assert _render("thai", "en") == "25 Oct 2568 · 10,000 · ปี 2568 ข้อ 3"
    assert thai.page_digits.get() == "arabic"  # outside a request: Arabic
