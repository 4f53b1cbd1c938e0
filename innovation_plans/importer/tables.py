"""Finding tables in a document and understanding their headers.

Every reader (plain text, Word, spreadsheets) turns its input into one stream of items: ``Line`` (a paragraph)
and ``Row`` (a table row). The plan builder walks that stream; this module knows how rows look: which are
header rows, which columns mean what, and which year each year column is.
"""

import re
from dataclasses import dataclass, field

from .text import clean_cell, header_year, to_arabic


@dataclass
class Line:
    line: int
    text: str


@dataclass
class Row:
    line: int
    cells: list
    # Word tables only: cells continuing a horizontal merge (their text repeats the merged cell's) and
    # cells continuing a vertical merge (text repeated from the row above).
    hcont: frozenset = frozenset()
    vcont: frozenset = frozenset()
    where: tuple = None  # (Thai, English) name of the place for error messages, when "line N" would mislead


# --- plain text -----------------------------------------------------------------------------------------

_MD_SEPARATOR = re.compile(r"^\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?$")


def text_items(text):
    """Lines of text to items: tab-separated lines and Markdown pipe rows become ``Row``; the rest ``Line``."""
    lines = text.split("\n")
    separators = {i for i, raw in enumerate(lines) if "-" in raw and _MD_SEPARATOR.match(raw.strip())}
    items = []
    for i, raw in enumerate(lines):
        number = i + 1
        stripped = raw.strip()
        if i in separators:
            continue
        if "\t" in raw:
            items.append(Row(number, [cell.strip() for cell in raw.split("\t")]))
        elif stripped.count("|") >= 2 and (stripped.startswith("|") or _near_separator(i, separators)):
            items.append(Row(number, _split_pipes(stripped)))
        else:
            items.append(Line(number, raw.rstrip()))
    return items


def _near_separator(index, separators):
    # A pipe table without leading pipes is only a table when a --- line sits in it somewhere nearby.
    return any(abs(index - s) <= 60 for s in separators)


def _split_pipes(line):
    if line.startswith("|"):
        line = line[1:]
    if line.endswith("|") and not line.endswith("\\|"):
        line = line[:-1]
    return [cell.strip() for cell in re.split(r"(?<!\\)\|", line)]


def rows_items(rows, where=None):
    """Spreadsheet rows (lists of values) to items: rows with two or more filled cells are table rows."""
    items = []
    for i, values in enumerate(rows, 1):
        cells = ["" if v is None else str(v).strip() for v in values]
        filled = [n for n, c in enumerate(cells) if c]
        place = where(i) if where else None
        # One filled cell away from the first column, right under a table row, continues that table.
        continues = len(filled) == 1 and filled[0] > 0 and items and isinstance(items[-1], Row)
        if len(filled) >= 2 or continues:
            items.append(Row(i, cells, where=place))
        else:
            items.append(Line(i, cells[filled[0]] if filled else ""))
    return items


# --- header rows ---------------------------------------------------------------------------------------

# Order matters: the first pattern that matches a header label decides the column's role.
_ROLES = [
    ("source", r"แหล่ง\S*งบ|ที่มา\S*งบ"),
    ("indicator_kind", r"^ประเภท"),  # "ประเภทตัวชี้วัด" types the indicator; it is not the indicator
    ("kpi", r"ตัวชี้วัด|^kpi"),
    ("count", r"^จำนวน\s*(?:โครงการ|กิจกรรม|มาตรการ|รายการ)"),  # a summary table's count, not activity titles
    ("benefits", r"ประโยชน์|ผลที่คาด|ผลที่ได้รับ|ผลลัพธ์|ผลผลิต|ผลสัมฤทธิ์"),
    ("unit", r"รับผิดชอบ|หน่วยงาน|ผู้ดำเนินการ|ส่วนราชการ|ผู้ปฏิบัติ"),
    ("timeline", r"ระยะเวลา|ห้วงเวลา|ช่วงเวลา|ปีที่ดำเนิน|ปีดำเนิน|^ปีงบประมาณ$|ปีงบประมาณที่|กำหนดเวลา"),
    ("target", r"ค่าเป้าหมาย|^เป้าหมาย\s*(?:ปี|รายปี)"),
    ("details", r"รายละเอียด|วัตถุประสงค์|วิธี\S*ดำเนิน|ขั้นตอน|เป้าหมาย|กลุ่มเป้า|สาระสำคัญ"),
    ("budget", r"งบประมาณ|จำนวนเงิน|^งบ|\(บาท\)|^บาท"),
    ("total", r"^รวม"),
    ("title", r"โครงการ|กิจกรรม|มาตรการ|แผนงาน|นวัตกรรม|^ชื่อ"),
    ("number", r"^(?:ลำดับ(?:ที่)?|ที่|ข้อ|no\.?|#)$"),
    ("component", r"องค์ประกอบ|ยุทธศาสตร์|^ด้าน"),
    ("remarks", r"หมายเหตุ"),
]
_ROLE_RES = [(role, re.compile(pattern, re.IGNORECASE)) for role, pattern in _ROLES]
_PLAN_ROLES = {"number", "title", "details", "benefits", "unit", "budget", "total", "component"}
_TEXT_ROLES = {"title", "details", "benefits", "unit"}
_GROUP_ROLES = {"budget", "timeline", "target", "kpi"}
_DATA_CELL = re.compile(r"^[-–—]$|\d,\d{3}|ไม่(?:ได้)?ใช้งบ|[\u2190-\u21ff\u25b2-\u25c5\u27f0-\u27ff\ue000-\uf8ff]")
_NUMBERED = re.compile(r"^[0-9๐-๙]+(?:\s*[.)]|\s|$)")


def role_of(label):
    label = clean_cell(label)
    if not label or len(label) > 60:
        return None
    # Text taken from PDF breaks words where the cell wrapped ("ผู้รับ ผิดชอบ", "งบ ประมาณ"): Thai is written
    # without spaces between words, so the label is also tried with its spaces taken out.
    squeezed = label.replace(" ", "")
    for candidate in (label, squeezed) if squeezed != label else (label,):
        for role, pattern in _ROLE_RES:
            if pattern.search(candidate):
                return role
    return None


def distinct_cells(row):
    """The row's non-empty cells, ignoring those that only repeat a merged neighbour."""
    return [(i, clean_cell(c)) for i, c in enumerate(row.cells) if i not in row.hcont and clean_cell(c)]


def is_header_row(row):
    """A table header row: mostly short labels we know (โครงการ, งบประมาณ, ผู้รับผิดชอบ …) or year numbers."""
    cells = distinct_cells(row)
    if len(cells) < 2:
        return False
    if _NUMBERED.match(cells[0][1]) and not header_year(cells[0][1]):
        return False  # a numbered data row ("1", "๑.๑ …"), however short its cells
    if any(_DATA_CELL.search(to_arabic(text)) for _, text in cells):
        return False  # arrows, amounts, dashes and "ไม่ใช้งบประมาณ" only appear in data rows
    known = sum(1 for _, text in cells if header_year(text) or role_of(text) not in (None, "total"))
    years = sum(1 for _, text in cells if header_year(text))
    return known >= 2 and known >= 0.6 * len(cells) and (years >= 2 or _has_label(cells))


_HEADER_FRAGMENT = re.compile(
    r"^\(?\s*(?:หน่วย\s*:?\s*)?(?:บาท|พ\s*\.\s*ศ\s*\.?|ปี\s*(?:พ\s*\.\s*ศ\s*\.?)?|ปีงบประมาณ)\s*\)?$"
)


def is_header_fragment(row):
    """A header row holding a single unit or group word ("(บาท)", "พ.ศ.", "ระยะเวลา"): the rest of a header cell
    that wrapped onto its own line. Only meaningful right under a header row."""
    cells = distinct_cells(row)
    if len(cells) != 1 or cells[0][0] == 0:
        return False
    text = cells[0][1]
    return bool(_HEADER_FRAGMENT.match(text)) or role_of(text) in _GROUP_ROLES


def _has_label(cells):
    return any(role_of(text) in ("title", "number", "kpi", "unit", "budget", "details") for _, text in cells)


@dataclass
class Layout:
    """What a table's columns mean, read from its header rows."""

    kind: str  # "plan" or "indicator" (other tables are not kept)
    width: int
    line: int
    cols: dict = field(default_factory=dict)  # role -> column index
    budget_years: dict = field(default_factory=dict)  # BE year -> column index
    timeline_years: dict = field(default_factory=dict)
    target_years: dict = field(default_factory=dict)
    extras: list = field(default_factory=list)  # (label, column index) of columns kept inside details
    spans: dict = field(default_factory=dict)  # unlabeled column -> role of the merged header cell to its left

    @property
    def years(self):
        return sorted(set(self.budget_years) | set(self.timeline_years) | set(self.target_years))

    @property
    def last_timeline_col(self):
        return max(self.timeline_years.values()) if self.timeline_years else None


def build_layout(header_rows):
    """A Layout from a table's header rows, or None when the table is neither a plan nor an indicator table."""
    width = max(len(r.cells) for r in header_rows)
    grid = [[clean_cell(c) for c in r.cells] + [""] * (width - len(r.cells)) for r in header_rows]
    layout = Layout(kind="", width=width, line=header_rows[0].line)
    unlabeled_years = {}
    labels = {}
    previous_role = None
    for col in range(width):
        texts = []
        for row in grid:
            if row[col] and row[col] not in texts:
                texts.append(row[col])
        year = next((header_year(t) for t in texts if header_year(t)), None)
        if year:
            group = _year_group(grid, col, year[1])
            target = {
                "budget": layout.budget_years,
                "timeline": layout.timeline_years,
                "target": layout.target_years,
                "kpi": layout.target_years,
            }.get(group, unlabeled_years)
            target.setdefault(year[0], col)
            previous_role = None
            continue
        label = " ".join(texts)
        labels[col] = label
        if not label:
            if previous_role in _TEXT_ROLES:
                layout.spans[col] = previous_role  # text split over a merged header's columns
            continue
        # The lowest label is the most specific one ("รวม" under a merged "งบประมาณ").
        role = next((role_of(t) for t in reversed(texts) if role_of(t)), None) or role_of(label)
        previous_role = role
        if role in layout.cols or role not in _PLAN_ROLES | {"kpi", "indicator_kind"}:
            if role != "budget":
                layout.extras.append((label, col))  # kept as "label: text" in the activity's details
            continue
        layout.cols[role] = col
    if unlabeled_years:
        # Years under no group label: a separate budget column means they draw the timeline; indicator
        # tables put targets under them; otherwise they are the yearly budget.
        if "budget" in layout.cols:
            layout.timeline_years.update(unlabeled_years)
        elif "kpi" in layout.cols:
            layout.target_years.update(unlabeled_years)
        else:
            layout.budget_years.update(unlabeled_years)
    has_money_or_time = "budget" in layout.cols or layout.budget_years or layout.timeline_years
    if "title" in layout.cols and has_money_or_time:
        layout.kind = "plan"
        if "kpi" in layout.cols:  # a plan table with a KPI column: the KPI text is kept inside details
            kpi_col = layout.cols.pop("kpi")
            layout.extras.append((labels.get(kpi_col) or "ตัวชี้วัด", kpi_col))
    elif ("kpi" in layout.cols or layout.target_years) and not has_money_or_time:
        layout.kind = "indicator"
        if "kpi" not in layout.cols:
            name_col = layout.cols.get("title", next((c for c in sorted(labels) if labels[c]), None))
            if name_col is None:
                return None
            layout.cols["kpi"] = name_col
    else:
        return None
    return layout


def _year_group(grid, col, own_label):
    """The group a year column belongs to: its own label ("งบประมาณ ปี 2566") or the merged label above it."""
    if own_label:
        return None if _AMBIGUOUS_YEARS.match(own_label) else role_of(own_label)
    for row in grid:
        if header_year(row[col]):
            break
        # Merged header cells keep their text in the leftmost column: look left along the row above.
        for left in range(col, -1, -1):
            if row[left]:
                if _AMBIGUOUS_YEARS.match(row[left]):
                    return None
                role = role_of(row[left])
                if role in _GROUP_ROLES:
                    return role
                break
    return None


# "ปีงบประมาณ" over year columns says only that they are fiscal years: they hold money when the table has no
# separate budget column, a timeline when it has (decided in build_layout like years without any label).
_AMBIGUOUS_YEARS = re.compile(r"^(?:ปี\s*งบประมาณ|ปี)\s*(?:พ\s*\.\s*ศ\s*\.?)?$")


# --- data rows -----------------------------------------------------------------------------------------

_TOTAL = re.compile(
    r"^(?:รวม(?=$|\s|\(|:|ทั้ง|ทุก|งบ|เงิน|เป็น|จำนวน|ยอด|[0-9๐-๙]|องค์ประกอบ|ยุทธศาสตร์|ประการ|ด้าน|แผนงาน|หมวด|กลยุทธ์)"
    r"|ยอดรวม|total\b)",
    re.IGNORECASE,
)
_GRAND_TOTAL = re.compile(r"ทั้งสิ้น|ทั้งหมด|ทั้งแผน|ทุกองค์ประกอบ|ทุกยุทธศาสตร์|grand", re.IGNORECASE)
_CARRIED = re.compile(r"ยกมา|ยกไป")
_STATED_COUNT = re.compile(r"([0-9๐-๙]+)\s*(?:กิจกรรม|โครงการ|มาตรการ|รายการ)")


def total_label(row):
    """The label of a total row ("รวม", "รวม ๔ กิจกรรม", "รวมทั้งสิ้น"), or None for other rows."""
    for index, (_, text) in enumerate(distinct_cells(row)[:2]):
        if _TOTAL.match(text):
            return text
        if index == 0 and _NUMBERED.match(text):
            return None  # "1 | รวมใจ …": an activity whose title starts with รวม
    return None


def is_grand_total(label):
    return bool(_GRAND_TOTAL.search(label))


def is_carried(label):
    return bool(_CARRIED.search(label))


def stated_count(label):
    match = _STATED_COUNT.search(label)
    return int(to_arabic(match.group(1))) if match else None


def row_stated_count(row):
    """The count a total row states, in its label ("รวม ๔ กิจกรรม") or in a cell of its own ("รวมจำนวน | ๔ กิจกรรม")."""
    for _, text in distinct_cells(row):
        count = stated_count(text)
        if count is not None:
            return count
    return None


def is_count_cell(text):
    """'๔ กิจกรรม', '4 โครงการ': a count of activities, not an amount."""
    return bool(_STATED_COUNT.fullmatch(clean_cell(text)))
