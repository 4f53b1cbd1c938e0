"""Plan documents of other municipalities, written the way acceptance testers vary the three seeds.

Every figure below was worked out by hand from the fixture, not copied from the parser's output.
Pure Python: no database.
"""

import io

import docx
import pytest

from innovation_plans.importer import parse_plan, write_csv, write_xlsx
from tests.innovation_plans.plan_files import FIXTURES, WARNING_KEYS


def load(name):
    return parse_plan((FIXTURES / name).read_bytes(), name)


def activities(plan):
    return [a for c in plan["components"] for a in c["activities"]]


def warnings(plan):
    assert all(set(w) >= WARNING_KEYS for w in plan["warnings"])
    return sorted((w["code"], w["component"], w["year"], w["stated"], w["computed"]) for w in plan["warnings"])


def years(*pairs):
    return {str(y): v for y, v in pairs}


# --- fixture documents -----------------------------------------------------------------------------------


def test_city_component_plan_2568_2572_split_over_pages():
    plan = load("nakhon_components_2568_2572.txt")
    assert plan["organization"] == {"name": "เทศบาลนครแม่ปิง", "district": "เมืองเชียงใหม่", "province": "เชียงใหม่",
                                    "kind": "city"}  # fmt: skip
    assert (plan["fiscal_year_start"], plan["fiscal_year_end"]) == (2568, 2572)
    assert [(c["number"], c["title"], c["activity_count"]) for c in plan["components"]] == [
        (1, "ดิจิทัล", 4), (2, "องค์กรแห่งความสุข", 2), (3, "องค์กรแห่งการเรียนรู้", 2),
    ]  # fmt: skip
    assert plan["activity_count"] == 8
    # "งบประมาณและที่มา" over "พ.ศ. ๒๕๖๘" … columns; 1,000,000 / 300,000.00 / ๒๐,๐๐๐.- amounts.
    assert plan["budget_by_year"] == years((2568, 1_670_000), (2569, 600_000), (2570, 570_000), (2571, 570_000),
                                           (2572, 570_000))  # fmt: skip
    assert plan["budget_total"] == 3_980_000
    wifi = plan["components"][0]["activities"][2]
    # The page break cut row 1.3: the next page's first row (empty first cell) continues it.
    assert wifi["title"] == "จุดบริการอินเทอร์เน็ตไร้สายสาธารณะ ทั่วทุกชุมชน"
    assert wifi["benefits"] == "ประชาชนเข้าถึงอินเทอร์เน็ต และสะดวกรวดเร็ว"
    gis = plan["components"][0]["activities"][1]
    assert (gis["budget_total"], gis["start_year"], gis["end_year"]) == (1_000_000, 2568, 2568)
    survey = plan["components"][1]["activities"][0]
    assert survey["no_budget"] and survey["budget_total"] == 0
    # Component 1 states 250,000 for 2569 while its rows add up to 280,000: that year only, nothing else.
    assert warnings(plan) == [("stated_total_mismatch", 1, 2569, 250_000, 280_000)]
    assert plan["stated_total_by_year"] == plan["budget_by_year"]


def test_sao_flat_table_with_columns_reordered_and_arrow_variants():
    plan = load("sao_flat_reordered_2567_2569.txt")
    assert plan["organization"] == {"name": "องค์การบริหารส่วนตำบลหนองแวง", "district": "เกษตรวิสัย",
                                    "province": "ร้อยเอ็ด", "kind": "sao"}  # fmt: skip
    assert (plan["fiscal_year_start"], plan["fiscal_year_end"]) == (2567, 2569)
    got = [(a["number"], a["budget_total"], a["start_year"], a["end_year"], a["responsible_unit"])
           for a in activities(plan)]  # fmt: skip
    assert got == [
        ("1", 100_000, 2567, 2569, "สำนักปลัด"),  # "๑๐๐,๐๐๐ บาท", "<--" … "-->"
        ("2", 50_000, 2568, 2568, "กองคลัง"),  # "50,000.00", "<-->" in one cell
        ("3", 1_000_000, 2567, 2567, "กองคลัง"),  # "◄──►" in one cell
        ("4", 50_000, 2567, 2569, "กองช่าง"),  # "๕๐,๐๐๐.-", "◄" … "►"
        ("5", 0, 2567, 2569, "สำนักปลัด"),  # "ไม่ใช้งบประมาณ", "/" ticks
        ("6", 0, 2567, 2567, "สำนักปลัด"),  # "-", one "✓"
        ("7", 0, 2568, 2569, "สำนักปลัด"),  # "ดำเนินการโดยไม่ใช้งบประมาณ"
        ("8", 0, 2568, 2568, "กองช่าง"),  # empty budget cell
    ]
    assert all(a["benefits"] == "" and a["details"] for a in activities(plan))  # no ประโยชน์ column
    assert plan["budget_total"] == 1_200_000 and plan["components"][0]["stated_total"] == 1_200_000
    assert plan["warnings"] == []


def test_town_markdown_component_plan_of_four_years():
    plan = load("town_markdown_2566_2569.md")
    assert plan["organization"] == {"name": "เทศบาลเมืองศรีสุข", "district": "เมืองสุรินทร์", "province": "สุรินทร์",
                                    "kind": "town"}  # fmt: skip
    assert (plan["fiscal_year_start"], plan["fiscal_year_end"]) == (2566, 2569)
    assert [(c["number"], c["title"], c["activity_count"]) for c in plan["components"]] == [
        (1, "ดิจิทัล", 3), (2, "องค์กรแห่งการเรียนรู้", 2),
    ]  # fmt: skip
    repair = activities(plan)[0]
    assert (repair["number"], repair["title"]) == ("1.1", "ระบบแจ้งซ่อมไฟฟ้าสาธารณะ ผ่าน LINE OA")  # **bold**, <br>
    assert repair["benefits"] == "๑. ประชาชนแจ้งซ่อมได้สะดวก\n๒. ซ่อมได้เร็วขึ้น"
    assert activities(plan)[1]["responsible_unit"] == "งานป้องกันและบรรเทาสาธารณภัย สำนักปลัดเทศบาล"
    assert plan["budget_by_year"] == years((2566, 1_245_000), (2567, 95_000), (2568, 45_000), (2569, 45_000))
    assert plan["budget_total"] == 1_430_000
    assert plan["stated_total_by_year"] == plan["budget_by_year"]
    assert plan["warnings"] == []


def test_strategies_with_indicator_tables_and_swot_lists():
    plan = load("strategy_indicators_swot_2568_2570.txt")
    # An indicator table sits between each "ยุทธศาสตร์ที่ …" heading and its project table.
    assert [(c["number"], c["title"], c["activity_count"]) for c in plan["components"]] == [
        (1, "การพัฒนาบริการด้วยเทคโนโลยีดิจิทัล", 2), (2, "การพัฒนาบุคลากรและองค์กรแห่งการเรียนรู้", 2),
    ]  # fmt: skip
    assert plan["budget_by_year"] == years((2568, 45_000), (2569, 40_000), (2570, 35_000))
    assert [(i["name"], i["kind"]) for i in plan["indicators"]] == [
        ("จำนวนบริการที่ให้บริการผ่านระบบออนไลน์", "output"),
        ("ร้อยละความพึงพอใจของผู้รับบริการ", "outcome"),
        ("จำนวนผลงานนวัตกรรมของบุคลากร", "output"),
        ("คุณภาพการให้บริการของ อบต. ดีขึ้น", "impact"),
    ]
    assert plan["indicators"][1]["targets"] == {"2568": "ร้อยละ ๘๐", "2569": "ร้อยละ ๘๕", "2570": "ร้อยละ ๙๐"}
    assert plan["indicators"][2]["targets"]["2570"] == "ไม่น้อยกว่า ๓ ชิ้น"
    assert [(s["code"], s["text"]) for s in plan["swot"]] == [
        ("S1", "ผู้บริหารให้ความสำคัญกับการนำเทคโนโลยีมาใช้"),  # heading, then "๑. …"
        ("S2", "บุคลากรมีความพร้อมในการเรียนรู้สิ่งใหม่"),
        ("W1", "งบประมาณมีจำกัด"),
        ("W2", "อุปกรณ์คอมพิวเตอร์ล้าสมัย"),
        ("O1", "รัฐบาลส่งเสริมรัฐบาลดิจิทัล"),  # a two-column โอกาส | อุปสรรค table
        ("O2", "ประชาชนใช้สมาร์ทโฟนเพิ่มขึ้น"),
        ("T1", "ภัยคุกคามทางไซเบอร์เพิ่มขึ้น"),
        ("T2", "สัญญาณอินเทอร์เน็ตในบางหมู่บ้านไม่เสถียร"),
        ("SO1", "ใช้ความพร้อมของผู้บริหารขยายบริการออนไลน์"),  # "SO1 : …"
        ("ST1", "พัฒนาระบบความปลอดภัยสารสนเทศ"),
        ("WO1", "ขอรับการสนับสนุนงบประมาณจากหน่วยงานภายนอก"),
        ("WT1", "จัดลำดับความสำคัญของการลงทุน"),
    ]
    assert plan["warnings"] == []


def test_crlf_nbsp_zero_width_spaces_and_words_broken_in_headers():
    data = (FIXTURES / "crlf_nbsp_2566_2570.txt").read_bytes()
    assert b"\r\n" in data and "\u00a0".encode() in data and "\u200b".encode() in data
    plan = parse_plan(data, "plan.txt")
    assert plan["organization"] == {"name": "เทศบาลตำบลโพนทอง", "district": "โพนทอง", "province": "ร้อยเอ็ด",
                                    "kind": "subdistrict"}  # fmt: skip
    assert (plan["fiscal_year_start"], plan["fiscal_year_end"]) == (2566, 2570)
    got = [(a["number"], a["title"], a["budget_total"], a["start_year"], a["end_year"], a["responsible_unit"])
           for a in activities(plan)]  # fmt: skip
    assert got == [
        ("1", "ระบบสารบรรณ อิเล็กทรอนิกส์", 25_000, 2566, 2570, "สำนักปลัด"),
        ("2", "ระบบแจ้งเรื่องร้องเรียนออนไลน์", 15_000, 2567, 2568, "สำนักปลัด"),
        ("3", "แผนที่ภาษีดิจิทัล", 0, 2568, 2570, "กองคลัง"),
    ]
    assert activities(plan)[0]["details"] == "1. รับส่งหนังสือผ่านระบบ\n2. ลดการใช้กระดาษ"
    assert plan["budget_total"] == 40_000 and plan["warnings"] == []


def test_page_break_without_repeated_header_and_a_summary_table():
    plan = load("town_pagebreaks_2566_2569.txt")
    # "เทศบาลเมืองท่าข้าม อำเภอพุนพิน" then "จังหวัดสุราษฎร์ธานี" on the next line.
    assert plan["organization"] == {"name": "เทศบาลเมืองท่าข้าม", "district": "พุนพิน", "province": "สุราษฎร์ธานี",
                                    "kind": "town"}  # fmt: skip
    assert (plan["fiscal_year_start"], plan["fiscal_year_end"]) == (2566, 2569)
    assert [(c["number"], c["title"], c["activity_count"]) for c in plan["components"]] == [
        (1, "ดิจิทัล", 3), (2, "การบริการเชิงรุก", 2),
    ]  # fmt: skip
    fee = activities(plan)[1]
    assert fee["title"] == "ระบบรับชำระค่าธรรมเนียมเก็บขยะ สำนักงาน"  # the page number line does not end the table
    # "งบประมาณ" / "(บาท)" / "ปีงบประมาณ ๒๕๖๖" over three header rows; the summary table is not counted again.
    assert plan["budget_by_year"] == years((2566, 100_000), (2567, 210_000), (2568, 60_000), (2569, 60_000))
    assert plan["budget_total"] == 430_000
    assert warnings(plan) == [("numbering_gap", 2, None, "2.4", "2.2"), ("stated_count_mismatch", 2, None, 3, 2)]


def test_markdown_sao_plan_with_swot_matrix_indicator_table_and_ticks():
    plan = load("sao_markdown_flat_swot_2567_2569.md")
    # "อบต.โคกสูง อ.… จ.…": the name as the organization is registered.
    assert plan["organization"] == {"name": "องค์การบริหารส่วนตำบลโคกสูง", "district": "เมืองนครราชสีมา",
                                    "province": "นครราชสีมา", "kind": "sao"}  # fmt: skip
    assert (plan["fiscal_year_start"], plan["fiscal_year_end"]) == (2567, 2569)
    got = [(a["number"], a["title"], a["budget_total"], a["start_year"], a["end_year"]) for a in activities(plan)]
    assert got == [
        ("1", "ระบบรับเรื่องร้องเรียนผ่าน LINE", 10_000, 2567, 2569),
        ("2", "ระบบจองคิว ยื่นภาษีออนไลน์", 5_000, 2568, 2568),
        ("3", "ป้ายข้อมูลข่าวสารดิจิทัล", 120_000, 2569, 2569),
        ("4", "ห้องเรียนรู้ดิจิทัลชุมชน", 0, 2567, 2568),
    ]
    assert [s["code"] for s in plan["swot"]] == ["S1", "S2", "W1", "O1", "T1", "T2"]
    assert plan["swot"][5]["text"] == "ภัยคุกคามทางไซเบอร์"
    assert [(i["kind"], i["targets"]["2569"]) for i in plan["indicators"]] == [("outcome", "ร้อยละ ๔๐"),
                                                                               ("output", "๓ ช่องทาง")]  # fmt: skip
    # The document says 140,000 in all; its rows add up to 135,000.
    assert warnings(plan) == [("stated_total_mismatch", None, None, 140_000, 135_000)]


def test_html_heavy_flat_plan_2568_2572():
    plan = load("html_heavy_2568_2572.txt")
    assert plan["organization"]["name"] == "เทศบาลตำบลหนองหาน"
    assert (plan["fiscal_year_start"], plan["fiscal_year_end"]) == (2568, 2572)  # from the year columns
    office, gis, survey = activities(plan)
    assert office["title"] == "โครงการ Smart Office ระบบสำนักงานอัจฉริยะ"
    assert office["details"] == "1. จัดทำระบบสารบรรณอิเล็กทรอนิกส์\n2. ลงนามเอกสารด้วย ลายมือชื่ออิเล็กทรอนิกส์"
    assert (office["budget_total"], office["start_year"], office["end_year"]) == (150_000, 2568, 2571)
    assert gis["title"] == "ระบบแผนที่ภาษี (LTAX GIS)" and gis["benefits"] == "จัดเก็บรายได้ได้ครบถ้วน\nลดข้อร้องเรียน"
    assert (gis["budget_total"], gis["start_year"], gis["end_year"], gis["responsible_unit"]) == (80_000, 2569, 2569,
                                                                                                 "กองคลัง")  # fmt: skip
    # The end arrow pushed past 2572 still means 2572.
    assert (survey["number"], survey["start_year"], survey["end_year"]) == ("4", 2568, 2572)
    assert warnings(plan) == [("numbering_gap", None, None, "4", "3"), ("stated_total_mismatch", None, None, 250_000,
                                                                        230_000)]  # fmt: skip


NEW_FIXTURES = [
    "nakhon_components_2568_2572.txt",
    "sao_flat_reordered_2567_2569.txt",
    "town_markdown_2566_2569.md",
    "strategy_indicators_swot_2568_2570.txt",
    "crlf_nbsp_2566_2570.txt",
    "town_pagebreaks_2566_2569.txt",
    "sao_markdown_flat_swot_2567_2569.md",
    "html_heavy_2568_2572.txt",
]


@pytest.mark.parametrize("name", NEW_FIXTURES)
@pytest.mark.parametrize("writer", [write_csv, write_xlsx])
def test_new_fixtures_survive_the_exchange_round_trip(name, writer):
    plan = load(name)
    again = parse_plan(writer(plan), "export.csv" if writer is write_csv else "export.xlsx")
    for key in ("organization", "fiscal_year_start", "fiscal_year_end", "components", "indicators", "swot",
                "activity_count", "budget_by_year", "budget_total", "stated_total_by_year"):  # fmt: skip
        assert again[key] == plan[key], key
    assert warnings(again) == warnings(plan)


# --- Word ------------------------------------------------------------------------------------------------

YEARS = ("๒๕๖๗", "๒๕๖๘", "๒๕๖๙")


def _header(table, first_row=0):
    """Three header rows: labels merged down, "งบประมาณ" / "(บาท)" merged across the year columns."""
    r0, r1, r2 = first_row, first_row + 1, first_row + 2
    for col, label in {0: "ลำดับ", 1: "โครงการ/กิจกรรม", 2: "งบประมาณ", 5: "ผลที่คาดว่าจะได้รับ",
                       6: "หน่วยงานรับผิดชอบ"}.items():  # fmt: skip
        table.cell(r0, col).text = label
    table.cell(r1, 2).text = "(บาท)"
    for i, year in enumerate(YEARS):
        table.cell(r2, 2 + i).text = f"พ.ศ. {year}"
    table.cell(r0, 2).merge(table.cell(r0, 4))
    table.cell(r1, 2).merge(table.cell(r1, 4))
    for col in (0, 1, 5, 6):
        table.cell(r0, col).merge(table.cell(r2, col))


def _fill(table, first_row, rows):
    for r, values in enumerate(rows, first_row):
        for c, value in enumerate(values):
            if value is not None:
                table.cell(r, c).text = value


def test_word_plan_with_merged_header_cells_and_a_title_row_inside_the_table():
    document = docx.Document()
    for text in ("แผนพัฒนานวัตกรรม", "เพื่อพัฒนาองค์กรไปสู่การเป็นระบบราชการ ๔.๐", "ประจำปีงบประมาณ พ.ศ. ๒๕๖๗ – ๒๕๖๙", "",
                 "องค์การบริหารส่วนตำบลบ้านโคก", "ต.บ้านโคก อ.ลำปลายมาศ จ.บุรีรัมย์", "คำนำ",
                 "องค์การบริหารส่วนตำบลบ้านโคกจัดทำแผนนี้เพื่อพัฒนาบริการประชาชน", "ส่วนที่ ๓ แผนงานนวัตกรรม",
                 "องค์ประกอบที่ ๑ ดิจิทัล"):  # fmt: skip
        document.add_paragraph(text)
    digital = document.add_table(rows=6, cols=7)
    _header(digital)
    _fill(digital, 3, [
        ("๑.๑", "ระบบจองคิวออนไลน์", "๓๐,๐๐๐", "๑๐,๐๐๐", "๑๐,๐๐๐", "ลดเวลารอรับบริการ", "สำนักปลัด"),
        ("๑.๒", "ระบบสารบรรณอิเล็กทรอนิกส์", "-", "๒๐,๐๐๐", "-", "ลดการใช้กระดาษ", None),
        ("รวม ๒ กิจกรรม", None, "๓๐,๐๐๐", "๓๐,๐๐๐", "๑๐,๐๐๐", "", ""),
    ])  # fmt: skip
    digital.cell(3, 6).merge(digital.cell(4, 6))  # one unit for both activities
    digital.cell(5, 0).merge(digital.cell(5, 1))  # the total's label across ลำดับ and โครงการ
    service = document.add_table(rows=7, cols=7)
    service.cell(0, 0).merge(service.cell(0, 6)).text = "องค์ประกอบที่ ๒ การบริการเชิงรุก"  # title row in the table
    _header(service, first_row=1)
    _fill(service, 4, [
        ("๒.๑", "หน่วยบริการเคลื่อนที่", "๕,๐๐๐", "๕,๐๐๐", "๕,๐๐๐", "ประชาชนได้รับบริการถึงบ้าน", "สำนักปลัด"),
        ("๒.๒", "ศูนย์รับเรื่องราวร้องทุกข์", "ดำเนินการโดยไม่ใช้งบประมาณ", None, None, "แก้ไขปัญหาได้รวดเร็ว", "สำนักปลัด"),
        ("รวม", "", "๕,๐๐๐", "๘,๐๐๐", "๕,๐๐๐", "", ""),
    ])  # fmt: skip
    service.cell(5, 2).merge(service.cell(5, 4))  # "no budget" across the three year columns
    out = io.BytesIO()
    document.save(out)

    plan = parse_plan(out.getvalue(), "plan.docx")
    assert plan["organization"] == {"name": "องค์การบริหารส่วนตำบลบ้านโคก", "district": "ลำปลายมาศ",
                                    "province": "บุรีรัมย์", "kind": "sao"}  # fmt: skip
    assert (plan["fiscal_year_start"], plan["fiscal_year_end"]) == (2567, 2569)
    assert [(c["number"], c["title"], c["activity_count"]) for c in plan["components"]] == [
        (1, "ดิจิทัล", 2), (2, "การบริการเชิงรุก", 2),
    ]  # fmt: skip
    assert [a["responsible_unit"] for a in activities(plan)] == ["สำนักปลัด"] * 4
    assert activities(plan)[3]["no_budget"] and activities(plan)[3]["budget_by_year"] == years(*((y, 0) for y in
                                                                                               range(2567, 2570)))  # fmt: skip
    assert plan["budget_by_year"] == years((2567, 35_000), (2568, 35_000), (2569, 15_000))
    assert plan["components"][0]["stated_activity_count"] == 2
    # Component 2's total row says 8,000 for 2568; its rows add up to 5,000.
    assert warnings(plan) == [("stated_total_mismatch", 2, 2568, 8_000, 5_000)]


# --- one variation at a time -------------------------------------------------------------------------------

COVER = "แผนพัฒนานวัตกรรมเทศบาลตำบลทดลอง (พ.ศ. 2568-2570)\nเทศบาลตำบลทดลอง\nอำเภอเมือง จังหวัดลำปาง\n\nองค์ประกอบที่ 1 ดิจิทัล\n\n"
COMPONENT_ROWS = [
    ("1.1", "ระบบ ก", "10,000", "10,000", "-", "ดี", "สำนักปลัด"),
    ("1.2", "ระบบ ข", "-", "5,000", "5,000", "ดี", "กองคลัง"),
    ("รวม 2 กิจกรรม", "", "10,000", "15,000", "5,000", "", ""),
]
LABELS = ("ลำดับ", "โครงการ/กิจกรรม")
TAIL = ("ผลที่คาดว่าจะได้รับ", "หน่วยงานรับผิดชอบ")


def tsv(*rows):
    return "\n".join("\t".join(r) for r in rows)


def _component_plan(header, rows=COMPONENT_ROWS, after=""):
    return (COVER + tsv(*header, *rows) + "\n" + after).encode()


@pytest.mark.parametrize(
    "header",
    [
        [(*LABELS, "งบประมาณ", "", "", *TAIL), ("", "", "(บาท)", "", "", "", ""), ("", "", "2568", "2569", "2570", "", "")],
        [(*LABELS, "งบประมาณ (บาท)", "", "", *TAIL), ("", "", "พ.ศ.", "", "", "", ""), ("", "", "2568", "2569", "2570", "", "")],
        [(*LABELS, "งบประมาณ (บาท)", "", "", *TAIL), ("", "", "พ.ศ.2568", "พ.ศ.2569", "พ.ศ.2570", "", "")],
        [(*LABELS, "งบประมาณ (บาท)", "", "", *TAIL), ("", "", "ปีงบประมาณ พ.ศ. 2568", "ปีงบประมาณ พ.ศ. 2569",
                                                      "ปีงบประมาณ พ.ศ. 2570", "", "")],  # fmt: skip
        [(*LABELS, "ปีงบประมาณ", "", "", *TAIL), ("", "", "2568", "2569", "2570", "", "")],
        [(*LABELS, "", "งบประมาณ (บาท)", "", *TAIL), ("", "", "2568", "2569", "2570", "", "")],
        [(*LABELS, "2568", "2569", "2570", *TAIL)],
        [(*LABELS, "งบประมาณ 2568", "งบประมาณ 2569", "งบประมาณ 2570", *TAIL)],
        [(*LABELS, "งบประมาณ", "", "", *TAIL), ("", "", "2568", "2569", "2570", "", ""), ("", "", "(บาท)", "(บาท)", "(บาท)", "", "")],
        [(*LABELS, "งบประมาณ (บาท)", "", "", *TAIL), ("", "", "ปี 68", "ปี 69", "ปี 70", "", "")],
        [("ลำดับ", "โครงการ/", "งบประมาณ (บาท)", "", "", "ผลที่คาดว่า", "หน่วยงาน"),
         ("ที่", "กิจกรรม", "2568", "2569", "2570", "จะได้รับ", "รับผิดชอบ")],  # fmt: skip
        [(*LABELS, "งบประมาณและที่มา", "", "", *TAIL), ("", "", "2568", "2569", "2570", "", "")],
        [("ที่", "โครงการ", "งบประมาณ/ปี", "", "", "ผลที่คาดว่าจะได้รับ", "ผู้รับผิดชอบ"), ("", "", "2568", "2569", "2570", "", "")],
        [("ที่", "โครงการ", "งบประมาณ", "", "", "ผลที่คาดว่าจะได้รับ", "ผู้รับ ผิดชอบ"),
         ("", "", "2568 (บาท)", "2569 (บาท)", "2570 (บาท)", "", "")],  # fmt: skip
        [("ลำ ดับ", "โครง การ/กิจกรรม", "งบ ประมาณ", "", "", "ผลที่คาด ว่าจะได้รับ", "หน่วยงาน รับผิดชอบ"),
         ("", "", "ปี ๒๕๖๘", "ปี ๒๕๖๙", "ปี ๒๕๗๐", "", "")],  # fmt: skip
    ],
    ids=lambda h: " / ".join(c for r in h for c in r if c)[:60],
)
def test_component_table_header_variants(header):
    plan = parse_plan(_component_plan(header), "plan.txt")
    assert plan["budget_by_year"] == years((2568, 10_000), (2569, 15_000), (2570, 5_000))
    assert [(c["number"], c["activity_count"]) for c in plan["components"]] == [(1, 2)]
    assert [a["responsible_unit"] for a in activities(plan)] == ["สำนักปลัด", "กองคลัง"]
    assert plan["warnings"] == []


@pytest.mark.parametrize(
    "label",
    ["รวม", "รวม 2 กิจกรรม", "รวม ๒ โครงการ", "รวม (2 โครงการ)", "รวม2โครงการ", "รวมองค์ประกอบที่ 1", "รวมยุทธศาสตร์ที่ 1",
     "ยอดรวม", "รวมเป็นเงิน", "รวมงบประมาณ"],
)  # fmt: skip
def test_total_row_labels(label):
    header = [(*LABELS, "งบประมาณ (บาท)", "", "", *TAIL), ("", "", "2568", "2569", "2570", "", "")]
    rows = [*COMPONENT_ROWS[:2], (label, "", "10,000", "15,000", "9,000", "", "")]
    plan = parse_plan(_component_plan(header, rows), "plan.txt")
    assert plan["activity_count"] == 2
    assert warnings(plan) == [("stated_total_mismatch", 1, 2570, 9_000, 5_000)]


def test_an_activity_whose_title_starts_with_ruam_is_not_a_total():
    header = [(*LABELS, "งบประมาณ (บาท)", "", "", *TAIL), ("", "", "2568", "2569", "2570", "", "")]
    rows = [COMPONENT_ROWS[0], ("1.2", "รวมพลังจิตอาสา", "-", "5,000", "5,000", "ดี", "กองคลัง"), COMPONENT_ROWS[2]]
    plan = parse_plan(_component_plan(header, rows), "plan.txt")
    assert [a["title"] for a in activities(plan)] == ["ระบบ ก", "รวมพลังจิตอาสา"] and plan["warnings"] == []


@pytest.mark.parametrize(
    "summary",
    [
        tsv(("ยุทธศาสตร์", "จำนวนโครงการ", "งบประมาณ (บาท)", "", ""), ("", "", "2568", "2569", "2570"),
            ("1. ดิจิทัล", "2", "10,000", "15,000", "5,000"), ("รวม", "2", "10,000", "15,000", "5,000")),
        tsv(("ที่", "องค์ประกอบ", "จำนวนกิจกรรม", "2568", "2569", "2570", "รวม"),
            ("1", "ดิจิทัล", "2", "10,000", "15,000", "5,000", "30,000"),
            ("รวมทั้งสิ้น", "", "2", "10,000", "15,000", "5,000", "30,000")),
        tsv(("องค์ประกอบ/โครงการ", "งบประมาณ 2568", "งบประมาณ 2569", "งบประมาณ 2570"),
            ("องค์ประกอบที่ 1 ดิจิทัล", "10,000", "15,000", "5,000"), ("รวม", "10,000", "15,000", "5,000")),
    ],
)  # fmt: skip
def test_a_summary_table_after_the_plan_is_not_counted_twice(summary):
    header = [(*LABELS, "งบประมาณ (บาท)", "", "", *TAIL), ("", "", "2568", "2569", "2570", "", "")]
    plan = parse_plan(_component_plan(header, after="\nบัญชีสรุปโครงการ\n\n" + summary + "\n"), "plan.txt")
    assert plan["activity_count"] == 2
    assert plan["budget_by_year"] == years((2568, 10_000), (2569, 15_000), (2570, 5_000))
    assert plan["warnings"] == []


FLAT_HEADER = [("โครงการ/กิจกรรม", "รายละเอียด", "ประโยชน์", "งบประมาณ (บาท)", "ระยะเวลา", "", "", "ผู้รับผิดชอบ"),
               ("", "", "", "", "2567", "2568", "2569", "")]  # fmt: skip
FLAT_COVER = "แผนพัฒนานวัตกรรมองค์การบริหารส่วนตำบลทดลอง\nประจำปีงบประมาณ พ.ศ. ๒๕๖๗ - ๒๕๖๙\n\nองค์การบริหารส่วนตำบลทดลอง\nอำเภอเมือง จังหวัดลำปาง\n\n"


def _flat(first, second, header=FLAT_HEADER, total=("รวม", "", "", "10,000", "", "", "", "")):
    return (FLAT_COVER + tsv(*header, first, second, total) + "\n").encode()


@pytest.mark.parametrize(
    ("first", "second", "header"),
    [
        (("1. ระบบ ก", "ทำ ก", "ดี", "10,000", "<---", "", "--->", "สำนักปลัด"),
         ("2. ระบบ ข", "ทำ ข", "ดี", "-", "", "<-->", "", "กองคลัง"), FLAT_HEADER),
        (("1. ระบบ ก", "ทำ ก", "ดี", "10,000", "←", "", "", "→", "สำนักปลัด"),  # arrow pushed past the last year
         ("2. ระบบ ข", "ทำ ข", "ดี", "-", "", "←→", "", "กองคลัง"), FLAT_HEADER),
        (("1. ระบบ ก", "ทำ ก", "ดี", "10,000", "X", "X", "X", "สำนักปลัด"),
         ("2. ระบบ ข", "ทำ ข", "ดี", "-", "", "x", "", "กองคลัง"), FLAT_HEADER),
        (("1. ระบบ ก", "ทำ ก", "ดี", "10,000 บาท", "●", "●", "●", "สำนักปลัด"),
         ("2. ระบบ ข", "ทำ ข", "ดี", "ไม่ใช้งบประมาณ", "", "●", "", "กองคลัง"), FLAT_HEADER),
        (("1. ระบบ ก", "ทำ ก", "ดี", "10,000", "←", "", "→", "สำนักปลัด"),
         ("2. ระบบ ข", "ทำ ข", "ดี", "-", "", "←→", "", "กองคลัง"),
         [("โครงการ/กิจกรรม", "รายละเอียด", "ประโยชน์", "งบประมาณ (บาท)", "ปีงบประมาณ", "", "", "ผู้รับผิดชอบ"),
          FLAT_HEADER[1]]),
        (("1. ระบบ ก", "ทำ ก", "ดี", "10,000", "←", "", "→", "สำนักปลัด"),
         ("2. ระบบ ข", "ทำ ข", "ดี", "-", "", "←→", "", "กองคลัง"),
         [("โครงการ/กิจกรรม", "รายละเอียด", "ประโยชน์", "งบประมาณ (บาท)", "ระยะเวลาดำเนินการ (ปี พ.ศ.)", "", "",
           "ผู้รับผิดชอบ"), ("", "", "", "", "ปี 67", "ปี 68", "ปี 69", "")]),
        (("1", "ระบบ ก", "10,000", "สำนักปลัด", "←", "", "", "→"),  # the unit before the years, arrow pushed past
         ("2", "ระบบ ข", "-", "กองคลัง", "", "←→", ""),
         [("ที่", "โครงการ/กิจกรรม", "งบประมาณ", "ผู้รับผิดชอบ", "ระยะเวลา", "", ""),
          ("", "", "", "", "2567", "2568", "2569")]),
    ],
)  # fmt: skip
def test_flat_table_variants(first, second, header):
    plan = parse_plan(_flat(first, second, header), "plan.txt")
    got = [(a["budget_total"], a["start_year"], a["end_year"], a["responsible_unit"]) for a in activities(plan)]
    assert got == [(10_000, 2567, 2569, "สำนักปลัด"), (0, 2568, 2568, "กองคลัง")]
    assert plan["warnings"] == [] and (plan["fiscal_year_start"], plan["fiscal_year_end"]) == (2567, 2569)


@pytest.mark.parametrize(
    ("cover", "expected"),
    [
        ("แผนพัฒนานวัตกรรมองค์การบริหารส่วนตำบลบ้านโคก\n(พ.ศ. ๒๕๖๗-๒๕๖๙)\n\nองค์การบริหารส่วนตำบลบ้านโคก อำเภอลำปลายมาศ\n"
         "จังหวัดบุรีรัมย์\n", ("องค์การบริหารส่วนตำบลบ้านโคก", "ลำปลายมาศ", "บุรีรัมย์")),
        ("แผนพัฒนานวัตกรรมองค์การบริหารส่วนตำบลบ้านโคก\n(พ.ศ. ๒๕๖๗-๒๕๖๙)\n\nองค์การบริหารส่วนตำบลบ้านโคก\nอำเภอลำปลายมาศ\n"
         "จังหวัดบุรีรัมย์\n", ("องค์การบริหารส่วนตำบลบ้านโคก", "ลำปลายมาศ", "บุรีรัมย์")),
        ("แผนพัฒนานวัตกรรม อบต.บ้านโคก\nพ.ศ. 2567 - 2569\n\nอบต.บ้านโคก อ.ลำปลายมาศ จ.บุรีรัมย์\n",
         ("องค์การบริหารส่วนตำบลบ้านโคก", "ลำปลายมาศ", "บุรีรัมย์")),
        ("แผนพัฒนานวัตกรรม ทม.บ้านโคก (พ.ศ. 2567-2569)\nทม.บ้านโคก อ.ลำปลายมาศ จ.บุรีรัมย์\n",
         ("เทศบาลเมืองบ้านโคก", "ลำปลายมาศ", "บุรีรัมย์")),
        ("แผนพัฒนานวัตกรรม\nเทศบาลตำบลบ้านโคก ตำบลบ้านโคก อำเภอลำปลายมาศ จังหวัดบุรีรัมย์\nพ.ศ. ๒๕๖๗ ถึง พ.ศ. ๒๕๖๙\n",
         ("เทศบาลตำบลบ้านโคก", "ลำปลายมาศ", "บุรีรัมย์")),
        ("แผนพัฒนานวัตกรรม\nเทศบาลเมือง บ้านโคก\nอำเภอ ลำปลายมาศ  จังหวัด บุรีรัมย์\nปีงบประมาณ ๒๕๖๗ – ๒๕๖๙\n",
         ("เทศบาลเมืองบ้านโคก", "ลำปลายมาศ", "บุรีรัมย์")),
        ("# **แผนพัฒนานวัตกรรม**\n\n## **เทศบาลนครบ้านโคก**\n\n**อำเภอเมืองบ้านโคก จังหวัดบุรีรัมย์**\n\n**(พ.ศ. ๒๕๖๗ – ๒๕๖๙)**\n",
         ("เทศบาลนครบ้านโคก", "เมืองบ้านโคก", "บุรีรัมย์")),
    ],
)  # fmt: skip
def test_title_page_variants(cover, expected):
    text = cover + "\n\nโครงการ/กิจกรรม\tงบประมาณ (บาท)\tผู้รับผิดชอบ\n1. ระบบ ก\t10,000\tสำนักปลัด\n"
    plan = parse_plan(text.encode(), "plan.txt")
    organization = plan["organization"]
    assert (organization["name"], organization["district"], organization["province"]) == expected
    assert (plan["fiscal_year_start"], plan["fiscal_year_end"]) == (2567, 2569)


SWOT_COVER = "แผนพัฒนานวัตกรรมเทศบาลตำบลทดลอง (พ.ศ. 2568-2570)\nเทศบาลตำบลทดลอง\nอำเภอเมือง จังหวัดลำปาง\n\nคำนำ\n\n"
SWOT_PLAN = "\n\nส่วนที่ ๓\n\nโครงการ/กิจกรรม\tงบประมาณ (บาท)\tผู้รับผิดชอบ\n1. ระบบ ก\t10,000\tสำนักปลัด\n"


@pytest.mark.parametrize(
    ("swot", "expected"),
    [
        ("จุดแข็ง (Strength : S)\n๑. ก\n๒. ข\nจุดอ่อน (Weakness : W)\n๑. ค\n", ["S1 ก", "S2 ข", "W1 ค"]),
        ("จุดแข็ง (S) มีดังนี้\n- ก\n- ข\nจุดอ่อน (W) ได้แก่\n- ค\n", ["S1 ก", "S2 ข", "W1 ค"]),
        ("จุดแข็ง (Strengths)\n\n๑. ก\n\n๒. ข\n\nจุดอ่อน (Weaknesses)\n\n๑. ค\n", ["S1 ก", "S2 ข", "W1 ค"]),
        ("จุดแข็ง\n\uf0b7 ก\n\uf0b7 ข\nจุดอ่อน\n\uf0d8 ค\n", ["S1 ก", "S2 ข", "W1 ค"]),  # Wingdings bullets from a PDF
        ("จุดแข็ง (S)\nผู้บริหารสนับสนุน\nบุคลากรพร้อม\n\nจุดอ่อน (W)\nงบประมาณจำกัด\n\nส่วนที่ ๓ ทดสอบ\n",
         ["S1 ผู้บริหารสนับสนุน", "S2 บุคลากรพร้อม", "W1 งบประมาณจำกัด"]),  # bullets lost altogether
        ("S 1 ก\nS 2. ข\nW 1: ค\n", ["S1 ก", "S2 ข", "W1 ค"]),
        ("(S1) ก\n(S2) ข\n(W1) ค\n", ["S1 ก", "S2 ข", "W1 ค"]),
        ("จุดแข็ง (S)\tจุดอ่อน (W)\n๑. ก ๒. ข\t๑. ค\n", ["S1 ก", "S2 ข", "W1 ค"]),  # items run together in a cell
        ("จุดแข็ง (S)\tจุดอ่อน (W)\n- ก\t- ค\n- ข\t\nโอกาส (O)\tอุปสรรค (T)\n- ง\t- จ\n", ["S1 ก", "S2 ข", "W1 ค", "O1 ง", "T1 จ"]),
        ("ปัจจัยภายใน\tจุดแข็ง (S)\tจุดอ่อน (W)\n\t๑. ก\t๑. ค\n\t๒. ข\t\nปัจจัยภายนอก\tโอกาส (O)\tอุปสรรค (T)\n\t๑. ง\t๑. จ\n",
         ["S1 ก", "S2 ข", "W1 ค", "O1 ง", "T1 จ"]),
        ("TOWS Matrix\n\tจุดแข็ง (S)\tจุดอ่อน (W)\nโอกาส (O)\t๑. ก\t๑. ข\nอุปสรรค (T)\t๑. ค\t๑. ง\n",
         ["SO1 ก", "ST1 ค", "WO1 ข", "WT1 ง"]),
        ("กลยุทธ์เชิงรุก (SO)\n๑. ก\nกลยุทธ์เชิงแก้ไข (WO)\n๑. ข\nกลยุทธ์เชิงป้องกัน (ST Strategy)\n๑. ค\nWT Strategy\n๑. ง\n",
         ["SO1 ก", "ST1 ค", "WO1 ข", "WT1 ง"]),
        ("| จุดแข็ง (S) | จุดอ่อน (W) |\n|---|---|\n| S1 ก | W1 ค |\n| S2 ข | |\n", ["S1 ก", "S2 ข", "W1 ค"]),
        ("**จุดแข็ง (Strengths)**\n1. ก\n2. ข\n**จุดอ่อน (Weaknesses)**\n1. ค\n", ["S1 ก", "S2 ข", "W1 ค"]),
    ],
)  # fmt: skip
def test_swot_layouts(swot, expected):
    plan = parse_plan((SWOT_COVER + swot + SWOT_PLAN).encode(), "plan.txt")
    assert [f"{s['code']} {s['text']}" for s in plan["swot"]] == expected
    assert plan["activity_count"] == 1


@pytest.mark.parametrize(
    ("first", "second"),
    [("องค์ประกอบที่ ๑ ดิจิทัล", "องค์ประกอบที่ ๒ บริการ"), ("ประการที่ ๑ ดิจิทัล", "ประการที่ ๒ บริการ"),
     ("องค์ประกอบที่ ๑. ดิจิทัล", "องค์ประกอบที่ ๒. บริการ"), ("ยุทธศาสตร์ที่ 1 : ดิจิทัล", "ยุทธศาสตร์ที่ 2 : บริการ"),
     ("### **องค์ประกอบท้องถิ่น 4.0 ประการที่ 1 ดิจิทัล**", "### **องค์ประกอบท้องถิ่น 4.0 ประการที่ 2 บริการ**"),
     ("ด้านที่ ๑ ดิจิทัล", "ด้านที่ ๒ บริการ"), ("๑. ดิจิทัล", "๒. บริการ")],
)  # fmt: skip
def test_component_heading_spellings(first, second):
    table = ("\n\nลำดับ\tโครงการ/กิจกรรม\tงบประมาณ (บาท)\t\t\tหน่วยงานรับผิดชอบ\n\t\t2568\t2569\t2570\t\n"
             "{n}.1\tระบบ ก\t10,000\t-\t-\tสำนักปลัด\nรวม 1 กิจกรรม\t\t10,000\t-\t-\t\n")  # fmt: skip
    text = COVER.replace("องค์ประกอบที่ 1 ดิจิทัล\n", "") + first + table.format(n=1) + "\n" + second + table.format(n=2)
    plan = parse_plan(text.encode(), "plan.txt")
    assert [(c["number"], c["title"]) for c in plan["components"]] == [(1, "ดิจิทัล"), (2, "บริการ")]
    assert plan["warnings"] == []
