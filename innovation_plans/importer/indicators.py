"""Indicator rows of a plan table: the indicator, its kind (output, outcome, impact) and its yearly targets."""

from .tables import distinct_cells
from .text import clean_cell

_KIND_WORDS = (("ผลผลิต", "output"), ("ผลลัพธ์", "outcome"), ("ผลกระทบ", "impact"),
               ("output", "output"), ("outcome", "outcome"), ("impact", "impact"))  # fmt: skip


def indicator_kind(text):
    low = (text or "").lower()
    return next((kind for word, kind in _KIND_WORDS if word in low), None)


class IndicatorRows:
    """Part of the plan reader (plan._Builder): rows of an indicator table."""

    def _indicator_row(self, row):
        layout = self.layout
        cells = [str(c) for c in row.cells] + [""] * layout.width
        name = clean_cell(cells[layout.cols["kpi"]])
        targets = {
            str(y): clean_cell(cells[col]) for y, col in sorted(layout.target_years.items()) if clean_cell(cells[col])
        }
        texts = [text for _, text in distinct_cells(row)]
        if not targets and len(set(texts)) == 1:
            # A section row ("ตัวชี้วัดผลผลิต", "ผลลัพธ์ (Outcome)") types the indicators below it.
            self.indicator_section_kind = indicator_kind(texts[0])
            return
        if not name:
            if self.indicators and targets:
                for year, target in targets.items():
                    self.indicators[-1]["targets"].setdefault(year, target)
            return
        kind_col = layout.cols.get("indicator_kind")
        kind = indicator_kind(clean_cell(cells[kind_col])) if kind_col is not None else None
        kind = kind or indicator_kind(name) or self.indicator_section_kind
        self.indicators.append({"name": name, "kind": kind, "targets": targets})
