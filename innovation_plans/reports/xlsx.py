"""XLSX through openpyxl: numbers stored as numbers, totals as =SUM(...) formulas, disagreements highlighted."""

import re
from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from portal.outputs.exports import neutralise_workbook

from ..warning_text import kind_sentence, mismatch_sentence, warning_sentence
from .csvfile import summary_header
from .rows import activity_rows, indicator_rows

BOLD = Font(bold=True, name="Sarabun")
BASE = Font(name="Sarabun")
HEAD_FILL = PatternFill("solid", fgColor="DDEBE6")
WARN_FILL = PatternFill("solid", fgColor="FBE0D0")
MONEY = "#,##0"
WRAP = Alignment(wrap_text=True, vertical="top")


# The only formulas a report writes itself: column and row totals. Any other text that would be read as a
# formula (a plan title typed as =HYPERLINK(...)) is written as text.
OWN_FORMULA = re.compile(r"=SUM\([A-Z]{1,3}\d+:[A-Z]{1,3}\d+\)")


def _header(ws, row, values):
    for col, value in enumerate(values, start=1):
        cell = ws.cell(row=row, column=col, value=value)
        cell.font = BOLD
        cell.fill = HEAD_FILL
        cell.alignment = WRAP


def _widths(ws, widths):
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width


def plan_xlsx(fig, year=None) -> bytes:
    wb = Workbook()
    plan = fig.plan
    years = fig.years
    ncols = len(years)

    # Sheet 1: budget matrix, computed from activity rows (formulas) next to what the document states.
    ws = wb.active
    ws.title = _("งบประมาณ")
    ws.cell(row=1, column=1, value=f"{plan.title} — {plan.organization.name_th}").font = BOLD
    ws.cell(row=2, column=1, value=_("พ.ศ. %(start)s–%(end)s") % {"start": plan.fiscal_year_start,
                                                                  "end": plan.fiscal_year_end}
            + (" · " + _("ปีงบประมาณ %(year)s") % {"year": year} if year else ""))
    header = [_("องค์ประกอบ")] + [_("%(year)s (คำนวณ)") % {"year": y} for y in years]
    header += [_("ไม่แยกปี"), _("รวม (คำนวณ)")]
    header += [_("%(year)s (ตามเอกสาร)") % {"year": y} for y in years] + [_("รวมตามเอกสาร")]
    _header(ws, 4, header)
    first = 5
    row = first
    for c in fig.components:
        ws.cell(row=row, column=1, value=str(c.component)).alignment = WRAP
        for i, y in enumerate(years):
            ws.cell(row=row, column=2 + i, value=c.computed.get(y, 0)).number_format = MONEY
        ws.cell(row=row, column=2 + ncols, value=c.undivided).number_format = MONEY
        total = ws.cell(row=row, column=3 + ncols,
                        value=f"=SUM({get_column_letter(2)}{row}:{get_column_letter(2 + ncols)}{row})")
        total.number_format = MONEY
        for i, y in enumerate(years):
            stated = c.stated.get(y)
            cell = ws.cell(row=row, column=4 + ncols + i, value=stated)
            cell.number_format = MONEY
            if y in c.mismatch_years:
                cell.fill = WARN_FILL
                ws.cell(row=row, column=2 + i).fill = WARN_FILL
        cell = ws.cell(row=row, column=4 + 2 * ncols, value=c.stated_total)
        cell.number_format = MONEY
        if c.total_mismatch:
            cell.fill = WARN_FILL
            total.fill = WARN_FILL
        row += 1
    last = row - 1
    ws.cell(row=row, column=1, value=_("รวมทั้งแผน")).font = BOLD
    for col in range(2, 5 + 2 * ncols):
        letter = get_column_letter(col)
        cell = ws.cell(row=row, column=col, value=f"=SUM({letter}{first}:{letter}{last})" if last >= first else 0)
        cell.font = BOLD
        cell.number_format = MONEY
    if fig.stated_total_mismatch:
        ws.cell(row=row + 1, column=1,
                value=mismatch_sentence(stated=fig.stated_total, computed=fig.computed_total)).fill = WARN_FILL
    _widths(ws, [40] + [13] * (2 * ncols + 3))
    ws.freeze_panes = "B5"

    # Sheet 2: activities with budgets per year (numbers) and a SUM per row; M&E status.
    ws = wb.create_sheet(_("กิจกรรม"))
    header = [_("องค์ประกอบ"), _("ลำดับ"), _("โครงการ/กิจกรรม"), _("หน่วยงานรับผิดชอบ")] + [str(y) for y in years]
    header += [_("ไม่แยกปี"), _("รวม"), _("สถานะ"), _("ความก้าวหน้า %"), _("ใช้จ่ายจริง")]
    _header(ws, 1, header)
    rows = activity_rows(fig, year)
    r = 2
    for a, data in zip(fig.activities, rows, strict=True):
        ws.cell(row=r, column=1, value=a.component.number)
        ws.cell(row=r, column=2, value=a.activity.number)
        ws.cell(row=r, column=3, value=a.activity.title).alignment = WRAP
        ws.cell(row=r, column=4, value=data["unit"]).alignment = WRAP
        for i, y in enumerate(years):
            ws.cell(row=r, column=5 + i, value=a.by_year.get(y)).number_format = MONEY
        ws.cell(row=r, column=5 + ncols, value=a.undivided).number_format = MONEY
        ws.cell(row=r, column=6 + ncols,
                value=f"=SUM({get_column_letter(5)}{r}:{get_column_letter(5 + ncols)}{r})").number_format = MONEY
        ws.cell(row=r, column=7 + ncols, value=data["status"])
        ws.cell(row=r, column=8 + ncols, value=data["progress"])
        ws.cell(row=r, column=9 + ncols, value=data["spend"]).number_format = MONEY
        r += 1
    ws.cell(row=r, column=3, value=_("รวม")).font = BOLD
    for col in list(range(5, 7 + ncols)) + [9 + ncols]:
        letter = get_column_letter(col)
        cell = ws.cell(row=r, column=col, value=f"=SUM({letter}2:{letter}{r - 1})" if r > 2 else 0)
        cell.font = BOLD
        cell.number_format = MONEY
    _widths(ws, [10, 7, 50, 24] + [12] * (ncols + 2) + [22, 10, 12])
    ws.freeze_panes = "E2"

    # Sheet 3: indicators, targets (as written) and actuals per year.
    ws = wb.create_sheet(_("ตัวชี้วัด"))
    ind_years = [year] if year else years
    header = [_("ตัวชี้วัด"), _("ประเภท"), _("หน่วย")]
    for y in ind_years:
        header += [_("เป้าหมาย %(year)s") % {"year": y}, _("ผล %(year)s") % {"year": y}]
    _header(ws, 1, header)
    for r, item in enumerate(indicator_rows(fig, year), start=2):
        ws.cell(row=r, column=1, value=item["name"]).alignment = WRAP
        ws.cell(row=r, column=2, value=item["kind"])
        ws.cell(row=r, column=3, value=item["unit"])
        for i, cell in enumerate(item["cells"]):
            ws.cell(row=r, column=4 + 2 * i, value=cell["target"])
            ws.cell(row=r, column=5 + 2 * i, value=cell["actual"])
    _widths(ws, [50, 12, 10] + [16] * (2 * len(ind_years)))

    # Sheet 4: M&E summary per year.
    ws = wb.create_sheet(_("ติดตามผล"))
    _header(ws, 1, [_("ปีงบประมาณ"), _("กิจกรรมตามแผน"), _("ติดตามแล้ว"), _("แล้วเสร็จ"), _("งบตามแผน"),
                    _("ใช้จ่ายจริง"), _("ความก้าวหน้าเฉลี่ย %")])
    for r, y in enumerate(ind_years, start=2):
        m = fig.monitoring[y]
        for col, value in enumerate([y, m["planned"], m["monitored"], m["completed"], m["budget"], m["spend"],
                                     m["average_progress"]], start=1):
            ws.cell(row=r, column=col, value=value)
    _widths(ws, [14, 16, 12, 12, 14, 14, 18])

    # Sheet 5: the importer's warnings, so the disagreements travel with the file.
    ws = wb.create_sheet(_("ข้อสังเกต"))
    _header(ws, 1, [_("ประเภทข้อสังเกต"), _("องค์ประกอบ"), _("ปี"), _("ตามเอกสาร"), _("คำนวณ"), _("ข้อความ")])
    for r, w in enumerate(fig.warnings, start=2):
        for col, key in enumerate(("code", "component", "year", "stated", "computed", "message"), start=1):
            value = {"code": kind_sentence(w.get("code")), "message": warning_sentence(w)}.get(key, w.get(key))
            ws.cell(row=r, column=col, value=value if not isinstance(value, dict | list) else str(value))
    _widths(ws, [24, 12, 8, 14, 14, 80])

    out = BytesIO()
    neutralise_workbook(wb, allow=OWN_FORMULA)
    wb.save(out)
    return out.getvalue()


def summary_xlsx(lines, year=None) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = _("สรุป")
    ws.cell(row=1, column=1, value=_("สรุปแผนพัฒนานวัตกรรมหลายองค์กร")
            + (" · " + _("ปีงบประมาณ %(year)s") % {"year": year} if year else "")).font = BOLD
    _header(ws, 3, summary_header())
    r = 4
    for line in lines:
        plan = line["plan"]
        values = [line["organization"].name_th, line["organization"].province, plan.title,
                  f"{plan.fiscal_year_start}–{plan.fiscal_year_end}", plan.get_status_display(), line["budget"],
                  line["stated"], line["planned"], line["monitored"], line["completed"], line["spend"],
                  line["warnings"]]
        for col, value in enumerate(values, start=1):
            cell = ws.cell(row=r, column=col, value=value)
            if col in (6, 7, 11):
                cell.number_format = MONEY
        if line["disagreement"]:
            ws.cell(row=r, column=7).fill = WARN_FILL
        r += 1
    ws.cell(row=r, column=1, value=_("รวม")).font = BOLD
    for col in (6, 7, 8, 9, 10, 11, 12):
        letter = get_column_letter(col)
        cell = ws.cell(row=r, column=col, value=f"=SUM({letter}4:{letter}{r - 1})" if r > 4 else 0)
        cell.font = BOLD
        cell.number_format = MONEY
    _widths(ws, [30, 14, 50, 12, 14, 14, 14, 12, 10, 10, 14, 10])
    out = BytesIO()
    neutralise_workbook(wb, allow=OWN_FORMULA)
    wb.save(out)
    return out.getvalue()
