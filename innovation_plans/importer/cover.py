"""The title page: plan title, organization, district and province, plan period."""

import re

from .tables import Line
from .text import clean_cell, find_period

ORG_KINDS = {
    "องค์การบริหารส่วนตำบล": "sao",
    "องค์การบริหารส่วนจังหวัด": "pao",
    "เทศบาลตำบล": "subdistrict",
    "เทศบาลเมือง": "town",
    "เทศบาลนคร": "city",
    "อบต.": "sao",
    "อบจ.": "pao",
    "ทต.": "subdistrict",
    "ทม.": "town",
    "ทน.": "city",
}
_ORG = re.compile(
    r"(?P<kind>" + "|".join(re.escape(k) for k in sorted(ORG_KINDS, key=len, reverse=True)) + r")\s*"
    r"(?P<name>[^\s\d(),:;/]+)"
)
_LOCATION = re.compile(
    r"(?:อำเภอ|(?:^|(?<=\s))อ\.)\s*(?P<district>\S+?)\s*(?:จังหวัด|(?:^|(?<=\s))จ\.)\s*(?P<province>[^\s,()]+)"
)
_PROVINCE = re.compile(r"(?P<district>(?!))?(?:จังหวัด|(?:^|(?<=\s))จ\.)\s*(?P<province>[^\s,()]+)")
_COVER_END = re.compile(r"^(?:คำนำ|สารบัญ|สารบาญ|บทนำ|บทที่|ส่วนที่|บทสรุป)")
# Words that follow the organization name inside a title ("…เทศบาลตำบลคำใหญ่ไปสู่การเป็น…").
_TITLE_TAIL = re.compile(r"(?:ไปสู่|เพื่อ|ประจำปี|ระยะ|สู่การ|ปีงบ|พ\.ศ|แผน).*$")


def plain(text):
    """A line without Markdown decoration (#, **, >) and HTML."""
    return clean_cell(re.sub(r"^\s*(?:#+|>)\s*", "", text or ""))


def read_cover(items):
    """Title, organization and period from the title page, which we trust over later (sometimes misspelt) text."""
    lines = []
    for item in items:
        if not isinstance(item, Line):
            if lines:
                break
            continue
        text = plain(item.text)
        if not text:
            continue
        if _COVER_END.match(text) and lines:
            break
        lines.append(text)
        if len(lines) >= 30:
            break

    lines, location_index, location_lines = _join_location(lines)
    org, org_index = _find_org(lines, location_index)
    if org is None or location_index is None:
        # No usable title page: fall back to the first place the document names them.
        all_lines = [plain(item.text) for item in items if isinstance(item, Line)]
        if org is None:
            org, _ = _find_org(all_lines, None)
        location = next((m for m in map(_LOCATION.search, all_lines) if m), None)
    else:
        location = _LOCATION.search(lines[location_index])
    if location is None:
        # "เทศบาลเมืองกาฬสินธุ์ จังหวัดกาฬสินธุ์": a province without a district.
        location = next((m for m in map(_PROVINCE.search, lines) if m), None)

    title_lines = [t for i, t in enumerate(lines[:org_index] if org_index else []) if i not in location_lines]
    if not title_lines:
        title_lines = [t for t in lines if "แผน" in t and not _LOCATION.search(t)][:3]
    title = " ".join(title_lines) or None
    period = find_period(title or "") or find_period(" ".join(lines))
    # Without a title page, the first line naming a plan stands in for the title, and for the period
    # (used only when the tables have no year columns either).
    plan_lines = (plain(i.text) for i in items if isinstance(i, Line) and "แผน" in i.text and len(i.text) < 300)
    first_plan_line = next(plan_lines, None)
    period_elsewhere = next((p for p in map(find_period, [first_plan_line or "", *plan_lines]) if p), None)
    title = title or first_plan_line

    kind = None
    if org:
        kind = next((v for k, v in ORG_KINDS.items() if org.startswith(k)), None)
    return {
        "title": title,
        "organization": {
            "name": org,
            "district": _tidy_place(location["district"] or "") if location else None,
            "province": _tidy_place(location["province"]) if location else None,
            "kind": kind,
        },
        "period": period,
        "period_elsewhere": period_elsewhere,
    }


_DISTRICT_ONLY = re.compile(r"(?:อำเภอ|(?:^|(?<=\s))อ\.)\s*\S+\s*$")
_PROVINCE_FIRST = re.compile(r"^(?:จังหวัด|จ\.)")


def _join_location(lines):
    """(lines, index of the line naming district and province, indexes to leave out of the title).

    "อำเภอ…" and "จังหวัด…" are sometimes on two lines (the name of a long district wraps, or the title page puts
    each on its own line): the two are read as one line then.
    """
    for i, text in enumerate(lines):
        if _LOCATION.search(text):
            return lines, i, {i}
        if i + 1 < len(lines) and _DISTRICT_ONLY.search(text) and _PROVINCE_FIRST.match(lines[i + 1]):
            joined = [*lines[:i], f"{text} {lines[i + 1]}", *lines[i + 2 :]]
            return joined, i, {i}
    return lines, None, set()


def _tidy_place(name):
    return name.strip(" .,;:") or None


def _find_org(lines, location_index):
    """(name, index of its line). Prefer the line just above "อำเภอ… จังหวัด…", then a line that is only a name."""
    if location_index is not None:
        line = lines[location_index]
        before = line[: _LOCATION.search(line).start()].strip()
        match = _ORG.search(before)
        if match:
            return _org_name(match), location_index
        if location_index > 0 and _standalone(lines[location_index - 1]):
            return _org_name(_ORG.search(lines[location_index - 1])), location_index - 1
    for i, line in enumerate(lines):
        if _standalone(line):
            return _org_name(_ORG.search(line)), i
    for i, line in enumerate(lines):
        match = _ORG.search(line)
        if match:
            name = _TITLE_TAIL.sub("", match["name"])
            if name:
                return _FULL_KIND.get(match["kind"], match["kind"]) + name, i
    return None, None


def _standalone(line):
    match = _ORG.search(line)
    return bool(match) and match.start() == 0 and not line[match.end() :].strip()


_FULL_KIND = {"อบต.": "องค์การบริหารส่วนตำบล", "อบจ.": "องค์การบริหารส่วนจังหวัด", "ทต.": "เทศบาลตำบล",
              "ทม.": "เทศบาลเมือง", "ทน.": "เทศบาลนคร"}  # fmt: skip


def _org_name(match):
    # "อบต.บ้านโคก" is the organization registered as "องค์การบริหารส่วนตำบลบ้านโคก".
    return _FULL_KIND.get(match["kind"], match["kind"]) + match["name"]
