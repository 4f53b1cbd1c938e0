"""SWOT lists (S1…, W1…, O1…, T1…) and TOWS strategies (SO1…, ST1…, WO1…, WT1…).

Items are found wherever they are written: coded lines ("S1 มีบุคลากร…"), coded paragraphs inside table cells,
and uncoded list items under a heading ("จุดแข็ง (Strengths)" then "1. …"), which get codes in order.
"""

import re

from .cover import plain
from .tables import Line, distinct_cells
from .text import clean_cell, to_arabic

KINDS = ("S", "W", "O", "T", "SO", "ST", "WO", "WT")

_CODE = r"(?P<kind>SO|ST|WO|WT|S|W|O|T)\s?(?P<num>[0-9๐-๙]{1,2})"
_CODED = re.compile(
    r"^(?:[-*•▪►▶]\s*)?(?:"
    + _CODE
    + r"|\(\s*"
    + _CODE.replace("?P<kind>", "?P<kind2>").replace("?P<num>", "?P<num2>")
    + r"\s*\))(?!\.?[0-9๐-๙])(?![A-Za-z])\s*[.:)\-–]?\s*(?P<text>[^\s0-9๐-๙.].*)$"
)
# A word of explanation after the heading: "จุดแข็ง (Strength : S)", "จุดแข็ง (S) มีดังนี้", "โอกาส ได้แก่".
_TAIL = r"(?:\s*\([^()]{0,40}\))?(?:\s*(?:มี\s*)?(?:ดังนี้|ดังต่อไปนี้|ได้แก่|คือ))?"
_STRATEGY = r"(?:\s*(?:strateg\w*|กลยุทธ์\S*))?"


def _tows(code, word):
    # "กลยุทธ์เชิงรุก (SO)", "SO Strategy", "กลยุทธ์ (SO Strategy)"
    return rf"(?:กลยุทธ์\S*\s*)?(?:{word}\s*)?\(?\s*{code}{_STRATEGY}\s*\)?{_STRATEGY}"


_HEADINGS = [
    ("SO", _tows("SO", "เชิงรุก")),
    ("ST", _tows("ST", "เชิงป้องกัน")),
    ("WO", _tows("WO", "เชิงแก้ไข")),
    ("WT", _tows("WT", "เชิงรับ")),
    ("S", r"(?:จุดแข็ง|strengths?)" + _TAIL),
    ("W", r"(?:จุดอ่อน|weakness(?:es)?)" + _TAIL),
    ("O", r"(?:โอกาส|opportunit(?:y|ies))" + _TAIL),
    ("T", r"(?:อุปสรรค|ภัยคุกคาม|threats?)" + _TAIL),
]
_HEADING_RES = [
    (kind, re.compile(r"^(?:[0-9๐-๙]+(?:\.[0-9๐-๙]+)*[.)]?\s*)?" + pattern + r"\s*[:：]?$", re.IGNORECASE))
    for kind, pattern in _HEADINGS
]
# Bullets as Word and PDF extraction leave them, private-use Wingdings glyphs included.
_BULLETS = "-*•▪►▶○◦●■□◆◇❖➢➤✓✔·\ue000-\uf8ff"
_LIST_ITEM = re.compile(r"^(?:[" + _BULLETS + r"]|[0-9๐-๙]{1,2}\s*[.)])\s*(?P<text>\S.*)$")
_INLINE_ITEM = re.compile(r"\s+(?=(?:[0-9๐-๙]{1,2}\s*[.)]|(?:SO|ST|WO|WT|S|W|O|T)\s?[0-9๐-๙]{1,2}[\s.:)])\s*[^\d\s.])")
# Row or corner labels of a SWOT matrix that are not SWOT headings themselves.
_MATRIX_LABEL = re.compile(r"ปัจจัย|สภาพแวดล้อม|ภายใน|ภายนอก|tows|swot|matrix|ประเด็น|การวิเคราะห์", re.IGNORECASE)
# Where an unbulleted list under a heading stops: the next part of the document.
_LIST_END = re.compile(
    r"^(?:บทที่|ส่วนที่|ภาคผนวก)|กลยุทธ์|tows|swot|วิเคราะห์|ยุทธศาสตร์|วิสัยทัศน์|พันธกิจ|เป้าประสงค์|ตัวชี้วัด"
    r"|(?:ดังนี้|ได้แก่|[:：])$",
    re.IGNORECASE,
)
_UNBULLETED_MAX = 200


def swot_heading(text):
    text = plain(text)
    if len(text) > 60:
        return None
    return next((kind for kind, pattern in _HEADING_RES if pattern.match(text)), None)


def read_swot(items):
    found = {}
    section = None  # kind of an uncoded list being read under a heading
    bulleted = False  # whether that list has bullets (then an unbulleted line ends it)
    column_kinds = {}  # column index -> kind, for SWOT tables with a heading row
    for item in items:
        if isinstance(item, Line):
            column_kinds = {}
            text = plain(item.text)
            if not text:
                continue
            heading = swot_heading(text)
            if heading:
                section, bulleted = heading, False
                continue
            if _add_coded(found, text):
                continue
            listed = _LIST_ITEM.match(text)
            if section and listed:
                bulleted = True
                _add_uncoded(found, section, listed["text"])
            elif section and not bulleted and len(text) <= _UNBULLETED_MAX and not _LIST_END.search(text):
                _add_uncoded(found, section, text)  # bullets lost in extraction: one item per line
            else:
                section = None
            continue
        section = None
        cells = distinct_cells(item)
        headings = {i: swot_heading(text) for i, text in cells}
        if any(headings.values()) and all(kind or _MATRIX_LABEL.search(text) for (_, text), kind in
                                          zip(cells, headings.values(), strict=True)):  # fmt: skip
            if column_kinds and len([k for k in headings.values() if k]) == 1 and cells[0][0] == min(headings):
                pass  # a row label ("โอกาส (O)") in a TOWS matrix whose cells follow on this row: read below
            else:
                column_kinds = {i: kind for i, kind in headings.items() if kind}
                continue
        row_kind = headings.get(cells[0][0]) if cells and column_kinds else None
        for i, _ in cells:
            if row_kind and i == cells[0][0]:
                continue
            for part in _parts(item.cells[i]):
                if _add_coded(found, part):
                    continue
                kind = _combine(column_kinds.get(i), row_kind)
                listed = _LIST_ITEM.match(part)
                if kind and (listed or part):
                    _add_uncoded(found, kind, listed["text"] if listed else part)
    # Kind by kind (S, W, O, T, then TOWS), each in its own order, however the document interleaved them
    # (a two-column โอกาส | อุปสรรค table reads O1, T1, O2, T2).
    return sorted(found.values(), key=lambda item: KINDS.index(item["kind"]))


def _parts(cell):
    """A table cell's items: one per paragraph, and items run together on one line ("๑. … ๒. …") split apart."""
    for line in clean_cell(cell, keep_lines=True).split("\n"):
        if _LIST_ITEM.match(line) or _CODED.match(line):
            yield from _INLINE_ITEM.split(line)
        else:
            yield line


def _combine(column_kind, row_kind):
    """A TOWS matrix cell: strengths/weaknesses across, opportunities/threats down (or the other way) → SO … WT."""
    if not row_kind or not column_kind:
        return column_kind
    kinds = {column_kind, row_kind}
    internal, external = kinds & {"S", "W"}, kinds & {"O", "T"}
    if len(internal) == 1 and len(external) == 1:
        return internal.pop() + external.pop()
    return column_kind


def _add_coded(found, text):
    match = _CODED.match(text.strip())
    if not match:
        return False
    kind, num = match["kind"] or match["kind2"], match["num"] or match["num2"]
    code = f"{kind}{int(to_arabic(num))}"
    found.setdefault(code, {"kind": kind, "code": code, "text": match["text"].strip()})
    return True


def _add_uncoded(found, kind, text):
    number = sum(1 for item in found.values() if item["kind"] == kind) + 1
    code = f"{kind}{number}"
    while code in found:
        number += 1
        code = f"{kind}{number}"
    found[code] = {"kind": kind, "code": code, "text": text.strip()}
