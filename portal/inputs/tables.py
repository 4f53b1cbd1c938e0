"""One reader for every uploaded table (CSV or XLSX): streaming, with hard limits.

    from portal.inputs import tables

    for row in tables.iter_rows(data, filename):       # lists of cell values (str, numbers, dates, None)
        ...
    rows = tables.read_rows(data, filename)            # the same as a list

Limits (settings, with safe defaults): TABLE_MAX_ROWS, TABLE_MAX_COLUMNS, TABLE_MAX_CELL_CHARS, TABLE_MAX_CELLS and
TABLE_MAX_SECONDS. Past any of them, or for a file that is not a table, `TableError` is raised with a message a
staff member can act on, in the active language (`.message_en` holds the English one). Nothing is read whole into memory beyond the file
itself:

- XLSX through openpyxl's read-only mode, with the sheet's `<dimension>` claim ignored (a 5 KB workbook claiming
  A1:XFD1048576 would otherwise have every row padded to 16,384 cells); the unzipped size is bounded first.
- CSV line by line: a physical line longer than a row can be is refused before the csv module splits it (a
  20 MB line of two million empty cells never becomes two million strings), and fields are capped by
  `csv.field_size_limit`.
"""

from __future__ import annotations

import csv
import io
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext, gettext_noop

XLSX_MAGIC = b"PK\x03\x04"


class TableError(ValueError):
    """The table is refused as a whole, for a reason the person who sent it can act on: a Thai message id and its
    values, shown in the active language through the catalogues (str() and `.message`; `.message_en` in English)."""

    def __init__(self, msgid: str, params: dict | None = None):
        super().__init__(msgid)
        self.msgid = msgid
        self.params = params or {}

    @property
    def message(self) -> str:
        text = gettext(self.msgid)
        return text % self.params if self.params else text

    @property
    def message_en(self) -> str:
        with translation.override("en"):
            return self.message

    def __str__(self):
        return self.message


@dataclass(frozen=True)
class Limits:
    rows: int
    columns: int
    cell_chars: int
    cells: int
    seconds: float

    @classmethod
    def from_settings(cls, **overrides) -> Limits:
        values = {
            "rows": getattr(settings, "TABLE_MAX_ROWS", 100_000),
            "columns": getattr(settings, "TABLE_MAX_COLUMNS", 200),
            "cell_chars": getattr(settings, "TABLE_MAX_CELL_CHARS", 10_000),
            "cells": getattr(settings, "TABLE_MAX_CELLS", 2_000_000),
            "seconds": getattr(settings, "TABLE_MAX_SECONDS", 60),
        }
        values.update(overrides)
        return cls(**values)

    @property
    def line_chars(self) -> int:
        """The longest physical CSV line a row within the limits can need (cells, quotes and separators)."""
        return self.columns * (self.cell_chars + 3)

    @property
    def unzipped_bytes(self) -> int:
        """The most XML a workbook within the limits can hold, generously (styles, shared strings, markup)."""
        return 50 * 1024 * 1024 + self.cells * 200


def is_xlsx(data: bytes, filename: str = "") -> bool:
    return data[:4] == XLSX_MAGIC or (filename or "").lower().endswith(".xlsx")


def read_rows(data: bytes | str, filename: str = "", *, limits: Limits | None = None, dialect=None,
              data_only: bool = True) -> list[list]:
    return list(iter_rows(data, filename, limits=limits, dialect=dialect, data_only=data_only))


def iter_rows(data: bytes | str, filename: str = "", *, limits: Limits | None = None, dialect=None,
              data_only: bool = True) -> Iterator[list]:
    """The first sheet's (or the CSV's) rows, each a list of cell values, within `limits`. `data` may be text
    (already decoded CSV). `dialect`: a csv dialect (default: comma-separated, Excel quoting)."""
    limits = limits or Limits.from_settings()
    guard = _Guard(limits)
    if isinstance(data, bytes) and is_xlsx(data, filename):
        rows = _xlsx_rows(data, limits, data_only)
    else:
        rows = _csv_rows(_text(data), limits, dialect)
    for row in rows:
        guard.row(row)
        yield row


class _Guard:
    def __init__(self, limits: Limits):
        self.limits = limits
        self.rows = 0
        self.cells = 0
        self.deadline = time.monotonic() + limits.seconds

    def row(self, row: list) -> None:
        limits = self.limits
        self.rows += 1
        if self.rows > limits.rows:
            raise TableError(gettext_noop("ไฟล์มีเกิน %(n)s แถว กรุณาแบ่งเป็นหลายไฟล์"), {"n": f"{limits.rows:,}"})
        if len(row) > limits.columns:
            raise TableError(gettext_noop("แถวที่ %(row)s มีเกิน %(n)s คอลัมน์ ไฟล์นี้อาจไม่ใช่ตารางที่ถูกต้อง"),
                             {"row": self.rows, "n": limits.columns})
        self.cells += len(row)
        if self.cells > limits.cells:
            raise TableError(gettext_noop("ไฟล์มีข้อมูลเกิน %(n)s ช่อง กรุณาแบ่งเป็นหลายไฟล์"), {"n": f"{limits.cells:,}"})
        for value in row:
            if isinstance(value, str) and len(value) > limits.cell_chars:
                raise _cell_too_long(self.rows, limits)
        if self.rows % 256 == 0 and time.monotonic() > self.deadline:
            raise _too_slow(limits)


def _cell_too_long(row: int, limits: Limits) -> TableError:
    return TableError(gettext_noop("แถวที่ %(row)s มีช่องที่ยาวเกิน %(n)s ตัวอักษร"),
                      {"row": row, "n": f"{limits.cell_chars:,}"})


def _too_slow(limits: Limits) -> TableError:
    return TableError(gettext_noop("อ่านไฟล์นานเกิน %(n)s วินาที กรุณาแบ่งเป็นไฟล์ที่เล็กลง"), {"n": int(limits.seconds)})


def _text(data: bytes | str) -> str:
    if isinstance(data, str):
        return data
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise TableError(gettext_noop("ไฟล์ต้องเป็น CSV แบบ UTF-8 หรือ Excel (.xlsx)")) from None
    if "\x00" in text:
        raise TableError(gettext_noop("ไฟล์ต้องเป็น CSV แบบ UTF-8 หรือ Excel (.xlsx)"))
    return text


def _bounded_lines(text: str, limits: Limits) -> Iterator[str]:
    """Physical lines, each refused past the longest a row within the limits can be, before it is split."""
    longest = limits.line_chars
    stream = io.StringIO(text, newline="")
    while True:
        line = stream.readline(longest + 1)
        if not line:
            return
        if len(line) > longest and not line.endswith(("\n", "\r")):
            raise TableError(
                gettext_noop("มีบรรทัดที่ยาวเกินกว่าที่ตารางจะมีได้ (เกิน %(n)s คอลัมน์ หรือช่องยาวเกิน %(c)s ตัวอักษร)"),
                {"n": limits.columns, "c": f"{limits.cell_chars:,}"})
        yield line


def _csv_rows(text: str, limits: Limits, dialect) -> Iterator[list]:
    previous = csv.field_size_limit()
    csv.field_size_limit(limits.cell_chars)
    try:
        reader = csv.reader(_bounded_lines(text, limits), dialect or csv.excel)
        try:
            yield from reader
        except csv.Error as exc:
            if "field larger than field limit" in str(exc):
                raise _cell_too_long(reader.line_num, limits) from None
            raise TableError(gettext_noop("อ่านไฟล์ CSV ไม่ได้ (บรรทัดที่ %(n)s)"), {"n": reader.line_num}) from None
    finally:
        csv.field_size_limit(previous)


def _unreadable_xlsx() -> TableError:
    return TableError(gettext_noop("ไฟล์ Excel เสียหายหรืออ่านไม่ได้"))


def _xlsx_rows(data: bytes, limits: Limits, data_only: bool) -> Iterator[list]:
    from openpyxl import load_workbook

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        unzipped = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise _unreadable_xlsx() from None
    if unzipped > limits.unzipped_bytes:
        raise TableError(gettext_noop("ไฟล์ Excel นี้เมื่อแตกออกมีขนาดใหญ่เกินกว่าที่รับได้ กรุณาแบ่งเป็นหลายไฟล์"))
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=data_only)
        sheet = book.worksheets[0]
    except Exception:  # openpyxl raises many kinds for a damaged or foreign file; all mean the same to a person
        raise _unreadable_xlsx() from None
    try:
        # The sheet's <dimension> is the writer's claim, not the data: trusting it pads every row to its width.
        sheet.reset_dimensions()
        rows = sheet.iter_rows(values_only=True)
        while True:
            try:
                row = next(rows)
            except StopIteration:
                return
            except TableError:
                raise
            except Exception:
                raise _unreadable_xlsx() from None
            yield list(row)
    finally:
        book.close()
