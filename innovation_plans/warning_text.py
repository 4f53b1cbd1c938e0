"""The importer's warning codes as sentences people read (admin, auditor page, PDF, XLSX, load_demo).

The codes stay in the data (import_warnings, the CSV) for programs; people see `kind_sentence(code)`.
"""

from django.utils.translation import gettext_lazy as _

KINDS = {
    "stated_total_mismatch": _("ยอดรวมที่ระบุในแผนไม่ตรงกับผลรวมของรายการ"),
    "stated_count_mismatch": _("จำนวนกิจกรรมที่ระบุในแผนไม่ตรงกับจำนวนรายการในตาราง"),
    "numbering_gap": _("ลำดับรายการข้ามไป อาจมีรายการหายจากเอกสาร"),
    "numbering_mismatch": _("เลขลำดับรายการไม่ตรงกับองค์ประกอบที่อยู่"),
    "numbering_order": _("เลขลำดับรายการเรียงไม่ต่อเนื่อง"),
    "period_mismatch": _("ปีของโครงการอยู่นอกช่วงปีของแผน"),
    "unknown_unit": _("หน่วยงานรับผิดชอบไม่ใช่ชื่อกอง สำนัก หรืองานที่รู้จัก"),
    "unparsed_row": _("มีแถวในตารางที่อ่านไม่ได้ จึงไม่ได้นำเข้า"),
    "unreadable_total_row": _("แถวรวมอ่านยอดเงินไม่ได้ จึงไม่ได้เทียบกับผลรวมของรายการ"),
}


def kind_sentence(code) -> str:
    """The sentence for a warning code; an unknown code is shown as a generic sentence, never raw."""
    return str(KINDS.get(code, _("ข้อสังเกตจากการนำเข้าแผน")))
