"""Background jobs of the plans app (portal.machinery.jobs runs them, retries them and re-sends the ones left queued)."""

from django.utils.translation import gettext as _

from portal.machinery import jobs

from . import reports, selectors
from .models import Plan

REPORT = "innovation_plans.report"


@jobs.register(REPORT)
def build_report(job, progress):
    """One plan's report, or the auditor's summary across organizations, as PDF, XLSX or CSV.

    What the requester may see is checked again here: a role lost since the request means no report."""
    params, user = job.params, job.created_by
    year, fmt = params.get("year"), params["fmt"]
    if user is None or not user.is_active:
        raise jobs.JobFailed(_("ผู้ขอรายงานไม่มีบัญชีที่ใช้งานได้แล้ว"))

    def step(percent, message=""):
        progress(percent, 100, message)

    if params["report"] == "plan":
        try:
            plan = selectors.plan_with_everything(selectors.plans_for_user(user)).get(pk=params["plan"])
        except Plan.DoesNotExist:
            raise jobs.JobFailed(_("ไม่พบแผน หรือท่านไม่มีสิทธิ์ในแผนนี้แล้ว")) from None
        step(20, _("อ่านข้อมูลแผน"))
        content = reports.build_plan_report(plan, year, fmt, progress=step)
        filename = reports.plan_filename(plan, year, fmt)
    else:
        step(20, _("รวบรวมข้อมูลทุกองค์กร"))
        lines = selectors.plans_summary_for_auditor(user, year, selectors.REPORT_ROLES)
        step(60, _("สร้างไฟล์"))
        content = reports.build_summary(lines, year, fmt)
        filename = reports.summary_filename(year, fmt)
    return filename, content
