"""Import innovation plan documents (แผนพัฒนานวัตกรรม) into a plain dict.

``parse_plan(data, filename)`` reads text extracted from a plan (tab-separated or Markdown tables, HTML in cells,
Thai digits), a Word ``.docx``, or the portal's own CSV/XLSX exchange file, and returns the plan as written, with
a warning for every place where the document disagrees with itself. It returns a complete result or raises
``PlanImportError``; nothing partial.
"""

import io
import zipfile

from django.utils.translation import gettext_noop

from .errors import LINE, ROW, PlanImportError
from .exchange import FORMAT_MARK, export_rows, read_exchange_rows, write_csv, write_xlsx
from .plan import build_plan
from .tables import rows_items, text_items
from .text import decode

__all__ = ["PlanImportError", "export_rows", "parse_plan", "write_csv", "write_xlsx"]


def parse_plan(data: bytes, filename: str = "") -> dict:
    """The plan in ``data`` (the uploaded file's bytes); ``filename`` only helps choose the reader."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    name = (filename or "").lower()
    if not data or not data.strip():
        raise PlanImportError(gettext_noop("ไฟล์ว่างเปล่า"))
    if data.startswith(b"%PDF"):
        raise PlanImportError(gettext_noop("ไฟล์ PDF นำเข้าโดยตรงไม่ได้ กรุณาแปลงเป็นข้อความ, Word (.docx) หรือ CSV/XLSX ก่อน"))
    if data.startswith(b"PK\x03\x04"):
        return _parse_zip(data)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise PlanImportError(gettext_noop("ไฟล์ Word/Excel รุ่นเก่า (.doc/.xls) นำเข้าไม่ได้ กรุณาบันทึกเป็น .docx หรือ .xlsx"))
    text = decode(data)
    if text.lstrip().startswith(FORMAT_MARK) or name.endswith(".csv"):
        return _parse_csv(text)
    return build_plan(text_items(text))


def _parse_zip(data):
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError):
        raise PlanImportError(gettext_noop("ไฟล์ ZIP เสียหาย")) from None
    if "word/document.xml" in names:
        from .docx_reader import docx_items

        return build_plan(docx_items(data))
    if any(n.startswith("xl/") for n in names):
        return _parse_xlsx(data)
    raise PlanImportError(gettext_noop("ไฟล์ ZIP นี้ไม่ใช่เอกสาร Word (.docx) หรือ Excel (.xlsx)"))


def _table_rows(data, filename, **kwargs):
    """Rows through the portal's one table reader (streaming, within the installation's limits)."""
    from portal.inputs import tables

    try:
        return tables.read_rows(data, filename, **kwargs)
    except tables.TableError as exc:
        raise PlanImportError(exc.msgid, params=exc.params) from None


def _parse_csv(text):
    import csv

    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = _table_rows(text, "plan.csv", dialect=dialect)
    return _parse_rows(rows, lambda i: (LINE, {"n": i}))


def _parse_xlsx(data):
    def sheet_rows(data_only):
        return _table_rows(data, "plan.xlsx", data_only=data_only)

    rows = sheet_rows(data_only=False)
    if not _is_exchange(rows):
        # Someone's own spreadsheet: read the values Excel last computed rather than the formulas.
        rows = sheet_rows(data_only=True)
    return _parse_rows(rows, lambda i: (ROW, {"n": i}))


def _is_exchange(rows):
    first = next((r for r in rows if any(v not in (None, "") for v in r)), [])
    return bool(first) and str(first[0]).strip().lstrip("\ufeff") == FORMAT_MARK


def _parse_rows(rows, where):
    if _is_exchange(rows):
        return read_exchange_rows(rows, where)
    # Not our exchange format: a spreadsheet holding the plan table itself, read like a document.
    return build_plan(rows_items(rows, where))
