"""Text-level helpers: decoding uploaded bytes, Thai digits, cleaning table cells, reading numbers and years."""

import codecs
import html
import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext_noop

from .errors import PlanImportError

THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")

_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?/?>")
_BREAK_TAG = re.compile(r"<br\s*/?>|</p\s*>\s*<p(?:\s[^<>]*)?>|</li\s*>|</div\s*>", re.IGNORECASE)
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
_SPACES = re.compile(r"[ \t\u00a0\u3000]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def to_arabic(text):
    """Thai digits to Arabic, so numbers in Thai (๒๕,๐๐๐) parse; callers keep the original for display."""
    return text.translate(THAI_DIGITS)


def decode(data):
    """Bytes to text. UTF-8 (with or without BOM), UTF-16/32 with a BOM, else TIS-620 (cp874) if it reads as Thai.

    Anything else (binary, another 8-bit code page) is refused rather than guessed: a wrong guess would import
    mojibake silently.
    """
    text = None
    for bom, codec in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                raise _encoding_error() from None
            break
    if text is None:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            try:
                text = data.decode("cp874")
            except UnicodeDecodeError:
                raise _encoding_error() from None
            if not _looks_thai(text):
                raise _encoding_error() from None
    if not _looks_like_text(text):
        raise PlanImportError(gettext_noop("ไฟล์นี้ไม่ใช่ไฟล์ข้อความ (อาจเป็นไฟล์ไบนารีหรือไฟล์เสียหาย)"))
    return normalize_newlines(text)


def _encoding_error():
    return PlanImportError(gettext_noop("อ่านการเข้ารหัสอักขระของไฟล์ไม่ได้ (รองรับ UTF-8, UTF-16 ที่มี BOM และ TIS-620)"))


def _looks_like_text(text):
    if not text.strip():
        return False
    return len(_CONTROL.findall(text)) <= len(text) // 200


def _looks_thai(text):
    # cp874 maps almost every byte to something, so only accept it when the result is mostly Thai letters.
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return False
    thai = sum(1 for c in letters if "\u0e01" <= c <= "\u0e5b")
    return thai >= 0.3 * len(letters) and _looks_like_text(text)


def normalize_newlines(text):
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    return text.translate(_INVISIBLE)


def clean_cell(value, keep_lines=False):
    """A cell's text without HTML tags, entities or Markdown emphasis, whitespace collapsed.

    With ``keep_lines`` paragraph breaks (<p>, <br>, newlines) survive as "\\n" (details, benefits);
    otherwise everything becomes one line (titles, units, numbers).
    """
    if value is None:
        return ""
    text = str(value).translate(_INVISIBLE)
    if "<" in text:
        text = _BREAK_TAG.sub("\n", text)
        text = _TAG.sub(" ", text)
    if "&" in text:
        text = html.unescape(text)
    text = text.replace("**", "").replace("\\|", "|")
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    lines = [line for line in lines if line]
    return ("\n" if keep_lines else " ").join(lines)


# --- numbers -------------------------------------------------------------------------------------------

_NO_BUDGET = re.compile(
    r"ไม่(?:ได้)?ใช้(?:จ่าย)?งบ|ไม่มีงบ|ไม่ต้องใช้งบ|ไม่มีค่าใช้จ่าย|ไม่ใช้ค่าใช้จ่าย|^ไม่มี$|^ไม่ใช้$|^n/?a$",
    re.IGNORECASE,
)
_DASHES = re.compile(r"^[-–—−‐_.\s]+$")
_AMOUNT = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")


class NotANumber(ValueError):
    pass


def parse_amount(value):
    """A budget cell to whole baht; None when the cell says there is no budget ("-", empty, "ไม่ใช้งบประมาณ").

    Raises NotANumber for anything else, so a typo never turns into a silent zero.
    """
    if isinstance(value, bool):
        raise NotANumber(str(value))
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value != int(value):
            raise NotANumber(str(value))
        return int(value)
    text = to_arabic(clean_cell(value)).strip()
    if not text or _DASHES.match(text) or _NO_BUDGET.search(text):
        return None
    text = re.sub(r"^\((.*)\)$", r"\1", text).strip()
    # Words around the figure that do not change it: "งบประมาณ 50,000 บาท/ปี (เงินอุดหนุน)".
    text = re.sub(r"^(?:งบประมาณ|จำนวน|เป็นเงิน)\s*", "", text)
    text = re.sub(r"\s*\((?![\d,.\s]+\))[^()]*\)$", "", text)
    text = re.sub(r"\s*(?:/\s*ปี|ต่อปี)$", "", text)
    text = re.sub(r"\s*(?:บาท|บ\.)$", "", text)
    text = re.sub(r"\.-+$|\.—$|-$", "", text).strip()
    text = text.replace(" ", "")
    if not _AMOUNT.fullmatch(text):
        raise NotANumber(str(value))
    try:
        amount = Decimal(text.replace(",", ""))
    except InvalidOperation:
        raise NotANumber(str(value)) from None
    if amount != amount.to_integral_value():
        raise NotANumber(str(value))
    return int(amount)


def parse_int(value):
    """A small whole number (a year, a count, a component number) or None."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value == int(value) else None
    text = to_arabic(clean_cell(value)).strip()
    return int(text) if re.fullmatch(r"\d+", text) else None


# --- years ---------------------------------------------------------------------------------------------

_YEAR_CELL = re.compile(
    r"^(?P<label>.*?)\s*(?P<prefix>(?:ปี\s*(?:งบประมาณ)?\s*(?:พ\s*\.\s*ศ\s*\.?)?|พ\s*\.\s*ศ\s*\.?)\s*)?"
    r"(?P<year>\d{4}|\d{2})\s*(?:\(?\s*บาท\s*\)?)?$"
)


def header_year(value):
    """A header cell naming a Buddhist-era year: "2566", "๒๕๖๖", "ปี ๒๕๖๖", "พ.ศ. 2566", "งบประมาณ ปี 66".

    Returns (year, label) where label is any text before the year ("งบประมาณ"), or None.
    """
    text = to_arabic(clean_cell(value))
    match = _YEAR_CELL.match(text)
    if not match:
        return None
    year = int(match["year"])
    if len(match["year"]) == 2:
        # "ปี 66" is common shorthand; a bare two-digit number is not a year.
        if not match["prefix"]:
            return None
        year += 2500
    if not 2400 <= year <= 2700:
        return None
    return year, match["label"].strip()


_PERIOD = re.compile(
    r"(?:พ\s*\.\s*ศ\s*\.?\s*)?(?P<a>[12๑๒][0-9๐-๙]{3})\s*(?:-|–|—|ถึง)\s*(?:พ\s*\.\s*ศ\s*\.?\s*)?(?P<b>[12๑๒][0-9๐-๙]{3})"
)


def find_period(text):
    """The first plausible BE period "2566-2570" / "พ.ศ. ๒๕๖๖ – ๒๕๗๐" in a piece of text, as (start, end)."""
    for match in _PERIOD.finditer(text):
        start, end = int(to_arabic(match["a"])), int(to_arabic(match["b"]))
        if 2400 <= start <= end <= 2700 and end - start <= 10:
            return start, end
    return None


# --- timeline marks ------------------------------------------------------------------------------------

# Arrows as they come out of Word and PDF: the Unicode arrow blocks, triangles (◄ ►), "<" ">", and the private
# use area where Wingdings/Symbol arrows land after PDF extraction.
_ARROW_CLASS = "\u2190-\u21ff\u27f0-\u27ff\u2900-\u297f\u2b00-\u2bff\u2794-\u27bf\u25b2-\u25c5\ue000-\uf8ff<>"
_ARROW = re.compile(f"[{_ARROW_CLASS}]")
_ARROW_ONLY = re.compile(f"^[{_ARROW_CLASS}\\-–—−─━=~_.·• ]*[{_ARROW_CLASS}][{_ARROW_CLASS}\\-–—−─━=~_.·• ]*$")
_ARROW_EDGES = re.compile(f"^[{_ARROW_CLASS}\\-–—−─━=~_.·• ]+|[{_ARROW_CLASS}\\-–—−─━=~_.·• ]+$")


def is_arrow_only(value):
    """A cell holding only an arrow (and line strokes): the tail of a timeline pushed into a later column."""
    return bool(_ARROW_ONLY.match(clean_cell(value)))


def timeline_active(value):
    """Whether a timeline (ระยะเวลา) cell marks its year: an arrow, a tick, any text; a lone dash does not."""
    text = clean_cell(value)
    return bool(text) and not _DASHES.match(text)


def strip_arrows(value):
    """Text with leading/trailing arrows removed ("→ สำนักปลัด" → "สำนักปลัด"), and whether any was there."""
    text = clean_cell(value)
    stripped = _ARROW_EDGES.sub("", text)
    return stripped, stripped != text and bool(_ARROW.search(text))
