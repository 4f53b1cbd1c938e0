"""The portal's own plan exchange file (CSV or XLSX), written from a plan dict and read back by parse_plan.

One sheet, first column the record type:

    #thai-local-portal-plan | 1                                  format mark and version
    #meta | key | value                                           then: meta | title | แผนพัฒนา…
    #plan | component_number | component_title | activity_number | title | details | benefits |
            responsible_unit | start_year | end_year | budget_2566 … | budget_total | no_budget |
            stated_total | stated_activity_count
        component  …  the component's number and title; the year columns and stated_* hold what the document
                      itself states as the component's totals (its "รวม" row), not our sums
        activity   …  one project/activity; yearly budgets in the year columns, or (flat tables) one figure
                      in budget_total with the year columns empty
        total      …  sums over the activities (XLSX formulas); derived, ignored when read
        plan_stated … the document's own grand total ("รวมทั้งสิ้น"), when it states one
    #indicator | name | kind | target_2566 …                      then: indicator | …
    #swot | kind | code | text                                    then: swot | S | S1 | …

Header cells read "Thai label (key)"; only the key in brackets matters when reading, so columns may be moved.
"""

import io
import re

from django.utils.translation import gettext_lazy, gettext_noop

from portal.outputs.exports import csv_writer

from .checks import assemble
from .errors import NOT_A_BUDGET, PlanImportError
from .sections import SECTIONS
from .text import NotANumber, clean_cell, parse_amount, parse_int

FORMAT_MARK = "#thai-local-portal-plan"
FORMAT_VERSION = 1

_META = [
    ("title", "ชื่อแผน"),
    ("organization_name", "ชื่อองค์กรปกครองส่วนท้องถิ่น"),
    ("organization_kind", "ประเภทองค์กร"),
    ("district", "อำเภอ"),
    ("province", "จังหวัด"),
    ("fiscal_year_start", "ปีงบประมาณเริ่มต้น (พ.ศ.)"),
    ("fiscal_year_end", "ปีงบประมาณสิ้นสุด (พ.ศ.)"),
    ("objectives", "วัตถุประสงค์"),
    ("goal", "เป้าหมาย"),
    ("vision", "วิสัยทัศน์"),
    ("mission", "พันธกิจ"),
]
_PLAN_HEAD = [
    ("component_number", gettext_lazy("องค์ประกอบที่")),
    ("component_title", "ชื่อองค์ประกอบ"),
    ("activity_number", "ลำดับ"),
    ("title", "โครงการ/กิจกรรม"),
    ("details", "รายละเอียด"),
    ("benefits", "ประโยชน์/ผลที่คาดว่าจะได้รับ"),
    ("responsible_unit", "หน่วยงานรับผิดชอบ"),
    ("start_year", gettext_lazy("ปีเริ่ม")),
    ("end_year", gettext_lazy("ปีสิ้นสุด")),
]
_PLAN_TAIL = [
    ("budget_total", "งบประมาณรวม (บาท)"),
    ("no_budget", "ไม่ใช้งบประมาณ"),
    ("stated_total", "ยอดรวมตามเอกสาร (บาท)"),
    ("stated_activity_count", "จำนวนกิจกรรมตามเอกสาร"),
]
_KEY = re.compile(r"\(([a-z][a-z0-9_]*)\)\s*$")


def _label(key, thai):
    return f"{thai} ({key})"


def _plan_years(plan):
    years = set()
    if plan.get("fiscal_year_start") and plan.get("fiscal_year_end"):
        years.update(range(plan["fiscal_year_start"], plan["fiscal_year_end"] + 1))
    for component in plan["components"]:
        years.update(int(y) for y in component.get("stated_total_by_year", {}))
        for activity in component["activities"]:
            years.update(int(y) for y in activity["budget_by_year"])
    years.update(int(y) for y in (plan.get("stated_total_by_year") or {}))
    return sorted(years)


def _column(index):
    """Spreadsheet column letters for a 0-based index (0 → A, 26 → AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _rows(plan, formulas):
    years = _plan_years(plan)
    org = plan.get("organization") or {}
    rows = [[FORMAT_MARK, FORMAT_VERSION, "ไฟล์แลกเปลี่ยนแผนพัฒนานวัตกรรม"]]
    rows.append(["#meta", _label("key", "รายการ"), _label("value", "ค่า")])
    meta = {
        "title": plan.get("title"),
        "organization_name": org.get("name"),
        "organization_kind": org.get("kind"),
        "district": org.get("district"),
        "province": org.get("province"),
        "fiscal_year_start": plan.get("fiscal_year_start"),
        "fiscal_year_end": plan.get("fiscal_year_end"),
        **{key: plan.get(key) for key in SECTIONS},
    }
    for key, thai in _META:
        rows.append(["meta", _label(key, thai), meta[key]])
    rows.append([])

    head = [("record_type", "ประเภทแถว"), *_PLAN_HEAD]
    head += [(f"budget_{y}", f"งบประมาณ {y}") for y in years] + _PLAN_TAIL
    col = {key: i for i, (key, _) in enumerate(head)}
    rows.append(["#plan", *(_label(key, thai) for key, thai in head[1:])])
    first_data = len(rows) + 1  # spreadsheet row number of the first plan row

    def blank():
        return [None] * len(head)

    for component in plan["components"]:
        row = blank()
        row[0] = "component"
        row[col["component_number"]] = component["number"]
        row[col["component_title"]] = component["title"]
        for year, amount in component.get("stated_total_by_year", {}).items():
            row[col[f"budget_{year}"]] = amount
        row[col["stated_total"]] = _own_total(component.get("stated_total"), component.get("stated_total_by_year"))
        row[col["stated_activity_count"]] = component.get("stated_activity_count")
        rows.append(row)
        for activity in component["activities"]:
            row = blank()
            row[0] = "activity"
            row[col["component_number"]] = component["number"]
            row[col["component_title"]] = component["title"]
            row[col["activity_number"]] = activity["number"]
            for key in ("title", "details", "benefits", "responsible_unit", "start_year", "end_year"):
                row[col[key]] = activity[key]
            for year, amount in activity["budget_by_year"].items():
                row[col[f"budget_{year}"]] = amount
            if activity["budget_by_year"] and formulas:
                cells = [f"{_column(col[f'budget_{y}'])}{len(rows) + 1}" for y in activity["budget_by_year"]]
                row[col["budget_total"]] = _Formula(f"=SUM({','.join(cells)})")
            else:
                row[col["budget_total"]] = activity["budget_total"]
            row[col["no_budget"]] = bool(activity["no_budget"])
            row[col["stated_total"]] = activity.get("stated_total")
            rows.append(row)
    last_data = len(rows)
    row = blank()
    row[0] = "total"
    row[col["title"]] = "รวมทั้งแผน (คำนวณ)"
    for key in [f"budget_{y}" for y in years] + ["budget_total"]:
        if formulas:
            letter, kinds = _column(col[key]), _column(0)
            row[col[key]] = _Formula(
                f'=SUMIF(${kinds}${first_data}:${kinds}${last_data},"activity",'
                f"{letter}{first_data}:{letter}{last_data})"
            )
        elif key == "budget_total":
            row[col[key]] = plan["budget_total"]
        else:
            row[col[key]] = plan["budget_by_year"].get(key[len("budget_") :], 0)
    rows.append(row)
    if plan.get("stated_total_by_year") or plan.get("stated_total") is not None or plan.get("stated_activity_count"):
        row = blank()
        row[0] = "plan_stated"
        row[col["title"]] = "รวมทั้งสิ้นตามเอกสาร"
        for year, amount in (plan.get("stated_total_by_year") or {}).items():
            row[col[f"budget_{year}"]] = amount
        row[col["stated_total"]] = _own_total(plan.get("stated_total"), plan.get("stated_total_by_year"))
        row[col["stated_activity_count"]] = plan.get("stated_activity_count")
        rows.append(row)
    rows.append([])

    target_years = sorted({int(y) for i in plan.get("indicators", []) for y in i["targets"]})
    rows.append(
        ["#indicator", _label("name", "ตัวชี้วัด"), _label("kind", "ประเภท (output/outcome/impact)")]
        + [_label(f"target_{y}", f"ค่าเป้าหมาย {y}") for y in target_years]
    )
    for indicator in plan.get("indicators", []):
        targets = [indicator["targets"].get(str(y)) for y in target_years]
        rows.append(["indicator", indicator["name"], indicator["kind"], *targets])
    rows.append([])
    rows.append(["#swot", _label("kind", "ประเภท"), _label("code", "รหัส"), _label("text", "ข้อความ")])
    for item in plan.get("swot", []):
        rows.append(["swot", item["kind"], item["code"], item["text"]])
    return rows


def _own_total(total, by_year):
    """A stated total worth writing: one the yearly stated figures do not already add up to."""
    if total is None or (by_year and total == sum(by_year.values())):
        return None
    return total


class _Formula(str):
    """A spreadsheet formula (as opposed to text that happens to start with "=")."""


def export_rows(plan):
    """The exchange file as rows of plain values (numbers as numbers, totals computed)."""
    return _rows(plan, formulas=False)


def write_csv(plan):
    """The exchange file as CSV bytes, UTF-8 with a BOM so Excel shows the Thai."""
    out = io.StringIO()
    writer = csv_writer(out)  # every cell neutralised (portal.outputs.exports); the reader undoes it
    for row in export_rows(plan):
        writer.writerow(["" if v is None else ("TRUE" if v is True else "FALSE" if v is False else v) for v in row])
    return out.getvalue().encode("utf-8-sig")


def write_xlsx(plan):
    """The exchange file as XLSX bytes: numbers as numbers, totals as formulas."""
    import openpyxl
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "แผน"
    bold = Font(bold=True)
    for number, values in enumerate(_rows(plan, formulas=True), 1):
        for column, value in enumerate(values, 1):
            if value is None:
                continue
            cell = sheet.cell(row=number, column=column)
            if isinstance(value, _Formula):
                cell.value = str(value)
            elif isinstance(value, str):
                cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
                cell.data_type = "s"  # text, even when it starts with "=" (no formula injection)
            else:
                cell.value = value
            if column == 1 and str(value).startswith("#"):
                for header in sheet[number]:
                    header.font = bold
    for letter, width in (("A", 14), ("D", 10), ("E", 40), ("F", 40), ("G", 30), ("H", 24)):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "B1"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- reading -------------------------------------------------------------------------------------------


def _key(cell):
    text = str(cell or "").strip()
    match = _KEY.search(text)
    return match.group(1) if match else text.lstrip("#") or None


def _text(value):
    if value is None:
        return ""
    return str(value).replace("\r\n", "\n").strip()


def read_exchange_rows(rows, where):
    """A plan dict from exchange-file rows; ``where(i)`` names row i in errors."""
    reader = _Reader(where)
    for i, values in enumerate(rows, 1):
        reader.row(i, list(values))
    meta = reader.meta
    cover = {
        "title": meta.get("title") or None,
        "organization": {
            "name": meta.get("organization_name") or None,
            "district": meta.get("district") or None,
            "province": meta.get("province") or None,
            "kind": meta.get("organization_kind") or None,
        },
        "period": None,
    }
    start, end = parse_int(meta.get("fiscal_year_start")), parse_int(meta.get("fiscal_year_end"))
    if start and end:
        cover["period"] = (start, end)
    if not reader.components:
        raise PlanImportError(gettext_noop("ไฟล์แลกเปลี่ยนไม่มีแถวโครงการ/กิจกรรม"))
    return assemble(
        cover=cover,
        components=reader.components,
        plan_stated=reader.plan_stated,
        indicators=reader.indicators,
        swot=reader.swot,
        sections={key: meta.get(key) or None for key in SECTIONS},
        table_years=reader.years,
        warnings=[],
        activity_lines=reader.activity_lines,
    )


FORMULA_CHARS = "=+-@\t\r"


class _Reader:
    def __init__(self, where):
        self.where = where
        self.keys = None
        self.meta = {}
        self.components = []
        self.by_number = {}
        self.plan_stated = None
        self.indicators = []
        self.swot = []
        self.years = set()
        self.activity_lines = {}

    def error(self, line, message, **params):
        return PlanImportError(message, line, params=params, where=self.where(line))

    def row(self, line, values):
        # Text the CSV export neutralised against formula injection ("'=..."): read back as it was typed.
        values = [v[1:] if isinstance(v, str) and v[:1] == "'" and v[1:2] in FORMULA_CHARS and v[1:] else v
                  for v in values]
        if not any(_text(v) for v in values):
            return
        record = _text(values[0]).lstrip("\ufeff")
        if record == FORMAT_MARK:
            version = parse_int(values[1] if len(values) > 1 else None)
            if version is not None and version > FORMAT_VERSION:
                raise self.error(line, gettext_noop("ไฟล์แลกเปลี่ยนรุ่น %(version)s ใหม่กว่าที่ระบบรองรับ"),
                                 version=version)
            return
        if record.startswith("#"):
            self.keys = [_key(v) for v in values]
            return
        if self.keys is None:
            raise self.error(line, gettext_noop("ไม่พบแถวหัวคอลัมน์ (#…) ก่อนข้อมูล"))
        extra = [v for v in values[len(self.keys) :] if _text(v)]
        if extra:
            raise self.error(line, gettext_noop("แถวนี้มี %(cells)s ช่อง แต่หัวคอลัมน์มี %(header)s ช่อง"),
                             cells=len(values), header=len(self.keys))
        data = {key: values[i] for i, key in enumerate(self.keys) if key and i < len(values) and i > 0}
        handler = {
            "meta": self.meta_row,
            "component": self.component_row,
            "activity": self.activity_row,
            "total": lambda line, data: None,  # derived sums
            "plan_stated": self.plan_stated_row,
            "indicator": self.indicator_row,
            "swot": self.swot_row,
        }.get(record)
        if handler is None:
            raise self.error(line, gettext_noop("ไม่รู้จักประเภทแถว '%(record)s'"), record=record)
        handler(line, data)

    def amount(self, value, line):
        if isinstance(value, str) and value.startswith("="):
            return None  # a formula: derived, recomputed from the figures it sums
        try:
            return parse_amount(value)
        except NotANumber:
            shown = clean_cell(value)
            raise self.error(line, NOT_A_BUDGET, value=shown) from None

    def year_int(self, value, line, what):
        if not _text(value):
            return None
        number = parse_int(value)
        if number is None:
            raise self.error(line, gettext_noop("%(what)s '%(value)s' ไม่ใช่ตัวเลข"), what=what, value=_text(value))
        return number

    def meta_row(self, line, data):
        key = _key(data.get("key"))
        self.meta[key] = _text(data.get("value"))

    def budget_years(self, data, line):
        by_year = {}
        for key, value in data.items():
            if key.startswith("budget_") and key != "budget_total" and _text(value):
                year = key[len("budget_") :]
                amount = self.amount(value, line)
                by_year[year] = amount or 0
                self.years.add(int(year))
        return dict(sorted(by_year.items()))

    def component(self, data, line):
        number = self.year_int(data.get("component_number"), line, gettext_lazy("องค์ประกอบที่"))
        component = self.by_number.get(number)
        if component is None:
            component = {"number": number, "title": _text(data.get("component_title")) or None,
                         "activities": [], "stated": None}  # fmt: skip
            self.by_number[number] = component
            self.components.append(component)
        return component

    def component_row(self, line, data):
        component = self.component(data, line)
        by_year = self.budget_years(data, line)
        total = self.amount(data.get("stated_total"), line)
        count = self.year_int(data.get("stated_activity_count"), line, gettext_lazy("จำนวนกิจกรรม"))
        if by_year or total is not None or count is not None:
            component["stated"] = {"by_year": by_year, "total": total, "count": count, "line": line}

    def activity_row(self, line, data):
        component = self.component(data, line)
        by_year = self.budget_years(data, line)
        written_total = self.amount(data.get("budget_total"), line)
        total = sum(by_year.values()) if by_year else (written_total or 0)
        number = _text(data.get("activity_number")) or None
        if isinstance(data.get("activity_number"), float):
            number = str(data["activity_number"]).removesuffix(".0")
        activity = {
            "number": number,
            "title": _text(data.get("title")),
            "details": _text(data.get("details")),
            "benefits": _text(data.get("benefits")),
            "responsible_unit": _text(data.get("responsible_unit")),
            "start_year": self.year_int(data.get("start_year"), line, gettext_lazy("ปีเริ่ม")),
            "end_year": self.year_int(data.get("end_year"), line, gettext_lazy("ปีสิ้นสุด")),
            "budget_total": total,
            "budget_by_year": by_year,
            "no_budget": total == 0,
            "stated_total": self.amount(data.get("stated_total"), line),
        }
        if by_year and written_total is not None and written_total != total and activity["stated_total"] is None:
            # A hand-edited CSV whose total no longer matches its yearly figures: keep the figures, say so.
            activity["stated_total"] = written_total
        component["activities"].append(activity)
        self.activity_lines[id(activity)] = line

    def plan_stated_row(self, line, data):
        by_year = self.budget_years(data, line)
        total = self.amount(data.get("stated_total"), line)
        count = self.year_int(data.get("stated_activity_count"), line, gettext_lazy("จำนวนกิจกรรม"))
        self.plan_stated = {"by_year": by_year, "total": total, "count": count, "line": line}

    def indicator_row(self, line, data):
        targets = {}
        for key, value in data.items():
            if key.startswith("target_") and _text(value):
                targets[key[len("target_") :]] = _text(value)
        kind = _text(data.get("kind")) or None
        if kind not in (None, "output", "outcome", "impact"):
            raise self.error(line, gettext_noop("ประเภทตัวชี้วัด '%(kind)s' ต้องเป็น output, outcome หรือ impact"),
                             kind=kind)
        self.indicators.append({"name": _text(data.get("name")), "kind": kind, "targets": targets})

    def swot_row(self, line, data):
        kind = _text(data.get("kind")).upper()
        if kind not in ("S", "W", "O", "T", "SO", "ST", "WO", "WT"):
            raise self.error(line, gettext_noop("ประเภท SWOT '%(kind)s' ไม่ถูกต้อง"), kind=kind)
        self.swot.append({"kind": kind, "code": _text(data.get("code")), "text": _text(data.get("text"))})
