"""PDF through WeasyPrint (Pango shapes Thai: vowels and tone marks stacked correctly) with the local Sarabun font."""


from django.utils import timezone
from django.utils.translation import gettext as _

from portal import thai
from portal.outputs import pdf


def render_pdf(template: str, context: dict) -> bytes:
    return pdf.render_pdf(template, {**context, "generated": thai.format_be_date(timezone.now())})


def plan_pdf(fig, year, progress=None) -> bytes:
    from .rows import report_context

    if progress:
        progress(30, _("จัดเตรียมข้อมูล"))
    context = {"plan": fig.plan, "organization": fig.plan.organization, "fig": fig, "year": year,
               **report_context(fig, year)}
    if progress:
        progress(50, _("สร้าง PDF"))
    # The printed plan uses the organization's one digit style, as its public pages do.
    token = thai.page_digits.set(fig.plan.organization.public_digits)
    try:
        return render_pdf("innovation_plans/report_pdf.html", context)
    finally:
        thai.page_digits.reset(token)


def summary_pdf(lines, year, totals) -> bytes:
    return render_pdf("innovation_plans/audit_summary_pdf.html", {"lines": lines, "year": year, "totals": totals})
