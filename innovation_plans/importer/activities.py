"""Finishing an activity the plan reader has collected: its number, title, details, responsible unit, years (from
the timeline, marks drawn in the budget columns or the funded years) and budgets, as written."""

import re

from .text import clean_cell, is_arrow_only, strip_arrows, timeline_active, to_arabic

# "1.", "2.3)" or "๑" before an activity's title (its number, in a column of its own or in the title cell)
ITEM_NUMBER = re.compile(r"^(?P<num>[0-9๐-๙]+(?:\s*\.\s*[0-9๐-๙]+)*)\s*[.)]?(?:\s+|(?=\D)|$)")


def _is_mark(text):
    text = clean_cell(text)
    return (
        bool(text)
        and timeline_active(text)
        and not any(c.isdigit() for c in to_arabic(text))
        and (is_arrow_only(text) or len(text) <= 2)
    )


class ActivityRows:
    """Part of the plan reader (plan._Builder): the activity being read is finished into its dict."""

    def _flush(self):
        draft, self.draft = self.draft, None
        if draft is None:
            return
        self.current["activities"].append(self._activity(draft))

    def _activity(self, draft):
        layout, values, lines = draft.layout, draft.values, draft.lines
        title = clean_cell(values.get("title", ""))
        number = draft.number
        if draft.number_in_title:
            title = title[ITEM_NUMBER.match(title).end() :].strip()
        details = clean_cell(values.get("details", ""), keep_lines=True)
        for key, text in values.items():
            if isinstance(key, tuple) and key[0] == "extra":
                details = "\n".join(p for p in (details, f"{key[1]}: {clean_cell(text, keep_lines=True)}") if p)
        unit, arrow = strip_arrows(values.get("unit", ""))

        active = {y for y in layout.timeline_years if timeline_active(values.get(("timeline", y), ""))}
        if draft.overflow_end or arrow:
            active.add(max(layout.timeline_years, default=None) or max(layout.years, default=0))
        by_year = {}
        for y in sorted(layout.budget_years):
            text = values.get(("budget", y), "")
            if _is_mark(text):
                active.add(y)  # a timeline drawn in the budget columns: a mark, not money
                text = ""
            by_year[str(y)] = self._amount(text, lines.get(("budget", y), draft.line)) or 0
        if layout.budget_years:
            budget_total = sum(by_year.values())
        else:
            budget_total = self._amount(values.get("budget", ""), lines.get("budget", draft.line)) or 0
        active.discard(0)
        if active:
            start, end = min(active), max(active)
        elif layout.budget_years:
            funded = [int(y) for y, v in by_year.items() if v] or sorted(layout.budget_years)
            start, end = min(funded), max(funded)
        else:
            start = end = None
        stated_total = None
        if "total" in values:
            stated_total = self._amount(values["total"], lines.get("total", draft.line))
        activity = {
            "number": number,
            "title": title,
            "details": details,
            "benefits": clean_cell(values.get("benefits", ""), keep_lines=True),
            "responsible_unit": unit,
            "start_year": start,
            "end_year": end,
            "budget_total": budget_total,
            "budget_by_year": by_year,
            "no_budget": budget_total == 0,
            "stated_total": stated_total,
        }
        self.activity_lines[id(activity)] = draft.line
        return activity
