"""CSV in UTF-8 with a BOM (Excel on Thai Windows opens it without mojibake); every cell neutralised against
formula injection (portal.outputs.exports)."""

from io import StringIO

from django.utils.translation import gettext as _

from portal.outputs.exports import csv_writer

from ..warning_text import kind_sentence, warning_sentence
from .rows import activity_rows, indicator_rows, matrix


def _bytes(buffer: StringIO) -> bytes:
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def plan_csv(fig, year=None) -> bytes:
    buffer = StringIO()
    w = csv_writer(buffer)
    plan = fig.plan
    years = fig.years
    w.writerow([_("แผน"), plan.title, plan.organization.name_th, f"{plan.fiscal_year_start}-{plan.fiscal_year_end}",
                _("ปีงบประมาณ %(year)s") % {"year": year} if year else ""])
    w.writerow([])
    w.writerow(["# " + _("งบประมาณ")])
    w.writerow([_("องค์ประกอบ"), _("ชนิด")] + [str(y) for y in years] + [_("ไม่แยกปี"), _("รวม")])
    m = matrix(fig)
    for row in m["rows"]:
        w.writerow([row["label"], _("คำนวณ")] + [c["computed"] for c in row["cells"]]
                   + [row["undivided"], row["computed_total"]])
        w.writerow([row["label"], _("ตามเอกสาร")] + ["" if c["stated"] is None else c["stated"] for c in row["cells"]]
                   + ["", "" if row["stated_total"] is None else row["stated_total"]])
    w.writerow([_("รวมทั้งแผน"), _("คำนวณ")] + [c["computed"] for c in m["totals"]]
               + [m["undivided"], m["computed_total"]])
    w.writerow([_("รวมทั้งแผน"), _("ตามเอกสาร")]
               + ["" if c["stated"] is None else c["stated"] for c in m["totals"]]
               + ["", "" if m["stated_total"] is None else m["stated_total"]])
    w.writerow([])
    w.writerow(["# " + _("กิจกรรม")])
    w.writerow([_("องค์ประกอบ"), _("ลำดับ"), _("โครงการ/กิจกรรม"), _("หน่วยงานรับผิดชอบ"), _("ช่วงปี"),
                _("งบประมาณ"), _("สถานะ"), _("ความก้าวหน้า %"), _("ใช้จ่ายจริง")])
    for a in activity_rows(fig, year):
        w.writerow([a["component"] or "", a["number"], a["title"], a["unit"], a["years"],
                    "" if a["budget"] is None else a["budget"], a["status"],
                    "" if a["progress"] is None else a["progress"], "" if a["spend"] is None else a["spend"]])
    w.writerow([])
    w.writerow(["# " + _("ตัวชี้วัด")])
    ind_years = [year] if year else years
    header = [_("ตัวชี้วัด"), _("ประเภท")]
    for y in ind_years:
        header += [_("เป้าหมาย %(year)s") % {"year": y}, _("ผล %(year)s") % {"year": y}]
    w.writerow(header)
    for item in indicator_rows(fig, year):
        row = [item["name"], item["kind"]]
        for cell in item["cells"]:
            row += [cell["target"], cell["actual"]]
        w.writerow(row)
    w.writerow([])
    w.writerow(["# " + _("ข้อสังเกต")])
    w.writerow([_("ประเภทข้อสังเกต"), _("องค์ประกอบ"), _("ปี"), _("ตามเอกสาร"), _("คำนวณ"), _("ข้อความ")])
    for warning in fig.warnings:
        # Written as sentences, as in the XLSX: a raw code ("stated_total_mismatch") means nothing to an auditor.
        text = {"code": kind_sentence(warning.get("code")), "message": warning_sentence(warning)}
        w.writerow([text.get(k, warning.get(k)) if warning.get(k) is not None or k in text else ""
                    for k in ("code", "component", "year", "stated", "computed", "message")])
    return _bytes(buffer)


def summary_header() -> list[str]:
    """The summary's column headings, shared by the CSV and the XLSX."""
    return [_("องค์กร"), _("จังหวัด"), _("แผน"), _("ปี"), _("สถานะ"), _("งบ (คำนวณ)"), _("งบ (ตามเอกสาร)"),
            _("กิจกรรมตามแผน"), _("ติดตามแล้ว"), _("แล้วเสร็จ"), _("ใช้จ่ายจริง"), _("ข้อสังเกต")]


def summary_csv(lines, year=None) -> bytes:
    buffer = StringIO()
    w = csv_writer(buffer)
    w.writerow(summary_header())
    for line in lines:
        plan = line["plan"]
        w.writerow([line["organization"].name_th, line["organization"].province, plan.title,
                    f"{plan.fiscal_year_start}-{plan.fiscal_year_end}", plan.get_status_display(), line["budget"],
                    "" if line["stated"] is None else line["stated"], line["planned"], line["monitored"],
                    line["completed"], line["spend"], line["warnings"]])
    return _bytes(buffer)
