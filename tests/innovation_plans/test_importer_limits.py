"""The plan exchange import reads tables through portal.inputs.tables: a hostile file is refused with a reason."""

import pytest

from innovation_plans.importer import PlanImportError, parse_plan
from tests.portal.test_tables import hostile_xlsx


def test_a_workbook_claiming_the_whole_sheet_is_refused():
    with pytest.raises(PlanImportError) as caught:
        parse_plan(hostile_xlsx(), "plan.xlsx")
    assert "แถว" in str(caught.value) or "คอลัมน์" in str(caught.value)


def test_a_csv_with_two_million_columns_is_refused():
    with pytest.raises(PlanImportError) as caught:
        parse_plan(b"123456789," * 2_000_000 + b"\n", "plan.csv")
    assert "บรรทัดที่ยาวเกิน" in str(caught.value)
    from django.utils import translation

    with translation.override("en"):  # the table reader's message, one language at a time: the page's
        assert str(caught.value).startswith("a line is longer than any row can be")
