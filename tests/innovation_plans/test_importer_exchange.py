"""The plan exchange format (CSV and XLSX): every plan read back the same, edited by hand, and a wrong record.

Pure Python: no database.
"""

import csv
import io
import re

import openpyxl
import pytest

from innovation_plans.importer import PlanImportError, export_rows, parse_plan, write_csv, write_xlsx
from tests.innovation_plans.plan_files import codes, fixture, seed

# --- the exchange format -----------------------------------------------------------------------------------

ROUND_TRIP = [
    ("khamyai", lambda: seed("khamyai")),
    ("nangrong", lambda: seed("nangrong")),
    ("phannanakhon", lambda: seed("phannanakhon")),
    ("component_plan", lambda: fixture("component_plan.md")),
    ("town", lambda: fixture("town_2568_2572.txt")),
    ("flat", lambda: fixture("flat_plan.tsv.txt")),
    ("html", lambda: fixture("html_cells_plan.txt")),
    ("unparsed", lambda: fixture("unparsed_rows.md")),
]


@pytest.mark.parametrize(("name", "load"), ROUND_TRIP)
@pytest.mark.parametrize("writer", [write_csv, write_xlsx])
def test_exchange_round_trip(name, load, writer):
    plan = parse_plan(load(), f"{name}.txt")
    again = parse_plan(writer(plan), "export.csv" if writer is write_csv else "export.xlsx")
    for key in ("organization", "title", "fiscal_year_start", "fiscal_year_end", "components", "indicators", "swot",
                "activity_count", "budget_by_year", "budget_total", "stated_total_by_year", "objectives", "goal"):  # fmt: skip
        assert again[key] == plan[key], key
    # Rows the document reader could not understand are not in the export, so neither is their warning.
    assert codes(again) == [code for code in codes(plan) if code != "unparsed_row"]


def test_csv_export_is_utf8_with_bom_and_one_row_per_activity():
    plan = parse_plan(seed("phannanakhon"), "p.txt")
    data = write_csv(plan)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert sum(1 for r in rows if r and r[0] == "activity") == 42
    assert rows == [[("" if v is None else str(v)) for v in r] for r in _csv_like(export_rows(plan))]


def _csv_like(rows):
    return [["TRUE" if v is True else "FALSE" if v is False else v for v in r] for r in rows]


def test_xlsx_export_keeps_numbers_as_numbers_and_totals_as_formulas():
    plan = parse_plan(seed("phannanakhon"), "p.txt")
    sheet = openpyxl.load_workbook(io.BytesIO(write_xlsx(plan))).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    header = next(r for r in rows if r[0] == "#plan")
    col = {re.search(r"\((\w+)\)$", h).group(1): i for i, h in enumerate(header) if h and "(" in h}
    first = next(r for r in rows if r[0] == "activity")
    assert first[col["budget_2566"]] == 25_000 and isinstance(first[col["budget_2566"]], int)
    assert str(first[col["budget_total"]]).startswith("=SUM(")
    assert first[col["activity_number"]] == "1.1"
    total = next(r for r in rows if r[0] == "total")
    assert str(total[col["budget_total"]]).startswith("=SUMIF(")


def test_exchange_file_edited_by_hand():
    plan = parse_plan(fixture("component_plan.md"), "p.md")
    text = write_csv(plan).decode("utf-8-sig")
    # A figure changed by hand is read as written; the component's stated totals then disagree with it.
    edited = text.replace("ระบบแจ้งเรื่องร้องเรียนออนไลน์,,ประชาชนแจ้งเรื่องได้ตลอด ๒๔ ชั่วโมง,สำนักปลัด,2567,2569,50000",
                          "ระบบแจ้งเรื่องร้องเรียนออนไลน์,,ประชาชนแจ้งเรื่องได้ตลอด ๒๔ ชั่วโมง,สำนักปลัด,2567,2569,\"๖๐,๐๐๐\"")  # fmt: skip
    assert edited != text
    again = parse_plan(edited.encode("utf-8-sig"), "edited.csv")
    assert again["components"][0]["activities"][0]["budget_by_year"]["2567"] == 60_000
    assert [(w["code"], w["year"]) for w in again["warnings"] if w["code"] == "stated_total_mismatch"][:2] == [
        ("stated_total_mismatch", 2567),
        ("stated_total_mismatch", 2569),
    ]
    lines = edited.split("\n")
    number = next(i for i, line in enumerate(lines, 1) if line.startswith("activity,1,") and "1.2" in line)
    lines[number - 1] = lines[number - 1].replace(",20000,", ",สองหมื่น,")
    with pytest.raises(PlanImportError) as error:
        parse_plan("\n".join(lines).encode("utf-8-sig"), "edited.csv")
    assert error.value.line == number
    assert f"บรรทัด {number}" in str(error.value) and "สองหมื่น" in str(error.value)


def test_exchange_file_with_an_unknown_record_type():
    text = write_csv(parse_plan(seed("nangrong"), "p.txt")).decode("utf-8-sig").replace("\nactivity,", "\nproject,", 1)
    with pytest.raises(PlanImportError, match="project"):
        parse_plan(text.encode(), "x.csv")
