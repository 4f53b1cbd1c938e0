"""Plan reports run on the shared background jobs (portal.machinery.jobs): each ReportJob row becomes a BackgroundJob with
the same uuid, so the /plans/jobs/<uuid>/ pages and downloads people kept still work, then ReportJob goes."""

from django.db import migrations

STATUS = {"pending": "queued", "running": "queued", "done": "done", "failed": "failed"}


def forwards(apps, schema_editor):
    ReportJob = apps.get_model("innovation_plans", "ReportJob")
    BackgroundJob = apps.get_model("portal", "BackgroundJob")
    Plan = apps.get_model("innovation_plans", "Plan")
    organizations = dict(Plan.objects.values_list("pk", "organization_id"))
    for old in ReportJob.objects.all().iterator():
        params = dict(old.params or {})
        plan = params.get("plan") if old.kind == "plan" else None
        new = BackgroundJob.objects.create(
            uuid=old.uuid, kind="innovation_plans.report", organization_id=organizations.get(plan),
            params={"report": "plan" if old.kind == "plan" else "summary", "fmt": old.fmt,
                    "year": params.get("year"), "plan": plan},
            # A job caught running by the upgrade is queued again: the sweep sends it to a worker.
            status=STATUS.get(old.status, "failed"), progress=old.progress if old.status != "done" else 100,
            total=100, message=old.message[:300], result=old.result.name if old.result else "",
            filename=old.filename, created_by_id=old.user_id, finished_at=old.finished_at)
        # auto_now_add stamped the copy with today; keep when it was asked for.
        BackgroundJob.objects.filter(pk=new.pk).update(created_at=old.created_at)


def _percent(job):
    if job.status == "done":
        return 100
    return min(99, job.progress * 100 // job.total) if job.total else 0


def backwards(apps, schema_editor):
    ReportJob = apps.get_model("innovation_plans", "ReportJob")
    BackgroundJob = apps.get_model("portal", "BackgroundJob")
    back = {"queued": "pending", "running": "running", "done": "done", "failed": "failed"}
    for job in BackgroundJob.objects.filter(kind="innovation_plans.report", created_by__isnull=False).iterator():
        params = job.params or {}
        ReportJob.objects.create(
            uuid=job.uuid, user_id=job.created_by_id, kind=params.get("report", "plan"), fmt=params.get("fmt", "pdf"),
            params={"plan": params.get("plan"), "year": params.get("year")} if params.get("report") == "plan"
            else {"year": params.get("year")},
            status=back.get(job.status, "failed"), progress=_percent(job), message=job.message,
            result=job.result.name if job.result else "", filename=job.filename, finished_at=job.finished_at)
    BackgroundJob.objects.filter(kind="innovation_plans.report").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("innovation_plans", "0005_thai_only_year_help"),
        ("portal", "0004_background_job"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
        migrations.DeleteModel(name="ReportJob"),
    ]
