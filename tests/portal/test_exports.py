import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from portal.outputs.exports import csv_response, neutralise, xlsx_bytes, xlsx_response


@pytest.mark.parametrize("value", ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\t=1", "\r=1",
                                   '=HYPERLINK("http://x","y")'])
def test_formula_starts_are_neutralised(value):
    assert neutralise(value) == "'" + value


@pytest.mark.parametrize("value", [5, Decimal("-12.50"), -3.5, "-12.5", "+66", "หมู่ 1", "", None])
def test_numbers_and_plain_text_stay(value):
    assert neutralise(value) == value


def test_csv_has_bom_and_neutralised_cells():
    response = csv_response("รายงาน.csv", ["ชื่อ", "=h"], [["=1+1", 5], ["หมู่ 2", Decimal("1.5")]])
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    assert "'=1+1" in body and "'=h" in body and "\n=1+1" not in body
    assert "filename*=UTF-8''" in response["Content-Disposition"]


def test_xlsx_cells_are_text_not_formulas_and_numbers_stay_numbers():
    data = xlsx_bytes([("แผ่น/1", ["a", "b", "c"], [["=1+1", Decimal("2.50"),
                                                    dt.datetime(2025, 1, 1, tzinfo=dt.UTC)]])])
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet["A2"].value == "'=1+1" and sheet["A2"].data_type == "s"
    assert sheet["B2"].value == 2.5 and sheet["B2"].data_type == "n"
    assert sheet["C2"].is_date


def test_xlsx_response_headers():
    response = xlsx_response("x.xlsx", ["a"], [["@x"]], title="t")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.title == "t" and sheet["A2"].value == "'@x"
