"""Totals, numbering and units checked against what the document states; the plan dict assembled.

Shared by the document reader (plan.py) and the exchange-file reader, so both report the same disagreements.
"""

import re

from django.utils.translation import gettext_noop

from .errors import PlanImportError

_UNIT_PREFIXES = (
    "สำนัก", "กอง", "งาน", "ฝ่าย", "หน่วย", "ส่วน", "ศูนย์", "แผนก", "โรงเรียน", "สถานี", "ทุกกอง", "ทุกส่วน",
    "ทุกสำนัก", "ทุกหน่วย", "ทุกฝ่าย", "ทุกงาน", "สป.", "กค.", "กช.", "กศ.", "กสธ.", "กสว.",
)  # fmt: skip


def warning(code, message, *, component=None, year=None, stated=None, computed=None, line=None):
    return {
        "code": code,
        "component": component,
        "year": year,
        "stated": stated,
        "computed": computed,
        "message": message,
        "line": line,
    }


def unit_is_known(unit):
    parts = [p.strip(" -•") for p in re.split(r"[/,;\n]|\s+และ(?=(?:สำนัก|กอง|งาน|ฝ่าย))", unit) if p.strip(" -•")]
    return bool(parts) and all(re.sub(r"^[0-9๐-๙]+[.)]\s*", "", p).startswith(_UNIT_PREFIXES) for p in parts)


_NO_STATED = {"by_year": {}, "total": None, "count": None, "line": None}


def assemble(*, cover, components, plan_stated, indicators, swot, sections, table_years, warnings, activity_lines=None):
    """The plan dict from what a reader found, with totals computed and every disagreement reported.

    ``components``: dicts with number, title, activities (finished activity dicts) and ``stated`` (what the
    document's total row says: by_year, total, count, line) or None.
    """
    lines = activity_lines or {}
    checks = _Checks(warnings)
    if plan_stated and len(components) == 1 and not components[0]["stated"]:
        # A one-table plan whose only total row says "รวมทั้งสิ้น": that is this table's total.
        components[0]["stated"], plan_stated = plan_stated, None
    finished = []
    for component in components:
        activities = component["activities"]
        number = component["number"]
        by_year = _sum_by_year(activities)
        total = sum(a["budget_total"] for a in activities)
        stated = component["stated"] or _NO_STATED
        checks.stated(stated, by_year, total, len(activities), number)
        checks.numbering([(number, a["number"], lines.get(id(a))) for a in activities if a["number"]], number, "กิจกรรม")
        for activity in activities:
            checks.activity(activity, number, lines.get(id(activity)))
        stated_total = stated["total"]
        if stated_total is None and stated["by_year"]:
            stated_total = sum(stated["by_year"].values())
        finished.append(
            {
                "number": number,
                "title": component["title"],
                "activities": activities,
                "stated_total_by_year": dict(stated["by_year"]),
                "stated_total": stated_total,
                "stated_activity_count": stated["count"],
                "activity_count": len(activities),
                "budget_by_year": by_year,
                "budget_total": total,
            }
        )
    checks.numbering([(c["number"], str(c["number"]), None) for c in finished if c["number"] is not None], None,
                     "องค์ประกอบ")  # fmt: skip
    activities = [a for c in finished for a in c["activities"]]
    if not activities:
        raise PlanImportError(gettext_noop("พบตารางแผนงานแต่ไม่มีโครงการ/กิจกรรมในตาราง"))
    budget_by_year = _sum_by_year(activities)
    budget_total = sum(a["budget_total"] for a in activities)
    plan_stated = plan_stated or _NO_STATED
    checks.stated(plan_stated, budget_by_year, budget_total, len(activities), None, whole_plan=True)
    years = sorted(table_years)
    period = cover["period"] or ((years[0], years[-1]) if years else None)
    period = period or cover.get("period_elsewhere") or (None, None)
    if period[0] and years and (years[0] < period[0] or years[-1] > period[1]):
        warnings.append(
            warning(
                "period_mismatch",
                f"ระยะเวลาแผน พ.ศ. {period[0]}–{period[1]} ไม่ตรงกับปีในตาราง {years[0]}–{years[-1]}",
                stated=f"{period[0]}-{period[1]}",
                computed=f"{years[0]}-{years[-1]}",
            )
        )
    return {
        "organization": cover["organization"],
        "title": cover["title"],
        "fiscal_year_start": period[0],
        "fiscal_year_end": period[1],
        "components": finished,
        "activity_count": len(activities),
        "budget_by_year": budget_by_year,
        "budget_total": budget_total,
        "stated_total_by_year": dict(plan_stated["by_year"]),
        "stated_total": plan_stated["total"],
        "stated_activity_count": plan_stated["count"],
        **sections,
        "indicators": indicators,
        "swot": swot,
        "warnings": warnings,
    }


def _sum_by_year(activities):
    by_year = {}
    for activity in activities:
        for year, amount in activity["budget_by_year"].items():
            by_year[year] = by_year.get(year, 0) + amount
    return dict(sorted(by_year.items()))


def _dotted(*parts):
    return ".".join(map(str, parts))


class _Checks:
    def __init__(self, warnings):
        self.warnings = warnings

    def add(self, *args, **kwargs):
        self.warnings.append(warning(*args, **kwargs))

    def activity(self, activity, component, line):
        name = activity["number"] or activity["title"][:40]
        unit = activity["responsible_unit"]
        if unit and not unit_is_known(unit):
            self.add(
                "unknown_unit",
                f"กิจกรรม {name}: ผู้รับผิดชอบ '{unit}' ไม่ใช่ชื่อหน่วยงาน (สำนัก/กอง/งาน/ฝ่าย…)",
                component=component,
                stated=unit,
                line=line,
            )
        stated, total = activity.get("stated_total"), activity["budget_total"]
        if stated is not None and activity["budget_by_year"] and stated != total:
            self.add(
                "stated_total_mismatch",
                f"กิจกรรม {name}: ช่องรวมระบุ {stated:,} บาท แต่ผลรวมรายปีได้ {total:,} บาท",
                component=component,
                stated=stated,
                computed=total,
                line=line,
            )

    def stated(self, stated, by_year, total, count, component, whole_plan=False):
        if whole_plan:
            name = "ทั้งแผน"
        else:
            name = f"องค์ประกอบที่ {component}" if component is not None else "ตารางโครงการ"
        for year, amount in stated["by_year"].items():
            computed = by_year.get(year, 0)
            if amount != computed:
                self.add(
                    "stated_total_mismatch",
                    f"{name} ปี {year}: เอกสารระบุยอดรวม {amount:,} บาท แต่ผลรวมของรายการได้ {computed:,} บาท",
                    component=component,
                    year=int(year),
                    stated=amount,
                    computed=computed,
                    line=stated["line"],
                )
        if stated["total"] is not None and stated["total"] != total:
            self.add(
                "stated_total_mismatch",
                f"{name}: เอกสารระบุยอดรวม {stated['total']:,} บาท แต่ผลรวมของรายการได้ {total:,} บาท",
                component=component,
                stated=stated["total"],
                computed=total,
                line=stated["line"],
            )
        if stated["count"] is not None and stated["count"] != count:
            self.add(
                "stated_count_mismatch",
                f"{name}: เอกสารระบุ {stated['count']} กิจกรรม แต่ในตารางมี {count} กิจกรรม",
                component=component,
                stated=stated["count"],
                computed=count,
                line=stated["line"],
            )

    def numbering(self, numbered, component, what):
        """Items should run 1, 2, 3 (or 1.1, 1.2 …) without gaps; a gap usually means rows were left out."""
        previous = None  # (prefix, last part) of the item before
        for parent, number, line in numbered:
            parts = [int(p) for p in str(number).split(".") if p.isdigit()]
            if not parts:
                continue
            prefix, last = tuple(parts[:-1]), parts[-1]
            if what == "กิจกรรม" and prefix and parent is not None and prefix[0] != parent:
                self.add(
                    "numbering_mismatch",
                    f"กิจกรรมลำดับ {number} อยู่ในองค์ประกอบที่ {parent}",
                    component=component,
                    stated=str(number),
                    computed=_dotted(parent, last),
                    line=line,
                )
            same_run = previous is not None and previous[0] == prefix
            expected = previous[1] + 1 if same_run else 1
            if last > expected:
                missing = _dotted(*prefix, expected)
                if last - expected > 1:
                    missing += f"–{_dotted(*prefix, last - 1)}"
                before = f"จาก {_dotted(*prefix, previous[1])} ไป {number}" if same_run else f"เริ่มที่ {number}"
                self.add(
                    "numbering_gap",
                    f"ลำดับ{what}ข้าม{before} (ไม่มีลำดับที่ {missing})",
                    component=component,
                    stated=str(number),
                    computed=_dotted(*prefix, expected),
                    line=line,
                )
            elif last < expected:
                self.add(
                    "numbering_order",
                    f"ลำดับ{what} {number} ซ้ำหรือย้อนกลับ (ควรเป็น {_dotted(*prefix, expected)})",
                    component=component,
                    stated=str(number),
                    computed=_dotted(*prefix, expected),
                    line=line,
                )
            previous = (prefix, last)
