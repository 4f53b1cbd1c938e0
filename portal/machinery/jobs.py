"""Background jobs: one mechanism for every app (reports, imports, bulk work).

    from portal.machinery import jobs

    @jobs.register("innovation_plans.report")
    def build(job, progress):              # progress(done, total) updates the row the progress page polls
        ...
        return "report.xlsx", content      # stored in private storage; or None when there is no file

    job = jobs.enqueue(kind="innovation_plans.report", organization=org, params={...}, actor=request.user)

`enqueue` writes the row and sends the Celery task after commit. A broker that is down leaves the row queued;
the beat sweep (`sweep_jobs`, every minute) re-sends queued jobs and jobs whose worker died, and retries failed
attempts up to settings.JOB_MAX_ATTEMPTS. A handler raises `JobFailed("message")` for a failure that a retry
cannot fix (the message is shown to the person). Handlers live in the app's `jobs.py`, which the runner imports by
the kind's prefix.
"""

import datetime as dt
import logging
from collections.abc import Callable
from importlib import import_module

from celery import shared_task
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

log = logging.getLogger(__name__)

HANDLERS: dict[str, Callable] = {}
# A queued job older than this was not picked up (broker down, lost message): the sweep sends it again.
RESEND_AFTER = dt.timedelta(seconds=60)
# A running job not updated for this long belongs to a dead worker.
STALE_RUNNING = dt.timedelta(minutes=15)


class JobFailed(Exception):
    """A failure a retry cannot fix; its message is shown to the person who asked."""


def register(kind: str):
    def decorator(handler):
        if kind in HANDLERS and HANDLERS[kind] is not handler:
            raise ValueError(f"job kind {kind!r} registered twice")
        HANDLERS[kind] = handler
        return handler

    return decorator


def _handler(kind: str):
    if kind not in HANDLERS:
        module = f"{kind.split('.', 1)[0]}.jobs"  # every app registers its jobs in its jobs.py
        try:
            import_module(module)
        except ModuleNotFoundError as exc:
            if not (exc.name == module or module.startswith(f"{exc.name}.")):
                raise  # the module exists but one of its imports is missing
    return HANDLERS.get(kind)


def _send(job_id: int) -> None:
    try:
        run_job.apply_async(args=[job_id], retry=False)
    except Exception:  # broker unreachable: the row stays queued and the sweep sends it later
        log.warning("could not queue background job %s; the sweep will", job_id)


def enqueue(*, kind: str, organization=None, params=None, actor=None):
    """Create the job row (in the caller's transaction) and send the task after commit."""
    from portal.models import BackgroundJob

    if _handler(kind) is None:
        raise ValueError(f"no handler registered for job kind {kind!r}")
    job = BackgroundJob.objects.create(
        kind=kind, organization=organization, params=params or {},
        created_by=actor if actor is not None and getattr(actor, "is_authenticated", False) else None,
        message=_("รอคิว"))
    transaction.on_commit(lambda: _send(job.pk))
    return job


def retry(job) -> bool:
    """Queue a job again because a person pressed "try again": a failed job from the start, or one still queued
    past RESEND_AFTER (sent while the broker was down) sent again now rather than at the next sweep. A second
    copy of the task is harmless: only one claims the job. False when there is nothing to retry."""
    from portal.models import BackgroundJob

    S = BackgroundJob.Status
    now = timezone.now()
    updated = BackgroundJob.objects.filter(pk=job.pk, status=S.FAILED).update(
        status=S.QUEUED, attempts=0, progress=0, message=_("รอคิว"), finished_at=None, updated_at=now)
    updated = updated or BackgroundJob.objects.filter(
        pk=job.pk, status=S.QUEUED, updated_at__lte=now - RESEND_AFTER).update(updated_at=now)
    if updated:
        transaction.on_commit(lambda: _send(job.pk))
    return bool(updated)


def is_stuck(job) -> bool:
    """Queued for longer than the sweep waits: the page may offer to send it again."""
    return job.status == job.Status.QUEUED and job.updated_at <= timezone.now() - RESEND_AFTER


def _progress(job_id: int):
    from portal.models import BackgroundJob

    def progress(done: int, total: int, message: str = "") -> None:
        values = {"progress": max(0, int(done)), "total": max(0, int(total)), "updated_at": timezone.now()}
        if message:
            values["message"] = str(message)[:300]
        BackgroundJob.objects.filter(pk=job_id).update(**values)

    return progress


@shared_task(name="portal.jobs.run_job", acks_late=True, ignore_result=True)
def run_job(job_id: int) -> str:
    from portal.models import BackgroundJob

    S = BackgroundJob.Status
    now = timezone.now()
    # The claim is one conditional UPDATE: of two copies of this task (sweep + late delivery) only one runs.
    claimed = BackgroundJob.objects.filter(pk=job_id, status=S.QUEUED).update(
        status=S.RUNNING, attempts=F("attempts") + 1, started_at=now, updated_at=now, message=_("กำลังทำงาน"))
    if not claimed:
        return "skipped"
    job = BackgroundJob.objects.select_related("organization", "created_by").get(pk=job_id)
    # A job that recorded its requester's language is rendered and reported in it, not in the worker's.
    with translation.override((job.params or {}).get("language") or settings.LANGUAGE_CODE):
        return _run(job, job_id)


def _run(job, job_id: int) -> str:
    from portal.models import BackgroundJob

    S = BackgroundJob.Status
    handler = _handler(job.kind)
    try:
        if handler is None:
            raise JobFailed(_("ไม่รู้จักงานชนิดนี้"))
        result = handler(job, _progress(job.pk))
    except JobFailed as exc:
        BackgroundJob.objects.filter(pk=job_id).update(
            status=S.FAILED, finished_at=timezone.now(), updated_at=timezone.now(), message=str(exc)[:300])
        return "failed"
    except Exception as exc:
        log.exception("background job %s (%s) failed", job_id, job.kind)
        if job.attempts < settings.JOB_MAX_ATTEMPTS:
            # Back in the queue: the sweep sends it again after RESEND_AFTER.
            BackgroundJob.objects.filter(pk=job_id).update(
                status=S.QUEUED, updated_at=timezone.now(),
                message=_("เกิดข้อผิดพลาด ระบบจะลองใหม่อัตโนมัติ (%(name)s)") % {"name": type(exc).__name__})
            return "retry"
        BackgroundJob.objects.filter(pk=job_id).update(
            status=S.FAILED, finished_at=timezone.now(), updated_at=timezone.now(),
            message=(_("ทำงานไม่สำเร็จ ลองใหม่ได้ (%(name)s)") % {"name": type(exc).__name__})[:300])
        return "failed"
    job.refresh_from_db()
    if result is not None:
        filename, content = result
        job.result.save(filename, ContentFile(content), save=False)
        job.filename = filename
    job.status = S.DONE
    if job.total:
        job.progress = job.total
    job.message = _("เสร็จแล้ว")
    job.finished_at = timezone.now()
    job.save()
    return "done"


@shared_task(name="portal.jobs.sweep_jobs", ignore_result=True)
def sweep_jobs(limit: int = 200) -> int:
    """Re-send jobs left queued (broker down, lost message, retry due) and reclaim those of dead workers."""
    from portal.models import BackgroundJob

    S = BackgroundJob.Status
    now = timezone.now()
    BackgroundJob.objects.filter(status=S.RUNNING, updated_at__lt=now - STALE_RUNNING).update(
        status=S.QUEUED, updated_at=now - RESEND_AFTER)  # due at once
    BackgroundJob.objects.filter(
        status=S.QUEUED, attempts__gte=settings.JOB_MAX_ATTEMPTS).update(
        status=S.FAILED, finished_at=now, message=_("ทำงานไม่สำเร็จ ลองใหม่ได้"))
    due = BackgroundJob.objects.filter(Q(status=S.QUEUED) & Q(updated_at__lte=now - RESEND_AFTER))
    count = 0
    for pk in due.order_by("updated_at").values_list("pk", flat=True)[:limit]:
        BackgroundJob.objects.filter(pk=pk).update(updated_at=now)  # not sent again by the next sweep at once
        _send(pk)
        count += 1
    return count


def visible_to(user, job) -> bool:
    """Who may see a job and download its result: the person who asked for it (and superusers)."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or (job.created_by_id is not None and job.created_by_id == user.pk)
