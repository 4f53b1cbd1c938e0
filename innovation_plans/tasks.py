"""Background reports: the job row carries status and progress; the progress page reads it."""

import logging

from celery import shared_task
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Plan, ReportJob

log = logging.getLogger(__name__)


def enqueue_report(job: ReportJob) -> None:
    """Queue after commit; with a broker down the job stays pending and the page says so (no 500)."""

    def send():
        try:
            build_report.delay(job.pk)
        except Exception:  # broker unreachable: leave the row pending, the user can retry
            log.exception("could not queue report job %s", job.pk)
            ReportJob.objects.filter(pk=job.pk).update(
                message=_("คิวงานไม่พร้อม ลองใหม่ภายหลัง"))

    transaction.on_commit(send)


def _progress(job_id):
    def update(percent, message=""):
        ReportJob.objects.filter(pk=job_id).update(progress=percent, message=message[:300])

    return update


@shared_task(acks_late=True)
def build_report(job_id: int) -> str:
    from . import reports, selectors

    job = ReportJob.objects.select_related("user").get(pk=job_id)
    if job.status == ReportJob.Status.DONE:
        return job.status
    ReportJob.objects.filter(pk=job.pk).update(status=ReportJob.Status.RUNNING, progress=5,
                                               message=_("เริ่มสร้างรายงาน"))
    progress = _progress(job.pk)
    try:
        year = job.params.get("year")
        if job.kind == "plan":
            from portal.tenancy import scope

            plans = scope(Plan.objects.all(), job.user)  # re-checked: the requester must still reach the plan
            plan = selectors.plan_with_everything(plans).get(pk=job.params["plan"])
            progress(20, _("อ่านข้อมูลแผน"))
            content = reports.build_plan_report(plan, year, job.fmt, progress=progress)
            filename = reports.plan_filename(plan, year, job.fmt)
        else:
            progress(20, _("รวบรวมข้อมูลทุกองค์กร"))
            lines = selectors.plans_summary_for_auditor(job.user, year, selectors.REPORT_ROLES)
            progress(60, _("สร้างไฟล์"))
            content = reports.build_summary(lines, year, job.fmt)
            filename = reports.summary_filename(year, job.fmt)
        job.refresh_from_db()
        job.result.save(filename, ContentFile(content), save=False)
        job.filename = filename
        job.status = ReportJob.Status.DONE
        job.progress = 100
        job.message = _("เสร็จแล้ว")
        job.finished_at = timezone.now()
        job.save()
    except Plan.DoesNotExist:
        ReportJob.objects.filter(pk=job_id).update(
            status=ReportJob.Status.FAILED, finished_at=timezone.now(),
            message=_("ไม่พบแผน หรือท่านไม่มีสิทธิ์ในแผนนี้แล้ว"))
        return ReportJob.Status.FAILED
    except Exception as exc:
        # The person sees a plain message (and can retry); the details go to the log, not to the page.
        log.exception("report job %s failed", job_id)
        ReportJob.objects.filter(pk=job_id).update(
            status=ReportJob.Status.FAILED, finished_at=timezone.now(),
            message=(_("เกิดข้อผิดพลาดระหว่างสร้างรายงาน ลองใหม่ได้") + f" ({type(exc).__name__})")[:300])
        return ReportJob.Status.FAILED
    return job.status
