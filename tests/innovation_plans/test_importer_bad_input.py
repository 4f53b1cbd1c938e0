"""The plan importer refusing what is not a plan, each time with a reason in one language; and its small pieces
(amounts, encodings, the English of every message).

No database: the importer reads bytes and returns a plan.
"""

import re
from pathlib import Path

import pytest

from innovation_plans.importer import PlanImportError, parse_plan
from innovation_plans.importer.text import decode, parse_amount
from tests.innovation_plans.plan_files import fixture, in_english

# --- bad input -----------------------------------------------------------------------------------------------


def test_a_file_that_is_not_a_plan():
    with pytest.raises(PlanImportError) as error:
        parse_plan(fixture("bad_not_a_plan.txt"), "minutes.txt")
    assert error.value.line is None
    assert "ไม่พบตาราง" in str(error.value) and "no plan table" in in_english(error.value)


@pytest.mark.parametrize(
    "data",
    [
        bytes(range(256)) * 8,  # binary
        b"\x89PNG\r\n\x1a\n" + bytes(range(32)) * 10,  # an image
        "Café crème brûlée à la carte".encode("cp1252"),  # a Western code page, not Thai
    ],
)
def test_unknown_encoding(data):
    with pytest.raises(PlanImportError) as error:
        parse_plan(data, "plan.txt")
    assert "encoding" in in_english(error.value)


def test_a_row_with_too_many_columns():
    with pytest.raises(PlanImportError) as error:
        parse_plan(fixture("bad_wrong_columns.txt"), "plan.txt")
    assert error.value.line == 8
    assert str(error.value).startswith("บรรทัด 8: ") and "line 8: row has 8 cells" in in_english(error.value)


def test_a_budget_that_is_not_a_number():
    with pytest.raises(PlanImportError) as error:
        parse_plan(fixture("bad_budget.md"), "plan.md")
    assert error.value.line == 8
    # one language at a time: the page's
    assert str(error.value) == "บรรทัด 8: งบประมาณ 'abc' ไม่ใช่ตัวเลข"
    assert in_english(error.value) == "line 8: budget 'abc' is not a number"


@pytest.mark.parametrize(
    ("data", "words"),
    [(b"", "empty"), (b"%PDF-1.7\n...", "PDF"), (b"PK\x03\x04broken", "zip"), (b"\xd0\xcf\x11\xe0old", ".doc")],
)
def test_other_files_are_refused_with_a_reason(data, words):
    with pytest.raises(PlanImportError) as error:
        parse_plan(data, "upload.bin")
    assert words in in_english(error.value)


# --- small pieces ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "amount"),
    [("๕๐,๐๐๐.-", 50_000), ("1,130,000", 1_130_000), ("25,000 บาท", 25_000), ("-", None), ("", None),
     ("ดำเนินการโดยไม่ใช้งบประมาณ", None), ("<b>30,000</b>", 30_000), ("100000.00", 100_000)],
)  # fmt: skip
def test_amounts(cell, amount):
    assert parse_amount(cell) == amount


def test_decode_accepts_the_supported_encodings():
    text = "แผนพัฒนานวัตกรรม ๒๕๖๖"
    for data in (text.encode(), text.encode("utf-8-sig"), text.encode("utf-16"), text.encode("cp874")):
        assert decode(data) == text


def test_every_importer_message_reads_in_english_too():
    """Each message id the importer raises (or names a place with) has its English in the catalogue."""
    from django.utils import translation
    from django.utils.translation import gettext

    import innovation_plans.importer as package

    ids = {m for path in Path(package.__file__).parent.glob("*.py")
           for m in re.findall(r'gettext_(?:noop|lazy)\("([^"]*)"\)', path.read_text(encoding="utf-8"))}
    assert len(ids) > 20
    with translation.override("en"):
        missing = [m for m in ids if gettext(m) == m]
    assert not missing, missing
