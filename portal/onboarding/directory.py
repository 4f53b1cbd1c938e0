"""Reading the Department of Local Administration's list of local administrative organizations (CSV or XLSX)
through the project's one table reader, row by row, with a Thai message and the row number for every bad row.

    rows, errors = read_directory(data, filename)     # DirectoryRow / RowError lists; DirectoryFileError when the
                                                      # file as a whole cannot be read

Columns are found by their header (Thai or English, in any order): รหัส (code), ประเภท (type), ชื่อ (name),
จังหวัด (province), อำเภอ (district), ตำบล (subdistrict, may be empty). The type is written as the department
writes it: เทศบาลนคร / เทศบาลเมือง / เทศบาลตำบล / อบต. (or ทน. / ทม. / ทต. / องค์การบริหารส่วนตำบล).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from portal import thai
from portal.inputs import tables
from portal.models import Organization

Kind = Organization.Kind

HEADERS = {
    "code": ("รหัส", "รหัสอปท", "รหัสองค์กร", "code", "dlacode"),
    "kind": ("ประเภท", "ประเภทอปท", "type", "kind"),
    "name": ("ชื่อ", "ชื่ออปท", "ชื่อองค์กร", "name", "nameth"),
    "province": ("จังหวัด", "province"),
    "district": ("อำเภอ", "district"),
    "subdistrict": ("ตำบล", "subdistrict"),
}
REQUIRED = ("code", "kind", "name", "province", "district")
KINDS = {
    "เทศบาลนคร": Kind.CITY_MUNICIPALITY, "ทน": Kind.CITY_MUNICIPALITY,
    "เทศบาลเมือง": Kind.TOWN_MUNICIPALITY, "ทม": Kind.TOWN_MUNICIPALITY,
    "เทศบาลตำบล": Kind.SUBDISTRICT_MUNICIPALITY, "ทต": Kind.SUBDISTRICT_MUNICIPALITY,
    "อบต": Kind.SAO, "องค์การบริหารส่วนตำบล": Kind.SAO,
    **{value: value for value in Kind.values},
}
PREFIXES = {"province": ("จังหวัด", "จ."), "district": ("อำเภอ", "อ."), "subdistrict": ("ตำบล", "ต.")}


class DirectoryFileError(ValueError):
    """The file as a whole cannot be read; str() is the message for the person who sent it."""


@dataclass(frozen=True)
class DirectoryRow:
    number: int  # the row's number in the file as a spreadsheet shows it (the header is row 1)
    code: str
    kind: str
    name_th: str
    province: str
    district: str
    subdistrict: str

    def values(self) -> dict:
        return {"kind": self.kind, "name_th": self.name_th, "province": self.province, "district": self.district,
                "subdistrict": self.subdistrict}


@dataclass(frozen=True)
class RowError:
    number: int
    message: str

    def __str__(self):
        return _("แถวที่ %(n)s: %(message)s") % {"n": self.number, "message": self.message}


def _key(header) -> str:
    return "".join(ch for ch in str(header or "").strip().lower() if ch not in " ._-()")


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(thai.to_arabic_digits(str(value)).split())


def _columns(header: list) -> dict[str, int]:
    keys = [_key(h) for h in header]
    found = {}
    for field, names in HEADERS.items():
        for name in names:
            if _key(name) in keys:
                found[field] = keys.index(_key(name))
                break
    missing = [HEADERS[f][0] for f in REQUIRED if f not in found]
    if missing:
        raise DirectoryFileError(_("แถวแรกของไฟล์ต้องเป็นหัวตาราง ไม่พบคอลัมน์: %(columns)s")
                                 % {"columns": ", ".join(missing)})
    return found


def _place(value: str, field: str) -> str:
    for prefix in PREFIXES[field]:
        if value.startswith(prefix) and len(value) > len(prefix):
            return value.removeprefix(prefix).strip()
    return value


def _row(number: int, cells: list, columns: dict[str, int], seen: dict[str, int],
         provinces: dict[str, str]) -> DirectoryRow | RowError:
    def get(field):
        index = columns.get(field)
        return _cell(cells[index]) if index is not None and index < len(cells) else ""

    code, kind_text, name = get("code"), get("kind"), get("name")
    province, district = _place(get("province"), "province"), _place(get("district"), "district")
    subdistrict = _place(get("subdistrict"), "subdistrict")
    if not (len(code) == 7 and code.isdigit()):
        return RowError(number, _("รหัส อปท. ต้องเป็นตัวเลข 7 หลัก (พบ “%(value)s”)") % {"value": code[:20]})
    if code in seen:
        return RowError(number, _("รหัส %(code)s ซ้ำกับแถวที่ %(other)s") % {"code": code, "other": seen[code]})
    kind = KINDS.get(kind_text.replace(".", "").replace(" ", "")) or KINDS.get(kind_text)
    if kind is None:
        return RowError(number, _("ไม่รู้จักประเภท “%(value)s” ใช้ เทศบาลนคร เทศบาลเมือง เทศบาลตำบล หรือ อบต.")
                        % {"value": kind_text[:40]})
    if not name:
        return RowError(number, _("ไม่มีชื่อองค์กร"))
    if len(name) > 200 or len(district) > 100 or len(subdistrict) > 100:
        return RowError(number, _("ชื่อยาวเกินกำหนด (ชื่อไม่เกิน 200 ตัวอักษร ตำบลและอำเภอไม่เกิน 100)"))
    if province not in provinces:
        return RowError(number, _("ไม่พบจังหวัด “%(value)s” ในรายชื่อ 76 จังหวัดและกรุงเทพมหานคร")
                        % {"value": province[:40]})
    if not district:
        return RowError(number, _("ไม่มีชื่ออำเภอ"))
    seen[code] = number
    return DirectoryRow(number=number, code=code, kind=kind, name_th=name, province=province, district=district,
                        subdistrict=subdistrict)


def read_directory(data: bytes | str, filename: str = "") -> tuple[list[DirectoryRow], list[RowError]]:
    """The file's good rows and the bad ones (each with its row number); empty rows are skipped."""
    rows, errors, seen, columns = [], [], {}, None
    provinces = thai.provinces_en()  # the 77 official names, read once for the file
    try:
        for number, cells in enumerate(tables.iter_rows(data, filename), start=1):
            if not any(_cell(c) for c in cells):
                continue
            if columns is None:
                columns = _columns(cells)
                continue
            result = _row(number, cells, columns, seen, provinces)
            (errors if isinstance(result, RowError) else rows).append(result)
    except tables.TableError as exc:
        raise DirectoryFileError(str(exc)) from None
    if columns is None:
        raise DirectoryFileError(_("ไฟล์ว่าง ไม่มีหัวตารางหรือข้อมูล"))
    if not rows and not errors:
        raise DirectoryFileError(_("ไฟล์มีแต่หัวตาราง ไม่มีรายชื่อองค์กร"))
    return rows, errors
