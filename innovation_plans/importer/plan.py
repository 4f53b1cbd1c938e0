"""From document items to the plan dict: components, activities, stated totals, indicators and warnings.

The document is imported as written. Where its own arithmetic or numbering disagrees with its rows, a warning
says so; numbers are never corrected.
"""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext_noop

from .activities import ITEM_NUMBER as _ITEM_NUMBER
from .activities import ActivityRows
from .checks import assemble, warning
from .cover import plain, read_cover
from .errors import NOT_A_BUDGET, PlanImportError
from .indicators import IndicatorRows
from .sections import read_sections
from .swot import read_swot
from .tables import (
    Line,
    build_layout,
    distinct_cells,
    is_carried,
    is_count_cell,
    is_grand_total,
    is_header_fragment,
    is_header_row,
    row_stated_count,
    total_label,
)
from .text import (
    NotANumber,
    clean_cell,
    is_arrow_only,
    parse_amount,
    to_arabic,
)

_HEADING = re.compile(
    r"^(?:องค์ประกอบ\S*(?:\s+\S+){0,3}?\s*(?:ประการที่|โครงการที่|ด้านที่|ข้อที่|ที่)"
    r"|(?:ประเด็น)?ยุทธศาสตร์(?:การพัฒนา)?(?:ด้าน)?ที่|ประการที่|ด้านที่)"
    r"\s*(?P<num>[0-9๐-๙]+)(?![0-9๐-๙]*\.[0-9๐-๙])\s*[.:)\-–]?\s*(?P<title>.*)$"
)
_NUMBERED_LINE = re.compile(r"^(?P<num>[0-9๐-๙]{1,2})\s*[.)]\s*(?P<title>[^\d\s].*)$")
_NOTE = re.compile(r"^(?:หมายเหตุ|ที่มา|แหล่งที่มา|อ้างอิง)")
_CHAPTER = re.compile(r"^(?:บทที่|ส่วนที่|ภาคผนวก)\s*[0-9๐-๙]*")
_HEADING_WINDOW = 12  # non-empty lines between a component heading and its table


def component_heading(text):
    """(number, title) for "องค์ประกอบท้องถิ่น ๔.๐ ประการที่ ๑ ดิจิทัล" or "ยุทธศาสตร์ที่ 2 …", else None."""
    match = _HEADING.match(plain(text))
    if not match:
        return None
    return int(to_arabic(match["num"])), clean_cell(match["title"]) or None


@dataclass
class _Draft:
    """An activity still being read: a page break may continue it on the next row."""

    line: int
    number: str
    layout: object
    values: dict = field(default_factory=dict)  # key -> text; keys: role names, ("budget", y), ("timeline", y)
    lines: dict = field(default_factory=dict)  # key -> line the text came from
    overflow_end: bool = False
    number_in_title: bool = False  # "1. โครงการ …": the number is cut from the title when finished


class _Builder(ActivityRows, IndicatorRows):
    def __init__(self, items):
        self.items = items
        self.components = []
        self.by_number = {}
        self.current = None
        self.draft = None
        self.warnings = []
        self.indicators = []
        self.indicator_section_kind = None
        self.plan_stated = None
        self.layout = None
        self.header_rows = []
        self.interrupted = False
        self.segment_start = False
        self.pending_heading = None
        self.lines_since_heading = 0
        self.table_years = set()
        self.segment_activities = 0  # activities read since the last table header
        self.summary_rows = 0  # component rows with amounts since the last table header (a summary table)
        self.activity_lines = {}
        self.where_of = {}  # line -> how to name it in errors, for readers where "line N" would mislead

    # --- walking the document ------------------------------------------------------------------------

    def build(self):
        for item in self.items:
            if isinstance(item, Line):
                self._line(item)
            else:
                self._row(item)
        self._flush()
        if not self.components:
            raise PlanImportError(gettext_noop("ไม่พบตารางแผนงาน/โครงการในไฟล์ (ต้องมีหัวตาราง เช่น โครงการ/กิจกรรม งบประมาณ ผู้รับผิดชอบ)"))
        return self._result()

    def _line(self, item):
        text = plain(item.text)
        if not text:
            return
        self.interrupted = True
        self.header_rows = []  # a header with no rows under it (an empty table) heads nothing
        if _CHAPTER.match(text):
            self.layout = None
        heading = component_heading(text)
        numbered = _NUMBERED_LINE.match(text) if not heading and len(text) <= 100 else None
        if heading:
            self.pending_heading = (*heading, True)
            self.lines_since_heading = 0
        elif numbered and not (self.pending_heading and self.pending_heading[2]):
            # "๒. องค์กรแห่งความสุข": only a heading if a closed table follows (see _row)
            self.pending_heading = (int(to_arabic(numbered["num"])), clean_cell(numbered["title"]), False)
            self.lines_since_heading = 0
        elif self.pending_heading:
            self.lines_since_heading += 1
            if self.lines_since_heading > _HEADING_WINDOW:
                self.pending_heading = None

    def _row(self, row):
        if not distinct_cells(row):
            return
        if row.where:
            self.where_of[row.line] = row.where
        if is_header_row(row) or self.header_rows and is_header_fragment(row):
            self.header_rows.append(row)
            return
        if self.header_rows:
            self.layout = build_layout(self.header_rows)
            self.header_rows = []
            self.segment_start = True
            self.segment_activities = 0
            self.summary_rows = 0
            if self.layout:
                self.table_years.update(self.layout.budget_years)
                self.table_years.update(self.layout.timeline_years)
        elif self.interrupted and self.layout is not None:
            # A table without its own header right after a plan table: the same table after a page break,
            # when its rows are as wide; otherwise some other table.
            if len(row.cells) >= max(3, self.layout.width - 2) and len(row.cells) <= self.layout.width + 2:
                self.segment_start = True
            else:
                self.layout = None
        self.interrupted = False
        if self.layout is None:
            self.pending_heading = None
            return
        if self.layout.kind == "indicator":
            # A strategy's indicator table often sits between its heading and its project table: an explicit
            # heading ("ยุทธศาสตร์ที่ ๑ …") still names the project table that follows.
            if self.pending_heading and not self.pending_heading[2]:
                self.pending_heading = None
            if not total_label(row):
                self._indicator_row(row)
            return
        if self.segment_start:
            self.segment_start = False
            heading, self.pending_heading = self.pending_heading, None
            closed = self.current is not None and self.current["_stated"] is not None
            if heading and (heading[2] or closed):
                self._switch_component(heading[0], heading[1])
            elif self.current is None or closed:
                # A new table after one that ended with its total row, without a heading we recognise:
                # a new component, numbered later from its activities ("2.1", "2.2" …) if they agree,
                # titled by a numbered line before it ("๑. ดิจิทัล") if that number agrees too.
                self._switch_component(None, None)
                self.current["_inferred"] = heading or True
        self._plan_row(row)

    # --- components ------------------------------------------------------------------------------------

    def _switch_component(self, number, title):
        component = self.by_number.get(number) if number is not None else None
        if component is None:
            component = {"number": number, "title": title, "activities": [], "_stated": None}
            self.components.append(component)
            if number is not None:
                self.by_number[number] = component
        if component is not self.current:
            self._flush()
            self.current = component

    # --- plan rows -------------------------------------------------------------------------------------

    def _aligned(self, row):
        """The row's cells lined up with the header, or an error when they cannot be."""
        layout = self.layout
        timeline_cols = set(layout.timeline_years.values())
        cells = ["" if (i in row.hcont and i not in timeline_cols) else str(c) for i, c in enumerate(row.cells)]
        overflow_end = False
        last = layout.last_timeline_col
        if last is not None and len(cells) > last + 1:
            # An end arrow pushed past the last year column still means the last year; drop it so the
            # responsible unit after it moves back into its own column.
            tail = [c for c in cells[last + 1 :] if not is_arrow_only(c)]
            overflow_end = len(tail) < len(cells) - last - 1
            cells = cells[: last + 1] + tail
        extent = max((i + 1 for i, c in enumerate(cells) if clean_cell(c)), default=0)
        if extent > layout.width:
            raise PlanImportError(
                gettext_noop("แถวนี้มี %(cells)s ช่อง แต่หัวตาราง (บรรทัด %(header)s) มี %(width)s ช่อง"),
                row.line,
                params={"cells": extent, "header": layout.line, "width": layout.width},
                where=row.where,
            )
        cells = (cells + [""] * layout.width)[: layout.width]
        return cells, overflow_end

    def _values(self, cells, row):
        layout = self.layout
        values = {}
        for role, col in layout.cols.items():
            if role in ("number", "component") or col in row.vcont and role in ("title",):
                continue
            values[role] = cells[col]
        for y, col in layout.budget_years.items():
            values[("budget", y)] = cells[col]
        for y, col in layout.timeline_years.items():
            values[("timeline", y)] = cells[col]
        for label, col in layout.extras:
            values[("extra", label)] = cells[col]
        for col, role in layout.spans.items():
            if clean_cell(cells[col]):
                values[role] = f"{values.get(role, '')} {cells[col]}".strip()
        return {k: v for k, v in values.items() if clean_cell(v)}

    def _plan_row(self, row):
        layout = self.layout
        cells, overflow_end = self._aligned(row)
        label = total_label(row)
        if label:
            self._flush()
            if is_carried(label):
                return
            if self.summary_rows and not self.segment_activities:
                # The total of a summary table (one row per component, no activities): the whole plan's.
                label = label if is_grand_total(label) else f"{label} ทั้งสิ้น"
            try:
                self._total_row(row, cells, label)
            except PlanImportError as exc:
                # A row that starts with a total word but whose amounts cannot be read: say so (its stated total
                # is not compared), never stop the import or pass it by in silence.
                self._unreadable_total(row, exc)
            return
        texts = {text for _, text in distinct_cells(row)}
        if len(texts) == 1:
            heading = component_heading(next(iter(texts)))
            if heading:
                self._switch_component(*heading)
                return
        heading = component_heading(distinct_cells(row)[0][1])
        if heading and any(clean_cell(cells[col]) for col in layout.budget_years.values()):
            # "องค์ประกอบที่ ๑ ดิจิทัล | 10,000 | 15,000": a component's heading row carrying its totals (or a row of
            # a summary table), not an activity.
            self._switch_component(*heading)
            self.summary_rows += 1
            if self.current["_stated"] is None:
                self._total_row(row, cells, "")
            return
        if "component" in layout.cols and clean_cell(cells[layout.cols["component"]]):
            self._component_cell(cells[layout.cols["component"]], row)

        number_col, title_col = layout.cols.get("number"), layout.cols["title"]
        title = clean_cell(cells[title_col])
        if title_col in row.vcont:
            title = ""
        number, number_in_title = None, False
        if number_col is not None and number_col not in row.vcont and clean_cell(cells[number_col]):
            match = _ITEM_NUMBER.match(clean_cell(cells[number_col]))
            if not match or clean_cell(cells[number_col])[match.end() :].strip():
                self._unparsed(row, "ช่องลำดับไม่ใช่ตัวเลข", "the number cell is not a number")
                return
            number = _number_text(match["num"])
        elif title:
            match = _ITEM_NUMBER.match(title)
            if match and match.end() < len(title):
                number, number_in_title = _number_text(match["num"]), True

        values = self._values(cells, row)
        if number is None and title and _NOTE.match(title):
            self._unparsed(row, "เป็นหมายเหตุ ไม่ใช่โครงการ", "a note, not an activity")
            return
        if number_col is None and number is None and set(values) == {"title"} and self._numbered_so_far():
            # A lone unnumbered title among numbered rows: a sub-heading or a lost row, we cannot tell which.
            self._unparsed(row, "มีแต่ชื่อ ไม่มีลำดับหรือข้อมูลอื่น", "only a title, no number or other data")
            return
        continuation = number is None and (number_col is not None or not title)
        if continuation and self.draft is not None:
            self._continue(row, values, overflow_end)
            return
        if continuation and not title:
            self._unparsed(row, "แถวนี้ไม่มีลำดับและชื่อโครงการ และไม่มีแถวก่อนหน้าให้ต่อ",
                           "row has no number or title and no row above to continue")  # fmt: skip
            return
        self._flush()
        if self.current is None:
            self._switch_component(None, None)
        self.draft = _Draft(row.line, number, layout, overflow_end=overflow_end, number_in_title=number_in_title)
        self.segment_activities += 1
        for key, text in values.items():
            self.draft.values[key] = text
            self.draft.lines[key] = row.line

    def _numbered_so_far(self):
        if self.draft is not None:
            return self.draft.number is not None
        activities = self.current["activities"] if self.current else []
        return bool(activities) and activities[-1]["number"] is not None

    def _component_cell(self, text, row):
        heading = component_heading(text)
        if heading:
            self._switch_component(*heading)
            return
        match = _ITEM_NUMBER.match(clean_cell(text))
        number = int(to_arabic(match["num"]).split(".")[0]) if match else None
        title = clean_cell(text)[match.end() :].strip() if match else clean_cell(text)
        if number is None:
            existing = next((c for c in self.components if c["title"] == title), None)
            if existing is not None:
                self._switch_component(existing["number"], title)
                return
            number = max((c["number"] or 0 for c in self.components), default=0) + 1
        self._switch_component(number, title or None)

    def _continue(self, row, values, overflow_end):
        draft = self.draft
        draft.overflow_end = draft.overflow_end or overflow_end
        for key, text in values.items():
            old = draft.values.get(key)
            is_text = isinstance(key, str) and key not in ("budget", "total") or key[0] == "extra"
            if not old:
                draft.values[key], draft.lines[key] = text, row.line
            elif is_text:
                draft.values[key] = f"{old} {text}"
            elif clean_cell(old) != clean_cell(text):
                self._unparsed(row, f"ค่า '{clean_cell(text)}' ซ้อนกับค่าในแถวบน '{clean_cell(old)}'",
                               f"value '{clean_cell(text)}' overlaps the row above ('{clean_cell(old)}')")  # fmt: skip

    def _unparsed(self, row, th, en):
        cells = " | ".join(text for _, text in distinct_cells(row))[:120]
        self.warnings.append(
            warning(
                "unparsed_row",
                f"บรรทัด {row.line}: อ่านแถวนี้ไม่ได้ ({th}): {cells}",
                component=self.current["number"] if self.current else None,
                stated=cells,
                line=row.line,
            )
        )

    def _amount(self, text, line, where=None):
        where = where or self.where_of.get(line)
        try:
            return parse_amount(text)
        except NotANumber:
            shown = clean_cell(text)
            raise PlanImportError(NOT_A_BUDGET, line, params={"value": shown}, where=where) from None

    def _stated(self, text, row):
        # In a total row an empty cell states nothing, while "-" states zero; "๔ กิจกรรม" is the count it states.
        if not clean_cell(text) or is_count_cell(text):
            return None
        return self._amount(text, row.line, row.where) or 0

    def _unreadable_total(self, row, exc):
        cells = " | ".join(text for _, text in distinct_cells(row))[:120]
        where = self.current["title"] if self.current and self.current.get("title") else None
        number = self.current["number"] if self.current else None
        name = f"องค์ประกอบที่ {number} {where or ''}".strip() if number else "แผน"
        self.warnings.append(
            warning(
                "unreadable_total_row",
                f"{name} บรรทัด {row.line}: แถวรวมนี้อ่านยอดเงินไม่ได้ ({exc.thai_message}) จึงไม่ได้เทียบกับผลรวมของรายการ: {cells}",
                component=number,
                stated=cells,
                line=row.line,
            )
        )

    def _total_row(self, row, cells, label):
        layout = self.layout
        by_year = {}
        for y, col in sorted(layout.budget_years.items()):
            amount = self._stated(cells[col], row)
            if amount is not None:
                by_year[str(y)] = amount
        total = None
        for role in ("budget", "total"):
            if role in layout.cols:
                amount = self._stated(cells[layout.cols[role]], row)
                total = amount if amount is not None else total
        stated = {"line": row.line, "by_year": by_year, "total": total, "count": row_stated_count(row)}
        if is_grand_total(label):
            self.plan_stated = stated
            return
        if self.current is None:
            self._switch_component(None, None)
        self.current["_stated"] = stated

    # --- result ----------------------------------------------------------------------------------------

    def _result(self):
        # Tables opened before a heading row switched away from them leave empty, unnamed components behind.
        self.components = [c for c in self.components if c["activities"] or c["number"] is not None or c["_stated"]]
        used = {c["number"] for c in self.components}
        for component in self.components:
            if component.get("_inferred") and len(self.components) > 1:
                prefixes = {str(a["number"]).split(".")[0] for a in component["activities"] if a["number"]}
                dotted = all(a["number"] and "." in a["number"] for a in component["activities"])
                if dotted and len(prefixes) == 1 and int(next(iter(prefixes))) not in used:
                    component["number"] = int(prefixes.pop())
                    used.add(component["number"])
                    candidate = component["_inferred"]
                    if candidate is not True and candidate[0] == component["number"]:
                        component["title"] = candidate[1]
        components = [
            {"number": c["number"], "title": c["title"], "activities": c["activities"], "stated": c["_stated"]}
            for c in self.components
        ]
        return assemble(
            cover=read_cover(self.items),
            components=components,
            plan_stated=self.plan_stated,
            indicators=self.indicators,
            swot=read_swot(self.items),
            sections=read_sections(self.items),
            table_years=self.table_years,
            warnings=self.warnings,
            activity_lines=self.activity_lines,
        )


def _number_text(raw):
    return re.sub(r"\s+", "", to_arabic(raw)).strip(".")


def build_plan(items):
    """The plan dict for a document given as items (see tables.py); raises PlanImportError."""
    return _Builder(items).build()
