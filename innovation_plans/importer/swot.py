"""SWOT lists (S1…, W1…, O1…, T1…) and TOWS strategies (SO1…, ST1…, WO1…, WT1…).

Items are found wherever they are written: coded lines ("S1 มีบุคลากร…"), coded paragraphs inside table cells,
and uncoded list items under a heading ("จุดแข็ง (Strengths)" then "1. …"), which get codes in order.
"""

import re

from .cover import plain
from .tables import Line, distinct_cells
from .text import clean_cell, to_arabic

KINDS = ("S", "W", "O", "T", "SO", "ST", "WO", "WT")

_CODED = re.compile(
    r"^(?:[-*•▪►▶]\s*)?(?P<kind>SO|ST|WO|WT|S|W|O|T)\s?(?P<num>[0-9๐-๙]{1,2})(?!\.?[0-9๐-๙])(?![A-Za-z])"
    r"\s*[.:)\-–]?\s*(?P<text>[^\s0-9๐-๙.].*)$"
)
_HEADINGS = [
    ("SO", r"(?:กลยุทธ์\S*\s*)?(?:เชิงรุก\s*)?\(?\s*SO\s*\)?(?:\s*(?:strateg\w*|กลยุทธ์\S*))?"),
    ("ST", r"(?:กลยุทธ์\S*\s*)?(?:เชิงป้องกัน\s*)?\(?\s*ST\s*\)?(?:\s*(?:strateg\w*|กลยุทธ์\S*))?"),
    ("WO", r"(?:กลยุทธ์\S*\s*)?(?:เชิงแก้ไข\s*)?\(?\s*WO\s*\)?(?:\s*(?:strateg\w*|กลยุทธ์\S*))?"),
    ("WT", r"(?:กลยุทธ์\S*\s*)?(?:เชิงรับ\s*)?\(?\s*WT\s*\)?(?:\s*(?:strateg\w*|กลยุทธ์\S*))?"),
    ("S", r"(?:จุดแข็ง|strengths?)(?:\s*\(\s*(?:S|strengths?)\s*\))?"),
    ("W", r"(?:จุดอ่อน|weakness(?:es)?)(?:\s*\(\s*(?:W|weakness(?:es)?)\s*\))?"),
    ("O", r"(?:โอกาส|opportunit(?:y|ies))(?:\s*\(\s*(?:O|opportunit(?:y|ies))\s*\))?"),
    ("T", r"(?:อุปสรรค|ภัยคุกคาม|threats?)(?:\s*\(\s*(?:T|threats?)\s*\))?"),
]
_HEADING_RES = [
    (kind, re.compile(r"^(?:[0-9๐-๙]+[.)]\s*)?" + pattern + r"\s*[:：]?$", re.IGNORECASE))
    for kind, pattern in _HEADINGS
]
_LIST_ITEM = re.compile(r"^(?:[-*•▪►▶]|[0-9๐-๙]{1,2}\s*[.)])\s*(?P<text>\S.*)$")


def swot_heading(text):
    text = plain(text)
    if len(text) > 60:
        return None
    return next((kind for kind, pattern in _HEADING_RES if pattern.match(text)), None)


def read_swot(items):
    found = {}
    section = None  # kind of an uncoded list being read under a heading
    column_kinds = {}  # column index -> kind, for SWOT tables with a heading row
    for item in items:
        if isinstance(item, Line):
            column_kinds = {}
            text = plain(item.text)
            if not text:
                continue
            heading = swot_heading(text)
            if heading:
                section = heading
                continue
            if _add_coded(found, text):
                continue
            listed = _LIST_ITEM.match(text)
            if section and listed:
                _add_uncoded(found, section, listed["text"])
            else:
                section = None
            continue
        section = None
        cells = distinct_cells(item)
        headings = {i: swot_heading(text) for i, text in cells}
        if cells and all(headings.values()):
            column_kinds = headings
            continue
        for i, _ in cells:
            for part in clean_cell(item.cells[i], keep_lines=True).split("\n"):
                if _add_coded(found, part):
                    continue
                kind = column_kinds.get(i)
                listed = _LIST_ITEM.match(part)
                if kind and (listed or part):
                    _add_uncoded(found, kind, listed["text"] if listed else part)
    return list(found.values())


def _add_coded(found, text):
    match = _CODED.match(text.strip())
    if not match:
        return False
    code = f"{match['kind']}{int(to_arabic(match['num']))}"
    found.setdefault(code, {"kind": match["kind"], "code": code, "text": match["text"].strip()})
    return True


def _add_uncoded(found, kind, text):
    number = sum(1 for item in found.values() if item["kind"] == kind) + 1
    code = f"{kind}{number}"
    while code in found:
        number += 1
        code = f"{kind}{number}"
    found[code] = {"kind": kind, "code": code, "text": text.strip()}
