"""Every write of the plans app goes through a service that leaves an audit row naming who did it, in the same
transaction; the admin, the views, the command and the demo loader reach the data only through those services."""

import datetime as dt
from pathlib import Path

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from innovation_plans import services
from innovation_plans.models import ActivityBudget, EvidenceFile, MonitoringRecord, Plan
from portal.machinery import jobs
from portal.models import BackgroundJob, Role
from tests.audit import rows_for
from tests.innovation_plans.factories import make_plan, parsed_plan
from tests.portal.factories import staff

pytestmark = pytest.mark.django_db

SEEDS = Path(__file__).resolve().parents[2] / "innovation_plans" / "seeds"


def only_row(obj, event):
    rows = list(rows_for(obj, event))
    assert len(rows) == 1, [r.additional_data for r in rows_for(obj)]
    return rows[0]


def test_import_is_audited_with_the_importer(org):
    officer = staff(org, Role.OFFICER)
    plan = services.import_plan(organization=org, parsed=parsed_plan(), source_name="p.txt", actor=officer)
    row = only_row(plan, "innovation_plans.plan.imported")
    assert row.actor == officer and row.action == LogEntry.Action.CREATE
    assert row.additional_data["organization_id"] == org.pk and row.additional_data["activities"] == 4
    assert plan.imported_by == officer

    again = services.import_plan(organization=org, parsed=parsed_plan(), source_name="p.txt", actor=officer,
                                 replace=True)
    replaced = LogEntry.objects.get(additional_data__event="innovation_plans.plan.replaced")
    assert replaced.object_pk == str(plan.pk) and replaced.actor == officer
    assert only_row(again, "innovation_plans.plan.imported").additional_data["replaced_plan"] == plan.pk


def test_status_changes_are_audited_with_before_and_after(org):
    plan = make_plan(org, status=Plan.Status.DRAFT)
    officer = staff(org, Role.OFFICER)
    services.publish_plan(plan=plan, actor=officer)
    services.archive_plan(plan=plan, actor=officer)
    published = only_row(plan, "innovation_plans.plan.published")
    assert published.actor == officer and published.changes == {"status": ["draft", "published"]}
    assert only_row(plan, "innovation_plans.plan.archived").changes == {"status": ["published", "archived"]}
    # The field-change rows django-auditlog writes for the same saves name the officer too (no request here).
    saves = LogEntry.objects.get_for_object(plan).exclude(additional_data__has_key="event").filter(
        action=LogEntry.Action.UPDATE, changes__has_key="status")
    assert [row.actor for row in saves] == [officer, officer]


def test_budget_changes_are_audited_and_an_unchanged_grid_writes_nothing(org):
    plan = make_plan(org, components=1, activities=1)
    activity = plan.activities.get()
    officer = staff(org, Role.OFFICER)
    changes = services.set_activity_budget(activity=activity, budgets={2566: 10000, 2567: 12500, 2568: None},
                                           actor=officer)
    assert changes == {"2567": [10000, 12500], "2568": [10000, None]}
    row = only_row(activity, "innovation_plans.activity.budget_set")
    assert row.actor == officer and row.changes == changes
    assert ActivityBudget.objects.get(activity=activity, fiscal_year=2567).amount == 12500
    assert not ActivityBudget.objects.filter(activity=activity, fiscal_year=2568).exists()
    assert services.set_activity_budget(activity=activity, budgets={2566: 10000, 2567: 12500}, actor=officer) == {}
    assert rows_for(activity, "innovation_plans.activity.budget_set").count() == 1


def test_monitoring_and_evidence_are_audited_with_the_officer(org, django_capture_on_commit_callbacks):
    plan = make_plan(org)
    officer = staff(org, Role.OFFICER)
    record = services.record_monitoring(activity=plan.activities.first(), fiscal_year=2567, status="in_progress",
                                        progress_percent=40, actor=officer)
    services.record_monitoring(activity=plan.activities.first(), fiscal_year=2567, status="in_progress",
                               progress_percent=70, actor=officer)
    created, updated = rows_for(record, "innovation_plans.monitoring.recorded").order_by("pk")
    assert created.action == LogEntry.Action.CREATE and created.actor == officer
    assert updated.action == LogEntry.Action.UPDATE and updated.changes == {"progress_percent": [40, 70]}

    evidence = services.add_evidence(record=record, upload=SimpleUploadedFile("r.pdf", b"%PDF-1.4\n%x\n"),
                                     actor=officer)
    added = only_row(evidence, "innovation_plans.evidence.added")
    assert added.actor == officer and added.additional_data["organization_id"] == org.pk
    stored = evidence.file.name
    storage = evidence.file.storage
    with pytest.raises(PermissionDenied):  # officers add evidence; removing it is an administrator's call
        services.remove_evidence(evidence=evidence, actor=officer)
    administrator = staff(org, Role.ADMINISTRATOR)
    with django_capture_on_commit_callbacks(execute=True):
        services.remove_evidence(evidence=evidence, actor=administrator)
    assert LogEntry.objects.get(additional_data__event="innovation_plans.evidence.removed").actor == administrator
    assert not EvidenceFile.objects.exists() and not storage.exists(stored)  # the private file goes too


def test_report_requests_and_retries_are_audited(org, monkeypatch, settings, django_capture_on_commit_callbacks):
    plan = make_plan(org)
    auditor = staff(org, Role.AUDITOR)
    settings.JOB_MAX_ATTEMPTS = 1
    from innovation_plans import reports

    monkeypatch.setattr(reports, "build_plan_report", lambda *a, **k: 1 / 0)
    with django_capture_on_commit_callbacks(execute=True):
        job = services.request_report(actor=auditor, fmt="csv", year=2567, plan=plan)
    requested = only_row(job, "innovation_plans.report.requested")
    assert requested.actor == auditor and requested.additional_data["organization_id"] == org.pk
    job.refresh_from_db()
    assert job.status == BackgroundJob.Status.FAILED
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.retry_report(job=job, actor=auditor)
    retried = only_row(job, "innovation_plans.report.retried")
    assert retried.actor == auditor and retried.changes == {"status": ["failed", "queued"]}
    job.refresh_from_db()
    assert job.status == BackgroundJob.Status.DONE
    # Nothing to retry: no row.
    assert not services.retry_report(job=job, actor=auditor)
    assert rows_for(job, "innovation_plans.report.retried").count() == 1


def test_admin_budget_grid_goes_through_the_service(client, org):
    from tests.innovation_plans.test_admin import _form_data

    plan = make_plan(org, components=1, activities=1)
    officer = staff(org, Role.OFFICER)
    client.force_login(officer)
    url = f"/admin/innovation_plans/plan/{plan.pk}/change/"
    data = _form_data(client.get(url).content.decode())
    data.pop("_addanother", None)
    data.pop("_continue", None)
    data["activities-0-budget_2567"] = "๑๒,๕๐๐"
    assert client.post(url, data).status_code == 302
    row = only_row(plan.activities.get(), "innovation_plans.activity.budget_set")
    assert row.actor == officer and row.changes == {"2567": [10000, 12500]}


def test_admin_monitoring_form_goes_through_the_service(client, org):
    plan = make_plan(org)
    officer = staff(org, Role.OFFICER)
    client.force_login(officer)
    activity = plan.activities.first()
    response = client.post("/admin/innovation_plans/monitoringrecord/add/", {
        "activity": activity.pk, "fiscal_year": "๒๕๖๗", "status": "in_progress", "progress_percent": "30",
        "actual_spend": "", "notes": "", "indicator_actuals-TOTAL_FORMS": 0, "indicator_actuals-INITIAL_FORMS": 0,
        "evidence-TOTAL_FORMS": 1, "evidence-INITIAL_FORMS": 0, "evidence-0-title": "รายงาน",
        "evidence-0-file": SimpleUploadedFile("r.pdf", b"%PDF-1.4\n%x\n")})
    assert response.status_code == 302, response.content.decode()[:2000]
    record = MonitoringRecord.objects.get()
    assert only_row(record, "innovation_plans.monitoring.recorded").actor == officer
    assert only_row(EvidenceFile.objects.get(), "innovation_plans.evidence.added").actor == officer


def test_command_names_itself_in_the_audit_row():
    from io import StringIO

    from django.core.management import call_command

    from portal.demo import load_core

    load_core()
    call_command("import_plan", str(SEEDS / "khamyai_plan.txt"), "--publish", stdout=StringIO())
    plan = Plan.objects.get(organization__slug="khamyai")
    for event in ("innovation_plans.plan.imported", "innovation_plans.plan.published"):
        row = only_row(plan, event)
        assert row.actor is None and row.additional_data["actor"] == "system:command:import_plan"
    assert plan.imported_by is None


def test_a_report_queued_while_the_broker_is_down_is_picked_up_by_the_sweep(
        client, org, monkeypatch, django_capture_on_commit_callbacks):
    plan = make_plan(org)
    auditor = staff(org, Role.AUDITOR)
    client.force_login(auditor)

    def broker_down(*args, **kwargs):
        raise ConnectionError("broker unreachable")

    monkeypatch.setattr(jobs.run_job, "apply_async", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/{org.slug}/plans/{plan.pk}/report/background/", {"fmt": "xlsx"})
    assert response.status_code == 302  # the person is not shown a 500 for a broker that is down
    job = BackgroundJob.objects.get()
    assert job.status == BackgroundJob.Status.QUEUED and job.attempts == 0
    assert client.get(f"/plans/jobs/{job.uuid}/?format=json").json()["status"] == "queued"

    monkeypatch.undo()  # the broker is back
    assert jobs.sweep_jobs() == 0  # queued moments ago: not due yet
    BackgroundJob.objects.filter(pk=job.pk).update(updated_at=timezone.now() - dt.timedelta(minutes=2))
    assert jobs.sweep_jobs() == 1
    job.refresh_from_db()
    assert job.status == BackgroundJob.Status.DONE and job.attempts == 1 and job.filename.endswith(".xlsx")
    download = client.get(f"/plans/jobs/{job.uuid}/download/")
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"PK")


def test_untouched_grid_cells_cost_no_budget_query(client, org):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.innovation_plans.test_admin import _form_data

    plan = make_plan(org, components=2, activities=5)
    client.force_login(staff(org, Role.OFFICER))
    url = f"/admin/innovation_plans/plan/{plan.pk}/change/"
    data = _form_data(client.get(url).content.decode())
    data.pop("_addanother", None)
    data.pop("_continue", None)
    data["activities-3-title"] = "ชื่อใหม่"  # a row changed, but none of its budget cells
    with CaptureQueriesContext(connection) as queries:
        assert client.post(url, data).status_code == 302
    budget_sql = [q["sql"] for q in queries.captured_queries if "innovation_plans_activitybudget" in q["sql"]]
    assert len(budget_sql) == 1, budget_sql  # the grid's one prefetch; no per-row read or write
    assert not LogEntry.objects.filter(additional_data__event="innovation_plans.activity.budget_set").exists()


def test_admin_plain_edits_go_through_the_service(client, org):
    from tests.innovation_plans.test_admin import _form_data

    plan = make_plan(org, components=1, activities=1)
    swot = plan.swot_items.order_by("order").first()
    officer = staff(org, Role.OFFICER)
    client.force_login(officer)
    url = f"/admin/innovation_plans/plan/{plan.pk}/change/"
    data = _form_data(client.get(url).content.decode())
    data.pop("_addanother", None)
    data.pop("_continue", None)
    data["title"] = "แผนพัฒนานวัตกรรม ฉบับทบทวน"
    data["swot_items-0-text"] = "ผู้บริหารสนับสนุนเต็มที่"
    assert client.post(url, data).status_code == 302
    row = only_row(plan, "innovation_plans.plan.changed")
    assert row.actor == officer and row.changes == {"title": "แผนพัฒนานวัตกรรม ฉบับทบทวน"}
    inline = only_row(swot, "innovation_plans.swotitem.changed")
    assert inline.actor == officer and inline.changes == {"text": "ผู้บริหารสนับสนุนเต็มที่"}
