"""The rows every report format is built from (budget matrix, activities, indicators), from one set of figures
(selectors.plan_figures). The format modules import these; the package imports the format modules, never the
other way round."""

from django.utils.translation import gettext as _

from ..models import MonitoringRecord


def _year_cells(years, stated_by_year, computed_by_year) -> list[dict]:
    """One cell per fiscal year: what the rows add up to beside what the document states."""
    cells = []
    for year in years:
        stated = stated_by_year.get(year)
        computed = computed_by_year.get(year, 0)
        cells.append({"year": year, "computed": computed, "stated": stated,
                      "mismatch": stated is not None and stated != computed})
    return cells


def matrix(fig) -> dict:
    """Budget matrix component × year: computed from the rows, stated by the document, disagreements flagged."""
    rows = []
    for c in fig.components:
        cells = _year_cells(fig.years, c.stated, c.computed)
        rows.append({
            "label": str(c.component), "number": c.component.number, "cells": cells, "undivided": c.undivided,
            "computed_total": c.computed_total, "stated_total": c.stated_total, "total_mismatch": c.total_mismatch,
            "activity_count": len(c.activities), "stated_activity_count": c.component.stated_activity_count,
            "count_mismatch": c.component.stated_activity_count not in (None, len(c.activities)),
        })
    totals = _year_cells(fig.years, fig.stated, fig.computed)
    return {"years": fig.years, "rows": rows, "totals": totals, "undivided": fig.undivided,
            "has_undivided": fig.has_undivided, "computed_total": fig.computed_total,
            "stated_total": fig.stated_total, "total_mismatch": fig.stated_total_mismatch}


def activity_rows(fig, year=None) -> list[dict]:
    status_labels = dict(MonitoringRecord.Status.choices)
    out = []
    for row in fig.activities:
        record = row.record(year) if year else row.latest_record
        out.append({
            "component": row.component.number, "component_label": str(row.component),
            "number": row.activity.number, "title": row.activity.title,
            "unit": row.activity.responsible_unit or (row.activity.department.name_th if row.activity.department else ""),
            "years": f"{row.years_active[0]}–{row.years_active[-1]}" if row.years_active else "",
            "budget": (row.by_year.get(year) if year else row.total) if not row.activity.no_budget else None,
            "no_budget": row.activity.no_budget or (not row.total),
            "planned": year is None or year in row.years_active,
            "status": str(status_labels.get(record.status, "")) if record else _("ยังไม่มีการติดตาม"),
            "status_code": record.status if record else "",
            "progress": record.progress_percent if record else None,
            "spend": record.actual_spend if record else None,
            "methods": ", ".join(str(m) for m in record.method_labels()) if record else "",
            "record_year": record.fiscal_year if record else None,
            "evidence": len(record.evidence.all()) if record else 0,
        })
    return out


def indicator_rows(fig, year=None) -> list[dict]:
    years = [year] if year else fig.years
    out = []
    for item in fig.indicators:
        indicator = item["indicator"]
        cells = []
        for y in years:
            target = item["targets"].get(y)
            cells.append({"year": y, "target": target.target_text if target else "",
                          "actual": item["actuals"].get(y, "")})
        out.append({"name": indicator.name, "kind": str(indicator.get_kind_display()) if indicator.kind else "",
                    "unit": indicator.unit, "component": indicator.component.number if indicator.component else None,
                    "cells": cells})
    return out


def report_context(fig, year=None) -> dict:
    years = [year] if year else fig.years
    return {"matrix": matrix(fig), "activity_rows": activity_rows(fig, year), "indicator_rows": indicator_rows(fig, year),
            "indicator_years": years, "monitoring_rows": [(y, fig.monitoring[y]) for y in years]}


def summary_totals(lines) -> dict:
    keys = ("budget", "planned", "monitored", "completed", "spend", "warnings")
    return {k: sum(line[k] or 0 for line in lines) for k in keys}
