"""Reading the files staff upload: a property register (CSV or XLSX) and a bank statement (CSV).

Readers only turn a file into checked rows with row-numbered Thai errors; the writes are in services.py."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.utils.translation import gettext as _

from portal.inputs import tables
from portal.thai import is_valid_tax_id, normalize_id, parse_be_date, to_arabic_digits

from . import rules
from .models import BuildingType, DeedType


class FileError(ValueError):
    """The file as a whole cannot be read (not CSV / XLSX, no header, past a limit of portal.inputs.tables)."""


def _header(value) -> str:
    return re.sub(r"\s+", "_", str(value or "").strip().lower())


def read_table(data: bytes, filename: str, *, aliases: dict[str, str] | None = None) -> list[dict]:
    """Rows as dicts keyed by the lower-cased header, each with its spreadsheet row number under "_row". Read by
    portal.inputs.tables (streaming, within the installation's limits). `aliases` maps other headers (a bank's
    export, in Thai or English) to ours."""
    header, out = None, []
    try:
        for number, row in enumerate(tables.iter_rows(data, filename), start=1):
            row = [_cell(c) for c in row]
            if header is None:
                header = [_header(h) for h in row]
                if aliases:
                    header = [aliases.get(h, h) for h in header]
                continue
            if not any(str(c or "").strip() for c in row):
                continue
            item = {h: ("" if c is None else str(c).strip()) for h, c in zip(header, row, strict=False) if h}
            item["_row"] = number
            out.append(item)
    except tables.TableError as exc:
        raise FileError(str(exc)) from None
    if header is None:
        raise FileError(_("ไฟล์ว่าง"))
    return out


def _cell(value):
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%d/%m/") + str(value.year + 543)
    return value


class RowError(Exception):
    pass


def decimal(item: dict, key: str, *, required=True, minimum=Decimal("0")) -> Decimal | None:
    raw = to_arabic_digits(item.get(key, "")).replace(",", "").strip()
    if not raw:
        if required:
            raise RowError(_("ต้องระบุ %(col)s") % {"col": key})
        return None
    try:
        value = Decimal(raw)
    except InvalidOperation as exc:
        raise RowError(_("%(col)s ต้องเป็นตัวเลข") % {"col": key}) from exc
    if not value.is_finite() or value < minimum:
        raise RowError(_("%(col)s ต้องไม่น้อยกว่า %(min)s") % {"col": key, "min": minimum})
    return value


def integer(item: dict, key: str, default=0) -> int:
    value = decimal(item, key, required=False)
    if value is None:
        return default
    if value != value.to_integral_value():
        raise RowError(_("%(col)s ต้องเป็นจำนวนเต็ม") % {"col": key})
    return int(value)


def choice(item: dict, key: str, allowed, default=None) -> str:
    value = item.get(key, "").strip().lower() or default
    if value not in allowed:
        raise RowError(_("%(col)s ต้องเป็นหนึ่งใน %(allowed)s") % {"col": key, "allowed": ", ".join(allowed)})
    return value


@dataclass
class RegisterRow:
    row: int
    record: str
    data: dict


REGISTER_COLUMNS = [
    "record", "owner_id", "owner_name", "owner_kind", "contact_email", "contact_phone", "contact_language",
    "parcel_code",
    "deed_type", "deed_number", "location", "latitude", "longitude", "rai", "ngan", "wa", "value_per_wa", "use",
    "use_parts",
    "building_type", "area_sqm", "price_per_sqm", "age_years", "depreciation_percent", "sign_code", "sign_kind",
    "changing", "width_cm", "height_cm", "text", "installed_on", "filed_on",
]
# Optional columns: a file without them leaves what the register holds (a parcel's parts, a sign's dates).
OPTIONAL_COLUMNS = ("use_parts", "installed_on", "filed_on")


def use_parts(item: dict, main_use: str, owner_kind: str) -> list[tuple[str, Decimal]] | None:
    """`use_parts` as "commercial:40; residential_other:10" (use: per cent of the parcel); None when the file has
    no such column, [] when the cell is empty (the parcel has one use)."""
    if "use_parts" not in item:
        return None
    parts, seen = [], set()
    for piece in filter(None, (p.strip() for p in to_arabic_digits(item["use_parts"]).replace(",", ";").split(";"))):
        use, _sep, share = (x.strip() for x in piece.partition(":"))
        use = use.lower()
        if use not in rules.Use.ALL or use == main_use or use in seen:
            raise RowError(_("use_parts: %(part)s ไม่ถูกต้อง (ประเภทการใช้ประโยชน์อื่นจากการใช้ประโยชน์หลัก "
                             "ไม่ซ้ำกัน)") % {"part": piece})
        try:
            share = Decimal(share)
        except InvalidOperation as exc:
            raise RowError(_("use_parts: สัดส่วนของ %(use)s ต้องเป็นตัวเลข") % {"use": use}) from exc
        if not share.is_finite() or not 0 < share <= 100 or share != share.quantize(Decimal("0.01")):
            raise RowError(_("use_parts: สัดส่วนของ %(use)s ต้องมากกว่า 0 และไม่เกิน 100") % {"use": use})
        if use in (rules.Use.MAIN_HOME, rules.Use.MAIN_HOME_BUILDING_ONLY) and owner_kind != rules.OwnerKind.INDIVIDUAL:
            raise RowError(_("บ้านหลังหลักใช้ได้เฉพาะเจ้าของที่เป็นบุคคลธรรมดา"))
        seen.add(use)
        parts.append((use, share))
    if sum((share for _use, share in parts), Decimal(0)) > 100:
        raise RowError(_("use_parts: สัดส่วนรวมเกินร้อยละ 100"))
    return parts


def be_date(item: dict, key: str) -> dt.date | None:
    raw = item.get(key, "").strip()
    if not raw:
        return None
    try:
        return parse_be_date(raw)
    except ValueError as exc:
        raise RowError(f"{key}: {exc}") from exc


def parse_register(items: list[dict]) -> tuple[list[RegisterRow], list[str]]:
    """Check every row; return the rows and a list of "แถว N: ..." errors (all of them, not only the first)."""
    rows, errors = [], []
    parcel_codes = {i.get("parcel_code", "") for i in items if i.get("record", "").lower() == "parcel"}
    for item in items:
        try:
            rows.append(_register_row(item, parcel_codes))
        except RowError as exc:
            errors.append(_("แถว %(row)s: %(error)s") % {"row": item["_row"], "error": exc})
    return rows, errors


def _owner(item):
    number = normalize_id(item.get("owner_id", ""))
    if not is_valid_tax_id(number):
        raise RowError(_("เลขประจำตัวเจ้าของไม่ถูกต้อง"))
    name = item.get("owner_name", "").strip()
    if not name:
        raise RowError(_("ต้องระบุ owner_name"))
    return {"id_number": number, "name": name[:200],
            "kind": choice(item, "owner_kind", rules.OwnerKind.ALL, rules.OwnerKind.INDIVIDUAL),
            "contact_email": item.get("contact_email", "")[:254], "contact_phone": item.get("contact_phone", "")[:20],
            "contact_language": choice(item, "contact_language", [code for code, _name in settings.LANGUAGES],
                                       settings.LANGUAGE_CODE)}


def _coordinate(item, key, limit):
    value = decimal(item, key, required=False, minimum=Decimal(-limit))
    if value is not None and value > limit:
        raise RowError(_("%(col)s ไม่ถูกต้อง") % {"col": key})
    return None if value is None else value.quantize(Decimal("0.000001"))


def _register_row(item: dict, parcel_codes: set) -> RegisterRow:
    record = choice(item, "record", ("parcel", "building", "signboard"))
    if record == "parcel":
        code = item.get("parcel_code", "").strip()
        if not code or len(code) > 30:
            raise RowError(_("ต้องระบุ parcel_code (ไม่เกิน 30 ตัวอักษร)"))
        ngan = integer(item, "ngan")
        wa = decimal(item, "wa", required=False) or Decimal("0")
        if ngan > 3 or wa >= 100:
            raise RowError(_("เนื้อที่ไม่ถูกต้อง: งานไม่เกิน 3 และตารางวาน้อยกว่า 100"))
        data = {"owner": _owner(item), "code": code,
                "deed_type": choice(item, "deed_type", DeedType.values, DeedType.CHANOTE),
                "deed_number": item.get("deed_number", "")[:30], "location": item.get("location", "")[:200],
                "latitude": _coordinate(item, "latitude", 90), "longitude": _coordinate(item, "longitude", 180),
                "area_rai": integer(item, "rai"), "area_ngan": ngan, "area_wa": wa,
                "value_per_wa": decimal(item, "value_per_wa"), "use": choice(item, "use", rules.Use.ALL)}
        if data["use"] in (rules.Use.MAIN_HOME, rules.Use.MAIN_HOME_BUILDING_ONLY) and \
                data["owner"]["kind"] != rules.OwnerKind.INDIVIDUAL:
            raise RowError(_("บ้านหลังหลักใช้ได้เฉพาะเจ้าของที่เป็นบุคคลธรรมดา"))
        data["use_parts"] = use_parts(item, data["use"], data["owner"]["kind"])
        return RegisterRow(item["_row"], record, data)
    if record == "building":
        code = item.get("parcel_code", "").strip()
        if not code:
            raise RowError(_("ต้องระบุ parcel_code ของแปลงที่สิ่งปลูกสร้างตั้งอยู่"))
        depreciation = decimal(item, "depreciation_percent", required=False) or Decimal("0")
        if depreciation > 95:
            raise RowError(_("ค่าเสื่อมต้องไม่เกินร้อยละ 95"))
        return RegisterRow(item["_row"], record, {
            "parcel_code": code, "in_file": code in parcel_codes,
            "building_type": choice(item, "building_type", BuildingType.values, BuildingType.HOUSE),
            "area_sqm": decimal(item, "area_sqm"), "price_per_sqm": decimal(item, "price_per_sqm"),
            "age_years": integer(item, "age_years"), "depreciation_percent": depreciation})
    code = item.get("sign_code", "").strip()
    if not code or len(code) > 30:
        raise RowError(_("ต้องระบุ sign_code (ไม่เกิน 30 ตัวอักษร)"))
    width, height = decimal(item, "width_cm"), decimal(item, "height_cm")
    if width <= 0 or height <= 0:
        raise RowError(_("ขนาดป้ายต้องมากกว่า 0"))
    changing = item.get("changing", "0").strip().lower()
    if changing not in ("0", "1", "true", "false", "yes", "no", ""):
        raise RowError(_("changing ต้องเป็น 0 หรือ 1"))
    return RegisterRow(item["_row"], record, {
        "owner": _owner(item), "code": code, "kind": choice(item, "sign_kind", rules.SignKind.ALL),
        "changing": changing in ("1", "true", "yes"), "width_cm": width, "height_cm": height,
        "text": item.get("text", "")[:200], "location": item.get("location", "")[:200],
        "latitude": _coordinate(item, "latitude", 90), "longitude": _coordinate(item, "longitude", 180),
        **{key: be_date(item, key) for key in ("installed_on", "filed_on") if key in item}})


@dataclass
class StatementLine:
    row: int
    paid_on: dt.date
    amount: Decimal
    ref1: str
    ref2: str
    bank_reference: str


STATEMENT_COLUMNS = ["date", "amount", "ref1", "ref2", "bank_reference"]
# The headers Thai banks' statement and bill-payment exports use (Thai or English), lower-cased with spaces as
# underscores, mapped to ours. The template file (statement_template_rows) uses the Thai ones.
STATEMENT_HEADER_ALIASES = {
    **{h: "date" for h in ("วันที่", "วันที่ทำรายการ", "วันที่รับชำระ", "วันที่ชำระ", "transaction_date", "trans_date",
                           "payment_date", "value_date", "posting_date", "txn_date")},
    **{h: "amount" for h in ("จำนวนเงิน", "ยอดเงิน", "จำนวนเงินที่ชำระ", "เงินฝาก", "ฝาก", "credit", "deposit",
                             "amount_(thb)", "amount(thb)", "payment_amount", "paid_amount")},
    **{h: "ref1" for h in ("เลขอ้างอิง_1", "เลขที่อ้างอิง_1", "ข้อมูลอ้างอิง_1", "อ้างอิง_1", "ref._1", "ref_1",
                           "reference_1", "reference1", "ref.1", "customer_no.", "ref1_/_customer_no.")},
    **{h: "ref2" for h in ("เลขอ้างอิง_2", "เลขที่อ้างอิง_2", "ข้อมูลอ้างอิง_2", "อ้างอิง_2", "ref._2", "ref_2",
                           "reference_2", "reference2", "ref.2")},
    **{h: "bank_reference" for h in ("เลขที่รายการ", "เลขที่อ้างอิงธนาคาร", "เลขอ้างอิงธนาคาร", "รหัสรายการ",
                                     "transaction_id", "transaction_no.", "transaction_no", "trans_id", "txn_id",
                                     "trace_no.", "trace_no", "bank_ref", "bank_reference_no.")},
}
STATEMENT_TEMPLATE = [["วันที่", "จำนวนเงิน", "เลขอ้างอิง 1", "เลขอ้างอิง 2", "เลขที่รายการ"],
                      ["01/04/2568", "2000.00", "LB2568000001", "256801", "KTB20250401-000123"]]


def parse_statement(items: list[dict]) -> tuple[list[StatementLine], list[dict]]:
    """Statement lines; a line that cannot be read is returned among the unmatched with its reason."""
    lines, bad = [], []
    for item in items:
        try:
            paid_on = _statement_date(item.get("date", ""))
            amount = decimal(item, "amount", minimum=Decimal("0.01"))
            reference = item.get("bank_reference", "").strip()
            if not reference:
                raise RowError(_("ต้องระบุ bank_reference"))
            lines.append(StatementLine(item["_row"], paid_on, amount, item.get("ref1", "").strip().upper(),
                                       item.get("ref2", "").strip().upper(), reference[:64]))
        except RowError as exc:
            bad.append({"row": item["_row"], "reason": str(exc), **{k: item.get(k, "") for k in STATEMENT_COLUMNS}})
    return lines, bad


def _statement_date(text: str) -> dt.date:
    text = to_arabic_digits(text).strip()
    try:
        if re.match(r"^\d{4}-\d{2}-\d{2}$", text):  # banks' ISO dates are in the Christian era
            return dt.date.fromisoformat(text)
        return parse_be_date(text)
    except ValueError as exc:
        raise RowError(_("วันที่ไม่ถูกต้อง (วว/ดด/ปปปป พ.ศ. หรือ YYYY-MM-DD)")) from exc
