"""Total rows in the many wordings documents use are recognised and checked against the computed sums; a total
row whose amounts cannot be read is a warning naming the component and the line, never an aborted import."""

from pathlib import Path

import pytest
from django.utils import translation

from innovation_plans.importer import parse_plan

SOURCE = (Path(__file__).parent / "fixtures" / "component_plan.md").read_text(encoding="utf-8")
TOTAL_ROW = "| **รวม ๓ กิจกรรม** | | **๗๐,๐๐๐** |"


def with_total_row(row):
    assert TOTAL_ROW in SOURCE
    return parse_plan(SOURCE.replace(TOTAL_ROW, row).encode(), "plan.md")


@pytest.mark.parametrize("row, count", [
    ("| รวมจำนวน ๓ กิจกรรม | | ๗๐,๐๐๐.- |", 3),
    ("| รวมจำนวน | ๓ โครงการ | ๗๐,๐๐๐ |", 3),
    ("| ยอดรวม | ๓ กิจกรรม | ๗๐,๐๐๐ |", 3),
    ("| | รวมงบประมาณ | ๗๐,๐๐๐ |", None),
    ("| รวม | | ๗๐,๐๐๐ |", None),
    ("| รวมเป็นเงิน | | ๗๐,๐๐๐.- |", None),
    ("| รวม: ๓ มาตรการ | | ๗๐,๐๐๐ |", 3),
])
def test_total_row_wordings_are_checked(row, count):
    plan = with_total_row(row)
    codes = [w["code"] for w in plan["warnings"]]
    assert "unparsed_row" not in codes, plan["warnings"]
    # The component's stated 2569 total (50,000) is compared with its rows (40,000): the wrong total is flagged.
    [mismatch] = [w for w in plan["warnings"] if w["code"] == "stated_total_mismatch"]
    assert (mismatch["component"], mismatch["year"], mismatch["stated"], mismatch["computed"]) == (1, 2569, 50_000, 40_000)
    assert plan["components"][0]["stated_activity_count"] == count


def test_a_count_that_disagrees_is_flagged():
    plan = with_total_row("| รวมจำนวน | ๔ กิจกรรม | ๗๐,๐๐๐ |")
    assert any(w["code"] == "stated_count_mismatch" or "4 กิจกรรม" in w["message"] for w in plan["warnings"])


def test_unreadable_total_row_is_a_warning_naming_component_and_line():
    plan = with_total_row("| รวม ๓ กิจกรรม | | ไม่ทราบ |")
    [warning] = [w for w in plan["warnings"] if w["code"] == "unreadable_total_row"]
    assert warning["component"] == 1 and warning["line"] == 29
    assert "องค์ประกอบที่ 1" in warning["message"] and "บรรทัด 29" in warning["message"]
    assert plan["activity_count"] == 4  # the import went on


def test_warning_codes_are_sentences_and_load_demo_explains_them():
    from innovation_plans.demo import explain_warnings
    from innovation_plans.warning_text import KINDS, kind_sentence

    plan = with_total_row("| รวม ๓ กิจกรรม | | ไม่ทราบ |")
    [line] = [x for x in explain_warnings(plan["warnings"]) if "แถวรวม" in x]
    assert line.startswith("แถวรวมอ่านยอดเงินไม่ได้") and "(บรรทัด 29)" in line and "unreadable" not in line
    assert kind_sentence("no_such_code") == "ข้อสังเกตจากการนำเข้าแผน"
    importer = Path(__file__).resolve().parents[2] / "innovation_plans" / "importer"
    import re
    used = set(re.findall(r'warning\(\s*"([a-z_]+)"', "".join(p.read_text() for p in importer.glob("*.py"))))
    assert used and used <= set(KINDS), used - set(KINDS)


@pytest.fixture(autouse=True)
def _thai():
    with translation.override("th"):
        yield
