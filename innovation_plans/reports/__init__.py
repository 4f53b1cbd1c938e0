"""Auditor reports for a plan and a fiscal year, and the summary across organizations: one set of figures
(selectors.plan_figures) rendered as HTML, PDF (WeasyPrint), XLSX (openpyxl) and CSV (UTF-8 with BOM)."""

from .rows import activity_rows, indicator_rows, matrix, report_context, summary_totals

__all__ = ["FORMATS", "CONTENT_TYPES", "activity_rows", "indicator_rows", "matrix", "report_context",
           "summary_totals", "plan_filename", "summary_filename", "build_plan_report", "build_summary"]

FORMATS = ("pdf", "xlsx", "csv")
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def plan_filename(plan, year, fmt):
    suffix = f"-{year}" if year else ""
    return f"plan-report-{plan.organization.slug}-{plan.pk}{suffix}.{fmt}"


def summary_filename(year, fmt):
    return f"plans-summary{'-' + str(year) if year else ''}.{fmt}"


def build_plan_report(plan, year, fmt, progress=None) -> bytes:
    from .. import selectors

    fig = selectors.plan_figures(plan, year)
    if fmt == "pdf":
        from .pdf import plan_pdf

        return plan_pdf(fig, year, progress=progress)
    if fmt == "xlsx":
        from .xlsx import plan_xlsx

        return plan_xlsx(fig, year)
    if fmt == "csv":
        from .csvfile import plan_csv

        return plan_csv(fig, year)
    raise ValueError(fmt)


def build_summary(lines, year, fmt, progress=None) -> bytes:
    if fmt == "pdf":
        from .pdf import summary_pdf

        return summary_pdf(lines, year, summary_totals(lines))
    if fmt == "xlsx":
        from .xlsx import summary_xlsx

        return summary_xlsx(lines, year)
    from .csvfile import summary_csv

    return summary_csv(lines, year)
