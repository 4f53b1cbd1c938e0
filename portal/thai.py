"""Thai helpers: digits, Buddhist-era dates, fiscal years, ID checks, tracking codes, keyed hashes."""

import contextvars
import datetime as dt
import functools
import hashlib
import hmac
import re
import secrets

from django.conf import settings
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from stdnum.th import moa, pin

THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
_TO_ARABIC = str.maketrans(THAI_DIGITS, "0123456789")
_TO_THAI = str.maketrans("0123456789", THAI_DIGITS)
BE_OFFSET = 543

THAI_MONTHS = [
    "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
    "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
]
THAI_MONTHS_ABBR = [
    "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
]
# English pages follow the same rule with English month names: 8 Dec 2569, 8 December 2569 (the year stays BE).
ENGLISH_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                  "November", "December"]
ENGLISH_MONTHS_ABBR = [m[:3] for m in ENGLISH_MONTHS]
THAI_WEEKDAYS = ["จันทร์", "อังคาร", "พุธ", "พฤหัสบดี", "ศุกร์", "เสาร์", "อาทิตย์"]
ENGLISH_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def _english() -> bool:
    from django.utils.translation import get_language

    return (get_language() or "th").startswith("en")


def in_language(thai_text, english_text="") -> str:
    """One language at a time: the English text on an English page when there is one, else the Thai."""
    return english_text if english_text and _english() else thai_text


def localized(item, field="name") -> str:
    """`item`'s `<field>_en` on an English page when filled, else its `<field>_th`: for models and for the dicts
    a form version keeps (documents, fields), which have no property of their own."""
    get = item.get if isinstance(item, dict) else lambda key, default="": getattr(item, key, default)
    return in_language(get(f"{field}_th", ""), get(f"{field}_en", ""))


def to_arabic_digits(text: str) -> str:
    return text.translate(_TO_ARABIC)


# The digit style of the public page being rendered: the organization's choice (Organization.public_digits), set
# for the request by portal.web.middleware.OrganizationDigitsMiddleware. Pages outside an organization use Arabic.
page_digits = contextvars.ContextVar("page_digits", default="arabic")


def in_page_digits(value) -> str:
    """`value` as text in the one digit style of this page: Thai digits when the organization chose them and the page
    is Thai, Arabic otherwise (an English page never shows Thai digits)."""
    from django.utils.translation import get_language

    text = "" if value is None else str(value)
    return to_thai_digits(text) if page_digits.get() == "thai" and get_language() == "th" else to_arabic_digits(text)


def number_text(value) -> str:
    """12,500 when whole, 12.50 otherwise: an amount or a measure with separators (through Decimal, never float)."""
    from decimal import Decimal

    number = Decimal(str(value))
    return f"{number:,.0f}" if number == number.to_integral_value() else f"{number:,.2f}"


def to_thai_digits(text) -> str:
    return str(text).translate(_TO_THAI)


def be_year(year_ce: int) -> int:
    return year_ce + BE_OFFSET


def ce_year(year_be: int) -> int:
    return year_be - BE_OFFSET


def fiscal_year(day: dt.date) -> int:
    """Thai fiscal year (BE) of a date: 1 October to 30 September, named by the BE year in which it ends."""
    year = day.year + 1 if day.month >= 10 else day.year
    return be_year(year)


def format_be_date(value, *, long: bool = False, thai_digits: bool = False, weekday: bool = False) -> str:
    """25 ต.ค. 2568 (or 25 ตุลาคม 2568 with long=True; วันเสาร์ 25 ต.ค. 2568 with weekday=True). Accepts date or
    datetime (shown in local time). On an English page the same rule in English: 25 Oct 2568, Saturday 25 Oct 2568:
    one date rule on every page, the year always Buddhist era."""
    if value is None:
        return ""
    english = _english()
    if english:
        months = ENGLISH_MONTHS if long else ENGLISH_MONTHS_ABBR
    else:
        months = THAI_MONTHS if long else THAI_MONTHS_ABBR
    if isinstance(value, dt.datetime):
        from django.utils import timezone

        if timezone.is_aware(value):
            value = timezone.localtime(value)
        text = f"{value.day} {months[value.month - 1]} {be_year(value.year)} {value:%H:%M}"
    else:
        text = f"{value.day} {months[value.month - 1]} {be_year(value.year)}"
    if weekday:
        text = (f"{ENGLISH_WEEKDAYS[value.weekday()]} " if english else f"วัน{THAI_WEEKDAYS[value.weekday()]} ") + text
    return to_thai_digits(text) if thai_digits else text


_DATE_RE = re.compile(r"^\s*(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})\s*$")


def parse_be_date(text: str) -> dt.date:
    """Read dd/mm/yyyy with a BE year (Thai or Arabic digits). Raises ValueError with a message in the active language."""
    match = _DATE_RE.match(to_arabic_digits(text or ""))
    if not match:
        raise ValueError(_("รูปแบบวันที่ต้องเป็น วว/ดด/ปปปป (พ.ศ.)"))
    day, month, year = (int(g) for g in match.groups())
    if year < 2400:
        # A CE year typed by mistake would silently land 543 years in the past.
        raise ValueError(_("ปีต้องเป็นพุทธศักราช เช่น 2568"))
    try:
        return dt.date(ce_year(year), month, day)
    except ValueError as exc:
        raise ValueError(_("ไม่มีวันที่นี้ในปฏิทิน")) from exc


@functools.cache
def provinces_en() -> dict[str, str]:
    from pythainlp.corpus import provinces

    return {row["name_th"]: row["name_en"] for row in provinces(details=True)}


def province_english(name: str) -> str:
    """The English name of a Thai province ("กาฬสินธุ์" -> "Kalasin"), from PyThaiNLP's list of the 77; "" when
    the name is not one of them. "จังหวัด" in front is allowed."""
    return provinces_en().get((name or "").strip().removeprefix("จังหวัด").strip(), "")


def normalize_id(text: str) -> str:
    """Digits only, Thai digits converted; dashes and spaces dropped."""
    return re.sub(r"\D", "", to_arabic_digits(text or ""))


def is_valid_citizen_id(text: str) -> bool:
    return pin.is_valid(normalize_id(text))


def is_valid_tax_id(text: str) -> bool:
    """13-digit Thai tax ID: a citizen ID for persons, an MOA number for juristic persons."""
    number = normalize_id(text)
    return pin.is_valid(number) or moa.is_valid(number)


def mask_id(text: str) -> str:
    number = normalize_id(text)
    return "x-xxxx-xxxxx-" + number[-3:-1] + "-" + number[-1:] if len(number) == 13 else "****"


def personal_id_hash(text: str) -> str:
    """Keyed hash (HMAC-SHA256) so a personal ID can be looked up without ever being stored in clear."""
    key = settings.PERSONAL_ID_HASH_KEY.encode()
    return hmac.new(key, normalize_id(text).encode(), hashlib.sha256).hexdigest()


# Crockford-style alphabet: no 0/O, 1/I/L confusion when read out over the phone.
_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def this_be_year() -> int:
    """This year in the Buddhist era, where today is Bangkok's (the year of the codes issued today)."""
    from django.utils import timezone

    return be_year(timezone.localdate().year)


def tracking_code(prefix: str, *, year_be: int | None = None, length: int = 6) -> str:
    """Unguessable public code such as KY-2568-7F3K9Q (about 30 bits of randomness per code)."""
    year_be = year_be or this_be_year()
    body = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(length))
    return f"{prefix.upper()}-{year_be}-{body}"


EN_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def be_display(value) -> str:
    """25 ต.ค. 2568 14:05 (English pages: 25 Oct 2568 14:05); aware datetimes in local time."""
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
    if (get_language() or "th").startswith("en"):
        text = f"{value.day} {EN_MONTHS[value.month - 1]} {be_year(value.year)}"
        return f"{text} {value:%H:%M}" if isinstance(value, dt.datetime) else text
    return format_be_date(value)
