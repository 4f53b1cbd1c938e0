"""Free-text parts of a plan worth keeping: objectives (วัตถุประสงค์), goal (เป้าหมาย), vision, mission."""

import re

from .cover import plain
from .tables import Line

SECTIONS = {"objectives": "วัตถุประสงค์", "goal": "เป้าหมาย", "vision": "วิสัยทัศน์", "mission": "พันธกิจ"}
_HEADING = re.compile(
    r"^(?:[0-9๐-๙]+(?:\.[0-9๐-๙]+)*[.)]?\s*)?(?P<word>วัตถุประสงค์|เป้าหมาย|วิสัยทัศน์|พันธกิจ)"
    r"(?P<rest>[^:：]{0,25}?)\s*(?:[:：]\s*(?P<inline>.*))?$"
)
_LIST_ITEM = re.compile(r"^(?:[-*•▪►▶]|[0-9๐-๙]{1,2}\s*[.)]|[0-9๐-๙]{1,2}\s)")
_STOP = re.compile(r"^(?:บทที่|ส่วนที่|ภาคผนวก)")


def _heading(text):
    match = _HEADING.match(text)
    if not match:
        return None, None
    key = next(k for k, word in SECTIONS.items() if word == match["word"])
    return key, (match["inline"] or "").strip()


def read_sections(items):
    """Each section's text as written (lines joined by newlines), or None when the document has none."""
    found = {key: None for key in SECTIONS}
    current, lines, blank_seen = None, [], False

    def close():
        if current and found[current] is None and lines:
            found[current] = "\n".join(lines)

    for item in items:
        if not isinstance(item, Line):
            close()
            current = None
            continue
        text = plain(item.text)
        if not text:
            blank_seen = bool(lines)
            continue
        key, inline = _heading(text) if len(text) <= 60 or ":" in text[:40] else (None, None)
        if key or _STOP.match(text):
            close()
            current, lines, blank_seen = (key if key and found[key] is None else None), [], False
            if inline:
                lines.append(inline)
            continue
        if current is None:
            continue
        # Objectives run as a list; the others are one paragraph. A blank line then other text ends them.
        listed = _LIST_ITEM.match(text)
        if blank_seen and (current != "objectives" or not listed) or len(lines) >= 30:
            close()
            current = None
            continue
        lines.append(text)
        blank_seen = False
    close()
    return found
