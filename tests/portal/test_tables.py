"""portal.inputs.tables: one streaming reader with hard limits for every uploaded table."""

import io
import re
import zipfile

import openpyxl
import pytest

from portal.inputs import tables


def workbook(cells: dict) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for ref, value in cells.items():
        sheet[ref] = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def claim_dimension(data: bytes, ref: str) -> bytes:
    """The same workbook with its first sheet's <dimension> claiming `ref` (as a hostile or broken writer would)."""
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = re.sub(rb'<dimension ref="[^"]*"', f'<dimension ref="{ref}"'.encode(), content)
            target.writestr(item, content)
    return out.getvalue()


def hostile_xlsx() -> bytes:
    """About 5 KB: claims A1:XFD1048576 and has cells at both corners."""
    return claim_dimension(workbook({"A1": "date", "XFD1048576": "x"}), "A1:XFD1048576")


def test_a_dimension_claim_is_ignored_and_the_data_read_as_it_is():
    data = claim_dimension(workbook({"A1": "date", "B1": "amount", "A2": "01/03/2568", "B2": 2000}), "A1:XFD1048576")
    assert tables.read_rows(data, "s.xlsx") == [["date", "amount"], ["01/03/2568", 2000]]


def test_a_small_workbook_claiming_the_whole_sheet_is_refused_with_a_thai_message():
    data = hostile_xlsx()
    assert len(data) < 8 * 1024
    with pytest.raises(tables.TableError) as caught:
        tables.read_rows(data, "bomb.xlsx")
    assert "คอลัมน์" in str(caught.value) or "แถว" in str(caught.value)


def test_two_million_columns_of_csv_are_refused_before_they_are_split():
    data = b"123456789," * 2_000_000 + b"\n"  # 20 MB, one line
    with pytest.raises(tables.TableError) as caught:
        tables.read_rows(data, "wide.csv")
    assert "บรรทัดที่ยาวเกิน" in str(caught.value)
    assert "longer than any row" in caught.value.message_en


@pytest.mark.parametrize("limit, data, words", [
    ({"rows": 3}, b"a\n1\n2\n3\n", "แถว"),
    ({"columns": 3}, b"a,b,c,d\n", "คอลัมน์"),
    ({"cell_chars": 5}, b"a,123456\n", "ยาวเกิน 5 ตัวอักษร"),
    ({"cells": 5}, b"a,b\n1,2\n3,4\n", "ช่อง"),
])
def test_each_limit_answers_with_its_message(limit, data, words):
    with pytest.raises(tables.TableError) as caught:
        tables.read_rows(data, "t.csv", limits=tables.Limits.from_settings(**limit))
    assert words in str(caught.value)


def test_wall_time_limit():
    rows = b"a,b\n" + b"1,2\n" * 1000
    with pytest.raises(tables.TableError) as caught:
        tables.read_rows(rows, "t.csv", limits=tables.Limits.from_settings(seconds=-1))
    assert "วินาที" in str(caught.value)


def test_limits_come_from_settings(settings):
    settings.TABLE_MAX_ROWS = 2
    with pytest.raises(tables.TableError):
        tables.read_rows(b"a\n1\n2\n", "t.csv")


@pytest.mark.parametrize("data", [b"\xff\xfe\x00a", b"PK\x03\x04not a zip", b"a,\x00b\n"])
def test_what_is_not_a_table_is_refused_clearly(data):
    with pytest.raises(tables.TableError):
        tables.read_rows(data, "x.xlsx" if data.startswith(b"PK") else "x.csv")


def test_csv_quoting_and_thai_text_read_as_written():
    data = 'ชื่อ,ที่อยู่\n"นายสมชาย ใจดี","หมู่ 1, ตำบลคำใหญ่\nอำเภอห้วยเม็ก"\n'.encode()
    assert tables.read_rows(data, "t.csv") == [["ชื่อ", "ที่อยู่"], ["นายสมชาย ใจดี", "หมู่ 1, ตำบลคำใหญ่\nอำเภอห้วยเม็ก"]]
