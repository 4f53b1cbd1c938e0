"""Every CSV and XLSX the portal hands out goes through here, so a citizen's text never becomes a live formula.

OWASP's rule for CSV injection: a cell that starts with =, +, -, @, tab or carriage return is prefixed with a
single quote. Numbers (int, Decimal, float) stay numbers; a text that is only a plain number ("-12.5") stays as
it is, since a spreadsheet reads it as that number and never as a formula.
"""

import csv
import datetime as dt
import io
import re
from decimal import Decimal
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralise(value):
    """The value made safe for a spreadsheet cell (see the module docstring)."""
    if value is None or isinstance(value, (bool, int, float, Decimal, dt.date, dt.time)):
        return value
    text = str(value)
    if text.startswith(FORMULA_STARTS) and text != "-" and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def _content_disposition(filename: str) -> str:
    ascii_name = filename.encode("ascii", "ignore").decode() or "export"
    ascii_name = ascii_name.replace('"', "").replace("\\", "")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


class csv_writer:  # noqa: N801 (a drop-in for csv.writer)
    """csv.writer that neutralises every cell; for files built row by row (reports with several sections)."""

    def __init__(self, buffer):
        self._writer = csv.writer(buffer)

    def writerow(self, row):
        return self._writer.writerow([neutralise(v) for v in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def neutralise_workbook(workbook, *, allow=None) -> None:
    """Neutralise every text cell of an openpyxl workbook built cell by cell. `allow` (a compiled pattern)
    names the formulas the report itself writes (e.g. its own =SUM(B2:B9) totals); any other text that would be
    read as a formula is made text."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                value = cell.value
                if not isinstance(value, str):
                    continue
                if allow is not None and allow.fullmatch(value):
                    continue
                safe = neutralise(value)
                if safe != value or cell.data_type == "f":
                    cell.value = safe
                    cell.data_type = "s"


def csv_bytes(header, rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([neutralise(h) for h in header])
    for row in rows:
        writer.writerow([neutralise(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # BOM: Excel then reads UTF-8 Thai correctly


def csv_response(filename: str, header: list[str], rows) -> HttpResponse:
    response = HttpResponse(csv_bytes(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = _content_disposition(filename)
    response["Cache-Control"] = "private, no-store"
    return response


def _xlsx_value(value):
    value = neutralise(value)
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value).replace(tzinfo=None)
    return value


def xlsx_bytes(sheets) -> bytes:
    """`sheets`: [(title, header, rows), ...] -> the .xlsx file. Text cells are written as text, never formulas."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    used = set()
    for index, (title, header, rows) in enumerate(sheets):
        name = re.sub(r"[\[\]:*?/\\]", " ", str(title or f"Sheet{index + 1}"))[:31] or f"Sheet{index + 1}"
        while name in used:
            name = f"{name[:28]}-{index + 1}"
        used.add(name)
        sheet = workbook.create_sheet(name)
        if header:
            sheet.append([_xlsx_value(h) for h in header])
            for cell in sheet[1]:
                cell.font = Font(bold=True)
                cell.data_type = "s" if isinstance(cell.value, str) else cell.data_type
        for row in rows:
            sheet.append([_xlsx_value(v) for v in row])
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # openpyxl would otherwise store "=..." as a formula
    if not workbook.worksheets:
        workbook.create_sheet("Sheet1")
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def xlsx_response(filename: str, header, rows, *, title: str = "") -> HttpResponse:
    response = HttpResponse(xlsx_bytes([(title, header, rows)]), content_type=XLSX_TYPE)
    response["Content-Disposition"] = _content_disposition(filename)
    response["Cache-Control"] = "private, no-store"
    return response
