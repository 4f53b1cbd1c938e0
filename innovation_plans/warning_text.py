"""The importer's warnings as sentences people read (public plan page, admin, auditor page, PDF, XLSX, load_demo).

The codes stay in the data (import_warnings, the CSV) for programs; people see `warning_sentence(warning)` (or
`kind_sentence(code)` where only the kind is wanted), and the public plan page `matrix_sentences(matrix)`.
"""

from django.utils.translation import gettext
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


def _amount(value) -> str:
    from portal.thai import in_page_digits

    return in_page_digits(f"{int(value):,}")


def mismatch_sentence(*, stated, computed, count: bool = False) -> str:
    """'ยอดรวมที่ระบุในแผน 30,000 บาท ไม่ตรงกับผลรวมของรายการ 10,000 บาท': both figures, in words a citizen reads."""
    if count:
        return gettext("จำนวนกิจกรรมที่ระบุในแผน %(stated)s กิจกรรม ไม่ตรงกับจำนวนรายการในตาราง %(computed)s กิจกรรม") % {
            "stated": _amount(stated), "computed": _amount(computed)}
    return gettext("ยอดรวมที่ระบุในแผน %(stated)s บาท ไม่ตรงกับผลรวมของรายการ %(computed)s บาท") % {
        "stated": _amount(stated), "computed": _amount(computed)}


def _place(*, label=None, year=None) -> str:
    from portal.thai import in_page_digits

    parts = [in_page_digits(label)] if label else []
    if year:
        parts.append(gettext("ปี %(year)s") % {"year": in_page_digits(year)})
    return " ".join(parts)


def warning_sentence(warning: dict) -> str:
    """One importer warning as one sentence: where (as the document names it), then what disagrees, with both
    figures for the stated-vs-computed ones; other kinds say what they are, then the importer's detail."""
    code = warning.get("code")
    stated, computed = warning.get("stated"), warning.get("computed")
    if code in ("stated_total_mismatch", "stated_count_mismatch") and isinstance(stated, int | float) \
            and isinstance(computed, int | float):
        message = str(warning.get("message") or "")
        where = message.split(":", 1)[0].strip() if ":" in message else ""
        sentence = mismatch_sentence(stated=stated, computed=computed, count=code == "stated_count_mismatch")
        return f"{where}: {sentence}" if where else sentence
    detail = warning.get("message")
    return f"{kind_sentence(code)}: {detail}" if detail else kind_sentence(code)


def matrix_sentences(matrix: dict) -> list[str]:
    """Every disagreement the budget table flags (⚠), each as a sentence, computed from the plan as it is now."""
    out = []

    def add(label, year, stated, computed, count=False):
        where = _place(label=label, year=year)
        sentence = mismatch_sentence(stated=stated, computed=computed, count=count)
        out.append(f"{where}: {sentence}" if where else sentence)

    for row in matrix["rows"]:
        for cell in row["cells"]:
            if cell["mismatch"]:
                add(row["label"], cell["year"], cell["stated"], cell["computed"])
        if row["total_mismatch"]:
            add(row["label"], None, row["stated_total"], row["computed_total"])
        if row["count_mismatch"]:
            add(row["label"], None, row["stated_activity_count"], row["activity_count"], count=True)
    whole = str(gettext("ทั้งแผน"))
    for cell in matrix["totals"]:
        if cell["mismatch"]:
            add(whole, cell["year"], cell["stated"], cell["computed"])
    if matrix["total_mismatch"]:
        add(whole, None, matrix["stated_total"], matrix["computed_total"])
    return out
