"""Text input hygiene, in one place for every app.

C0 control characters other than tab, line feed and carriage return (and DEL) carry no meaning in anything a
citizen or an officer types, and they make XML exports ill-formed: they are stripped from every GET/POST value
(`portal.web.middleware.TextInputMiddleware`) and from every string of a JSON request body
(`portal.api.viewsets.CleanJSONParser`). NUL is refused with a 400 instead: PostgreSQL cannot store it, and it is never
typed by a person. Output that may carry older rows (e.g. Open311 XML) goes through `strip_controls` too.
"""

import re

CONTROL_CHARACTERS = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]")
NUL_MESSAGE = "ข้อมูลที่ส่งมามีอักขระควบคุม (NUL) ซึ่งระบบไม่รับ กรุณาตรวจสอบแล้วส่งใหม่"


def strip_controls(value: str) -> str:
    """`value` without C0 control characters (tab, newline and carriage return kept; NUL left for the caller)."""
    return CONTROL_CHARACTERS.sub("", value) if isinstance(value, str) else value


def strip_all(value: str) -> str:
    """For output: also drops NUL."""
    return strip_controls(value).replace("\x00", "") if isinstance(value, str) else value


def has_nul(value) -> bool:
    return isinstance(value, str) and "\x00" in value


def clean_querydict(querydict):
    """(cleaned copy, whether a NUL was seen); the copy is immutable like the original."""
    nul = False
    cleaned = querydict.copy()
    for key in list(cleaned.keys()):
        values = querydict.getlist(key)
        nul = nul or has_nul(key) or any(has_nul(v) for v in values)
        cleaned.setlist(key, [strip_controls(v) for v in values])
    cleaned._mutable = False
    return cleaned, nul


def clean_data(data):
    """JSON data with every string cleaned; raises ValueError on a NUL."""
    if isinstance(data, str):
        if has_nul(data):
            raise ValueError(NUL_MESSAGE)
        return strip_controls(data)
    if isinstance(data, list):
        return [clean_data(item) for item in data]
    if isinstance(data, dict):
        return {clean_data(k): clean_data(v) for k, v in data.items()}
    return data
