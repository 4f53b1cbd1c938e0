"""Plan reports keep their own =SUM totals as formulas, and any text from a plan document stays text."""

import io

import pytest
from openpyxl import load_workbook

from innovation_plans import reports, selectors
from innovation_plans.models import Activity, Plan

from .factories import make_plan

pytestmark = pytest.mark.django_db


def _plan(org):
    plan = make_plan(org, components=1, activities=1)
    Activity.objects.filter(plan=plan).update(title='=HYPERLINK("http://evil.example","x")')
    return selectors.plan_with_everything(Plan.objects.filter(pk=plan.pk)).get()


def test_plan_xlsx_keeps_its_sums_and_neutralises_text(org):
    data = reports.build_plan_report(_plan(org), None, "xlsx")
    book = load_workbook(io.BytesIO(data))
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    formulas = [c.value for c in cells if c.data_type == "f"]
    assert formulas and all(f.startswith("=SUM(") for f in formulas)
    assert any(c.value == "'=HYPERLINK(\"http://evil.example\",\"x\")" for c in cells)


def test_plan_csv_neutralises_text(org):
    body = reports.build_plan_report(_plan(org), None, "csv").decode("utf-8-sig")
    assert "'=HYPERLINK" in body and ",=HYPERLINK" not in body


def test_exchange_csv_is_neutralised_and_reads_back_as_typed():
    from pathlib import Path

    from innovation_plans.importer import parse_plan
    from innovation_plans.importer.exchange import write_csv

    seed = Path(__file__).resolve().parents[2] / "innovation_plans" / "seeds" / "khamyai_plan.txt"
    plan = parse_plan(seed.read_bytes(), seed.name)
    evil = '=HYPERLINK("http://evil.example","x")'
    plan["components"][0]["activities"][0]["title"] = evil
    data = write_csv(plan)
    text = data.decode("utf-8-sig")
    assert "'=HYPERLINK" in text and ",=HYPERLINK" not in text
    again = parse_plan(data, "plan.csv")
    assert again["components"][0]["activities"][0]["title"] == evil
