"""The plan importer: seeds, document variations, Word (bad input and small pieces: test_importer_bad_input; the
exchange format: test_importer_exchange).

No database: the importer reads bytes and returns a plan.
"""

import csv
import hashlib
import io
import json
import re

import docx
import openpyxl
import pytest

from innovation_plans.importer import PlanImportError, parse_plan
from innovation_plans.importer.text import to_arabic
from tests.innovation_plans.plan_files import SEEDS, WARNING_KEYS, codes, fixture, in_english, seed


def summary(plan):
    """What must not change when the same plan is written another way."""
    return {
        "organization": plan["organization"],
        "years": (plan["fiscal_year_start"], plan["fiscal_year_end"]),
        "activity_count": plan["activity_count"],
        "budget_total": plan["budget_total"],
        "budget_by_year": plan["budget_by_year"],
        "components": [(c["number"], c["title"], len(c["activities"])) for c in plan["components"]],
        "activities": [
            (a["number"], a["budget_total"], a["budget_by_year"], a["start_year"], a["end_year"], a["no_budget"])
            for c in plan["components"]
            for a in c["activities"]
        ],
        "warnings": codes(plan),
    }


# --- the three seeds -----------------------------------------------------------------------------------


# The reference documents, byte for byte: an edit to a shipped seed shows here, not as a quiet change of every
# figure the tests below and the demo derive from it.
SEED_SHA256 = {
    "khamyai": "7aee7b0669046aa9567c25ea33e662965f064c99b234aeabaebf139cfc5b3951",
    "nangrong": "76ef7cbac8f0d21f75b943eac580a6ca5b35ee7c99f39ec68cc51b7b5ec84a02",
    "phannanakhon": "4dbed17e72bc533daa46f0c4de45808bae39068dd40904a31e0a707c9a93ad8f",
}


def test_the_project_ships_the_three_reference_seeds_and_the_demo_reads_them():
    from innovation_plans import demo

    assert demo.SEEDS == SEEDS
    shipped = sorted(path.name for path in SEEDS.iterdir() if path.is_file())
    assert shipped == sorted(demo.PLANS.values()) == sorted(f"{name}_plan.txt" for name in SEED_SHA256)
    for name, digest in SEED_SHA256.items():
        assert hashlib.sha256(seed(name)).hexdigest() == digest, f"{name}_plan.txt is not the reference document"


def test_khamyai_flat_table_with_missing_items_and_wrong_total():
    plan = parse_plan(seed("khamyai"), "khamyai_plan.txt")
    assert plan["organization"] == {
        "name": "เทศบาลตำบลคำใหญ่",
        "district": "ห้วยเม็ก",
        "province": "กาฬสินธุ์",
        "kind": "subdistrict",
    }
    assert plan["title"] == "แผนพัฒนานวัตกรรมเทศบาลตำบลคำใหญ่ ไปสู่การเป็นระบบราชการ 4.0"
    assert (plan["fiscal_year_start"], plan["fiscal_year_end"]) == (2566, 2570)
    [component] = plan["components"]
    assert component["number"] is None
    assert plan["activity_count"] == 2
    first, fourth = component["activities"]
    assert (first["number"], fourth["number"]) == ("1", "4")
    assert first["title"].startswith("โครงการ Open Data")
    assert first["budget_total"] == 10000 and first["budget_by_year"] == {}
    assert (first["start_year"], first["end_year"]) == (2567, 2568)
    assert "<p>" not in first["details"] and first["details"].count("\n") == 3
    # The end arrow sits in the responsible-unit column: still the last year, and the unit is read after it.
    assert (fourth["start_year"], fourth["end_year"]) == (2566, 2570)
    assert fourth["responsible_unit"] == "สำนักปลัด"
    assert fourth["no_budget"] is True and fourth["budget_total"] == 0
    assert plan["budget_total"] == 10000 and plan["budget_by_year"] == {}
    assert component["stated_total"] == 30000
    assert codes(plan) == ["numbering_gap", "stated_total_mismatch"]
    mismatch = next(w for w in plan["warnings"] if w["code"] == "stated_total_mismatch")
    assert mismatch["component"] is None and mismatch["year"] is None
    assert (mismatch["stated"], mismatch["computed"]) == (30000, 10000)
    gap = next(w for w in plan["warnings"] if w["code"] == "numbering_gap")
    assert "2–3" in gap["message"]


def test_nangrong_has_no_budget_at_all():
    plan = parse_plan(seed("nangrong"), "nangrong_plan.txt")
    assert plan["organization"]["name"] == "องค์การบริหารส่วนตำบลนางรอง"
    assert (plan["organization"]["district"], plan["organization"]["province"]) == ("นางรอง", "บุรีรัมย์")
    assert plan["organization"]["kind"] == "sao"
    assert (plan["fiscal_year_start"], plan["fiscal_year_end"]) == (2566, 2570)
    [component] = plan["components"]
    activities = component["activities"]
    assert [a["number"] for a in activities] == ["1", "2", "3", "4"]
    assert all(a["no_budget"] and a["budget_total"] == 0 for a in activities)
    assert plan["budget_total"] == 0
    assert [(a["start_year"], a["end_year"]) for a in activities] == [
        (2566, 2570),
        (2566, 2567),
        (2566, 2567),
        (None, None),
    ]
    assert [a["responsible_unit"] for a in activities] == ["สำนักปลัด", "สำนักปลัด", "กองคลัง", ""]
    assert plan["warnings"] == []  # the E-Service table after the plan is not read as activities


def test_phannanakhon_component_tables():
    plan = parse_plan(seed("phannanakhon"), "phannanakhon_plan.txt")
    # The table of contents and the body misspell the name; the title page is trusted.
    assert plan["organization"]["name"] == "เทศบาลตำบลพรรณานคร"
    assert (plan["organization"]["district"], plan["organization"]["province"]) == ("พรรณานิคม", "สกลนคร")
    assert (plan["fiscal_year_start"], plan["fiscal_year_end"]) == (2566, 2570)
    assert [c["number"] for c in plan["components"]] == list(range(1, 14))
    assert plan["components"][0]["title"] == "ดิจิทัล"
    # Component 1 is split over two pages with its header repeated: one component of 11 activities.
    assert [c["activity_count"] for c in plan["components"]] == [11, 3, 4, 2, 5, 1, 3, 1, 4, 1, 2, 1, 4]
    assert plan["activity_count"] == 42
    assert plan["budget_by_year"] == {str(y): 2_115_000 for y in range(2566, 2571)}
    assert plan["budget_total"] == 10_575_000
    assert plan["components"][2]["stated_total_by_year"] == {str(y): 460_000 for y in range(2566, 2571)}
    internet = plan["components"][0]["activities"][0]
    assert internet["number"] == "1.1"
    assert internet["budget_by_year"] == {str(y): 25_000 for y in range(2566, 2571)}
    assert internet["budget_total"] == 125_000
    assert internet["responsible_unit"] == "งานบริหารทั่วไป สำนักปลัด"
    assert not [w for w in plan["warnings"] if w["code"] == "stated_total_mismatch"]
    assert plan["warnings"] == []


def test_plan_serialises_to_the_documented_json():
    for name in ("khamyai", "nangrong", "phannanakhon"):
        plan = parse_plan(seed(name), f"{name}_plan.txt")
        again = json.loads(json.dumps(plan, ensure_ascii=False))
        assert again == plan  # string year keys, ints, lists: nothing JSON would change
        for key in ("organization", "title", "fiscal_year_start", "fiscal_year_end", "components",
                    "activity_count", "budget_by_year", "budget_total", "indicators", "swot", "warnings"):  # fmt: skip
            assert key in plan
        assert set(plan["organization"]) >= {"name", "district", "province"}
        for component in plan["components"]:
            assert set(component) >= {"number", "title", "activities", "stated_total_by_year"}
            for activity in component["activities"]:
                assert set(activity) >= {"number", "title", "details", "benefits", "responsible_unit",
                                         "start_year", "end_year", "budget_total", "budget_by_year", "no_budget"}  # fmt: skip
                assert all(isinstance(k, str) and k.isdigit() for k in activity["budget_by_year"])
        for item in plan["warnings"]:
            assert set(item) >= WARNING_KEYS
            assert re.search(r"[\u0e00-\u0e7f]", item["message"])


# --- the same plans written differently -----------------------------------------------------------------


def as_markdown(text):
    """Tab-separated tables rewritten as Markdown pipe tables."""
    out, in_table = [], False
    for line in text.split("\n"):
        if "\t" in line:
            cells = line.split("\t")
            out.append("| " + " | ".join(c.strip() for c in cells) + " |")
            if not in_table:
                out.append("|" + "---|" * len(cells))
            in_table = True
        else:
            out.append(line)
            in_table = False
    return "\n".join(out)


def as_docx(text):
    """The document as Word: paragraphs, and tables where the text has tab-separated lines."""
    document = docx.Document()
    block = []

    def flush():
        if block:
            table = document.add_table(rows=len(block), cols=max(len(r) for r in block))
            for i, cells in enumerate(block):
                for j, cell in enumerate(cells):
                    table.cell(i, j).text = re.sub(r"<[^>]+>", " ", cell).strip()
            block.clear()

    for line in text.split("\n"):
        if "\t" in line:
            block.append(line.split("\t"))
        else:
            flush()
            document.add_paragraph(line)
    flush()
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.mark.parametrize("name", ["khamyai", "nangrong", "phannanakhon"])
def test_seed_variants_give_the_same_plan(name):
    text = seed(name).decode("utf-8")
    expected = summary(parse_plan(seed(name), "plan.txt"))
    variants = {
        "markdown": (as_markdown(text).encode(), "plan.md"),
        "arabic digits": (to_arabic(text).encode(), "plan.txt"),
        "crlf": (text.replace("\n", "\r\n").encode(), "plan.txt"),
        "utf-16": (text.encode("utf-16"), "plan.txt"),
        "utf-8 bom": (text.encode("utf-8-sig"), "plan.txt"),
        "docx": (as_docx(text), "plan.docx"),
        "strategy headings": (re.sub(r"องค์ประกอบท้องถิ่น ๔\.๐ \S+ที่ ", "ยุทธศาสตร์ที่ ", text).encode(), "p.txt"),
        "numbered headings": (re.sub(r"องค์ประกอบท้องถิ่น ๔\.๐ \S+ที่ (\S+) ", r"\1. ", text).encode(), "p.txt"),
    }
    for label, (data, filename) in variants.items():
        assert summary(parse_plan(data, filename)) == expected, label


def test_tis620_text():
    text = seed("phannanakhon").decode("utf-8")
    assert summary(parse_plan(text.encode("cp874"), "plan.txt")) == summary(parse_plan(seed("phannanakhon"), "p"))


def test_component_tables_without_headings_are_numbered_from_their_rows():
    text = re.sub(r"(?m)^องค์ประกอบท้องถิ่น.*$", "", seed("phannanakhon").decode("utf-8"))
    plan = parse_plan(text.encode(), "plan.txt")
    assert [c["number"] for c in plan["components"]] == list(range(1, 14))
    assert plan["activity_count"] == 42 and plan["budget_total"] == 10_575_000


# --- other municipalities' documents ---------------------------------------------------------------------


def test_flat_tab_separated_plan_of_three_years():
    plan = parse_plan(fixture("flat_plan.tsv.txt"), "plan.txt")
    assert plan["organization"]["name"] == "องค์การบริหารส่วนตำบลโนนสะอาด"
    assert (plan["fiscal_year_start"], plan["fiscal_year_end"]) == (2567, 2569)
    queue, qr, radio = plan["components"][0]["activities"]
    assert (queue["budget_total"], queue["start_year"], queue["end_year"]) == (50_000, 2567, 2569)  # "50,000.-"
    assert (qr["budget_total"], qr["start_year"], qr["end_year"]) == (12_500, 2568, 2568)  # "๑๒,๕๐๐", "←→"
    assert radio["no_budget"] and (radio["start_year"], radio["end_year"]) == (2567, 2569)  # ticks
    assert plan["budget_total"] == 62_500 and plan["components"][0]["stated_total"] == 62_500
    [unknown] = plan["warnings"]
    assert unknown["code"] == "unknown_unit" and unknown["stated"] == "ผู้ใหญ่บ้าน"
    assert set(unknown) >= WARNING_KEYS


def test_markdown_component_plan_with_thai_digits_and_a_row_split_by_a_page_break():
    plan = parse_plan(fixture("component_plan.md"), "plan.md")
    assert plan["organization"] == {
        "name": "องค์การบริหารส่วนตำบลหนองบัว",
        "district": "เมืองอุดรธานี",
        "province": "อุดรธานี",
        "kind": "sao",
    }
    assert (plan["fiscal_year_start"], plan["fiscal_year_end"]) == (2567, 2569)
    first, second = plan["components"]
    assert (first["number"], first["title"]) == (1, "การพัฒนาระบบดิจิทัล")
    assert [a["number"] for a in first["activities"]] == ["1.1", "1.2", "1.3"]
    website = first["activities"][1]
    assert website["title"] == "พัฒนาเว็บไซต์และระบบ ข้อมูลเปิด (Open Data)"
    assert website["benefits"] == "เว็บไซต์เป็น ปัจจุบันและค้นหาง่าย"
    assert website["budget_by_year"] == {"2567": 20_000, "2568": 0, "2569": 0}
    assert plan["budget_by_year"] == {"2567": 70_000, "2568": 40_000, "2569": 40_000}
    assert second["activities"][0]["no_budget"] is True
    # The component's total row says 50,000 for 2569 while its rows add up to 40,000; the grand total agrees.
    [mismatch] = plan["warnings"]
    assert (mismatch["code"], mismatch["component"], mismatch["year"]) == ("stated_total_mismatch", 1, 2569)
    assert (mismatch["stated"], mismatch["computed"]) == (50_000, 40_000)
    assert plan["stated_total_by_year"] == {"2567": 70_000, "2568": 40_000, "2569": 40_000}
    assert plan["stated_activity_count"] == 4


def test_html_inside_cells_and_columns_in_another_order():
    plan = parse_plan(fixture("html_cells_plan.txt"), "plan.txt")
    assert plan["organization"]["name"] == "เทศบาลตำบลบ้านเหล่า"
    assert (plan["organization"]["district"], plan["organization"]["province"]) == ("เมืองแพร่", "แพร่")
    assert (plan["fiscal_year_start"], plan["fiscal_year_end"]) == (2566, 2570)  # from "พ.ศ. 2566" headers
    lights, leave = plan["components"][0]["activities"]
    assert lights["title"] == "โครงการไฟฟ้าส่องสว่าง อัจฉริยะ"
    assert lights["benefits"] == "1. ลดค่าไฟฟ้า\n2. ถนนปลอดภัย & สว่าง"
    assert lights["responsible_unit"] == "กองช่าง"
    assert (lights["budget_total"], lights["start_year"], lights["end_year"]) == (120_000, 2567, 2569)
    assert leave["responsible_unit"] == "งานการเจ้าหน้าที่ สำนักปลัด" and leave["no_budget"]
    assert plan["warnings"] == []


def test_town_municipality_2568_2572_with_indicators_and_swot():
    plan = parse_plan(fixture("town_2568_2572.txt"), "plan.txt")
    assert plan["organization"]["name"] == "เทศบาลเมืองบ้านใหม่สามัคคี"
    assert plan["organization"]["kind"] == "town"
    assert (plan["fiscal_year_start"], plan["fiscal_year_end"]) == (2568, 2572)
    assert [c["number"] for c in plan["components"]] == [1, 2]
    assert plan["budget_by_year"] == {"2568": 320_000, "2569": 70_000, "2570": 70_000, "2571": 70_000, "2572": 70_000}
    assert plan["budget_total"] == 600_000
    assert [(i["name"], i["kind"]) for i in plan["indicators"]] == [
        ("จำนวนบริการออนไลน์", "output"),
        ("ความพึงพอใจของประชาชนต่อบริการ", "outcome"),
        ("คุณภาพชีวิตของประชาชนดีขึ้น", "impact"),
        ("ระยะเวลารอรับบริการ", None),
    ]
    assert plan["indicators"][1]["targets"]["2568"] == "ร้อยละ ๘๐"  # Thai digits kept as written
    assert plan["indicators"][0]["targets"] == {
        "2568": "๒ บริการ",
        "2569": "๔ บริการ",
        "2570": "๖ บริการ",
        "2571": "๘ บริการ",
        "2572": "๑๐ บริการ",
    }
    assert [(s["kind"], s["code"]) for s in plan["swot"]] == [
        ("S", "S1"), ("S", "S2"), ("W", "W1"), ("O", "O1"), ("O", "O2"), ("T", "T1"), ("SO", "SO1"), ("WT", "WT1"),
    ]  # fmt: skip
    assert plan["swot"][3]["text"] == "นโยบายรัฐบาลดิจิทัล"
    assert codes(plan) == ["numbering_gap", "unknown_unit"]
    gap = next(w for w in plan["warnings"] if w["code"] == "numbering_gap")
    assert (gap["component"], gap["stated"], gap["computed"]) == (2, "2.3", "2.2")


def test_rows_that_cannot_be_understood_are_reported_not_guessed():
    plan = parse_plan(fixture("unparsed_rows.md"), "plan.md")
    digital, service = plan["components"]
    assert (digital["number"], digital["title"], service["number"]) == (1, "ดิจิทัล", 2)  # heading rows in the table
    [system_a] = digital["activities"]
    assert system_a["title"] == "ระบบ A ส่วนต่อของระบบ A"  # a row with an empty first cell continues the one above
    assert (system_a["start_year"], system_a["end_year"]) == (2566, 2568)
    unparsed = [(w["line"], w["component"]) for w in plan["warnings"] if w["code"] == "unparsed_row"]
    assert unparsed == [(10, 1), (14, 2)]
    assert [w["stated"] for w in plan["warnings"] if w["code"] == "unknown_unit"] == ["นายกเทศมนตรี"]
    assert all(set(w) >= WARNING_KEYS and "บรรทัด" in w["message"] for w in plan["warnings"][:2])


def test_a_total_column_per_activity_and_a_province_without_district():
    text = "\n".join(
        [
            "แผนพัฒนานวัตกรรมเทศบาลเมืองกาฬสินธุ์ ระยะ 4 ปี (พ.ศ. 2567-2570)",
            "เทศบาลเมืองกาฬสินธุ์ จังหวัดกาฬสินธุ์",
            "",
            "| ที่ | โครงการ | งบประมาณ ปี 2567 | งบประมาณ ปี 2568 | งบประมาณ ปี 2569 | งบประมาณ ปี 2570 | รวม | ผู้รับผิดชอบ |",
            "|---|---|---|---|---|---|---|---|",
            "| 1 | Smart Parking | 10,000 | 10,000 | 10,000 | 10,000 | 40,000 | กองช่าง |",
            "| 2 | ระบบน้ำอัจฉริยะ | 5,000 | - | - | - | 6,000 | กองช่าง |",
            "| รวมทั้งสิ้น | | 15,000 | 10,000 | 10,000 | 10,000 | 46,000 | |",
        ]
    )
    plan = parse_plan(text.encode(), "plan.md")
    assert plan["organization"] == {"name": "เทศบาลเมืองกาฬสินธุ์", "district": None, "province": "กาฬสินธุ์",
                                    "kind": "town"}  # fmt: skip
    assert (plan["fiscal_year_start"], plan["fiscal_year_end"]) == (2567, 2570)
    smart, water = plan["components"][0]["activities"]
    assert (smart["stated_total"], water["stated_total"], water["budget_total"]) == (40_000, 6_000, 5_000)
    assert [(w["code"], w["stated"], w["computed"]) for w in plan["warnings"]] == [
        ("stated_total_mismatch", 46_000, 45_000),  # the table's "รวมทั้งสิ้น"
        ("stated_total_mismatch", 6_000, 5_000),  # activity 2's own total column
    ]


def test_free_text_sections():
    plan = parse_plan(seed("nangrong"), "p.txt")
    assert plan["objectives"].split("\n")[0].startswith("๑. เพื่อให้มีระบบข้อมูลและสารสนเทศ")
    assert len(plan["objectives"].split("\n")) == 6
    assert plan["goal"].startswith("องค์การบริหารส่วนตำบลนางรอง มีการดำเนินการลดการใช้ทรัพยากร")
    assert parse_plan(seed("khamyai"), "p.txt")["goal"].startswith("เทศบาลมีการสร้างนวัตกรรม")


def test_word_document_with_merged_cells():
    document = docx.Document()
    for text in ("แผนพัฒนานวัตกรรมเพื่อพัฒนาเทศบาลนครสุขใจ", "ไปสู่การเป็นระบบราชการ ๔.๐ (พ.ศ. ๒๕๖๖ – ๒๕๗๐)",
                 "เทศบาลนครสุขใจ", "อำเภอเมืองขอนแก่น จังหวัดขอนแก่น", "คำนำ",
                 "องค์ประกอบท้องถิ่น ๔.๐ ประการที่ ๑ ดิจิทัล"):  # fmt: skip
        document.add_paragraph(text)
    table = document.add_table(rows=2, cols=9)
    labels = {0: "ลำดับ", 1: "โครงการ/กิจกรรม/มาตรการ", 2: "งบประมาณ (บาท)", 7: "ผลที่คาดว่าจะได้รับ", 8: "หน่วยงาน"}
    for col, label in labels.items():
        table.cell(0, col).text = label
    table.cell(0, 2).merge(table.cell(0, 6))
    for col in (0, 1, 7, 8):
        table.cell(0, col).merge(table.cell(1, col))
    for i, year in enumerate(("๒๕๖๖", "๒๕๖๗", "๒๕๖๘", "๒๕๖๙", "๒๕๗๐")):
        table.cell(1, 2 + i).text = year
    rows = [
        ("๑.๑", "อินเทอร์เน็ตในสำนักงาน", *["๒๕,๐๐๐"] * 5, "ใช้งานได้ดี", ""),
        ("๑.๒", "ระบบ e-Service", *["-"] * 5, "บริการออนไลน์", ""),
        ("รวม ๒ กิจกรรม", "", *["๒๕,๐๐๐"] * 5, "", ""),
    ]
    for values in rows:
        for cell, value in zip(table.add_row().cells, values, strict=True):
            cell.text = value
    table.cell(2, 8).merge(table.cell(3, 8)).text = "สำนักปลัด"  # one unit for both rows

    document.add_paragraph("โครงการที่ไม่ใช้งบประมาณ")
    flat = document.add_table(rows=3, cols=8)
    for i, label in enumerate(("โครงการ/กิจกรรม", "รายละเอียด", "ประโยชน์", "งบประมาณ", "ระยะเวลา", "", "", "ผู้รับผิดชอบ")):
        flat.cell(0, i).text = label
    flat.cell(0, 4).merge(flat.cell(0, 6))
    for i, year in enumerate(("2567", "2568", "2569")):
        flat.cell(1, 4 + i).text = year
    for i, value in enumerate(("1. จุดบริการ Wi-Fi", "ติดตั้งในชุมชน", "เข้าถึงอินเทอร์เน็ต", "30,000", "", "", "", "กองช่าง")):
        flat.cell(2, i).text = value
    flat.cell(2, 4).merge(flat.cell(2, 6)).text = "←――――→"  # one arrow drawn across merged year cells
    out = io.BytesIO()
    document.save(out)

    plan = parse_plan(out.getvalue(), "plan.docx")
    assert plan["organization"]["name"] == "เทศบาลนครสุขใจ" and plan["organization"]["kind"] == "city"
    assert (plan["fiscal_year_start"], plan["fiscal_year_end"]) == (2566, 2570)
    digital, wifi_table = plan["components"]
    assert [a["responsible_unit"] for a in digital["activities"]] == ["สำนักปลัด", "สำนักปลัด"]
    assert digital["budget_by_year"] == {str(y): 25_000 for y in range(2566, 2571)}
    assert digital["stated_activity_count"] == 2
    [wifi] = wifi_table["activities"]
    assert (wifi["budget_total"], wifi["start_year"], wifi["end_year"]) == (30_000, 2567, 2569)
    assert plan["warnings"] == []


def test_word_document_error_names_the_table_and_row():
    document = docx.Document()
    document.add_paragraph("แผนพัฒนานวัตกรรมเทศบาลตำบลทดสอบ")
    table = document.add_table(rows=3, cols=3)
    for row, values in enumerate((("โครงการ/กิจกรรม", "งบประมาณ", "ผู้รับผิดชอบ"), ("1. ก", "5,000", "กองคลัง"),
                                  ("2. ข", "ห้าพัน", "กองช่าง"))):  # fmt: skip
        for col, value in enumerate(values):
            table.cell(row, col).text = value
    out = io.BytesIO()
    document.save(out)
    with pytest.raises(PlanImportError) as error:
        parse_plan(out.getvalue(), "plan.docx")
    assert "ตารางที่ 1 แถวที่ 3" in str(error.value) and "table 1 row 3" in in_english(error.value)
    assert "ห้าพัน" in str(error.value)


def test_a_spreadsheet_holding_the_plan_table_itself():
    rows = [
        ["แผนพัฒนานวัตกรรมเทศบาลตำบลทดลอง (พ.ศ. 2568-2570)"],
        ["เทศบาลตำบลทดลอง"],
        ["อำเภอเมือง จังหวัดลำปาง"],
        ["ลำดับ", "โครงการ", "งบประมาณ 2568", "งบประมาณ 2569", "งบประมาณ 2570", "ผู้รับผิดชอบ"],
        [1, "ระบบจองคิว", 10000, 5000, None, "สำนักปลัด"],
        [2, "ระบบภาษี", "-", 20000, 20000, "กองคลัง"],
        ["รวม", None, 10000, 25000, 20000, None],
    ]
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    plan = parse_plan(out.getvalue().encode(), "plan.csv")
    assert plan["organization"]["name"] == "เทศบาลตำบลทดลอง"
    assert plan["budget_by_year"] == {"2568": 10_000, "2569": 25_000, "2570": 20_000}
    assert plan["warnings"] == []
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    data = io.BytesIO()
    book.save(data)
    assert summary(parse_plan(data.getvalue(), "plan.xlsx")) == summary(plan)
