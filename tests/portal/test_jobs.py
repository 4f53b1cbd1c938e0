import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.machinery import jobs
from portal.models import BackgroundJob
from tests.portal.factories import staff

CALLS = []


@jobs.register("portal_test.ok")
def _ok(job, progress):
    progress(1, 2)
    CALLS.append(job.params)
    progress(2, 2)
    return "ผล.csv", b"a,b\n"


@jobs.register("portal_test.flaky")
def _flaky(job, progress):
    if job.attempts < 2:
        raise OSError("disk hiccup")
    return None


@jobs.register("portal_test.permanent")
def _permanent(job, progress):
    raise jobs.JobFailed("ไม่พบแผน")


@pytest.mark.django_db(transaction=True)
def test_enqueue_runs_after_commit_and_stores_a_private_result(org, settings):
    user = staff(org)
    job = jobs.enqueue(kind="portal_test.ok", organization=org, params={"year": 2568}, actor=user)
    job.refresh_from_db()
    assert job.status == BackgroundJob.Status.DONE and job.percent == 100
    assert job.progress == job.total == 2
    assert job.result.path.startswith(str(settings.PRIVATE_MEDIA_ROOT))
    assert job.filename == "ผล.csv" and job.attempts == 1


def test_unknown_kind_is_refused_at_enqueue():
    with pytest.raises(ValueError):
        jobs.enqueue(kind="portal_test.nothing")


@pytest.mark.django_db(transaction=True)
def test_a_failed_attempt_is_retried_by_the_sweep(settings):
    job = jobs.enqueue(kind="portal_test.flaky")
    job.refresh_from_db()
    assert job.status == BackgroundJob.Status.QUEUED and job.attempts == 1
    assert jobs.sweep_jobs() == 0  # not due yet
    BackgroundJob.objects.filter(pk=job.pk).update(updated_at=timezone.now() - dt.timedelta(minutes=2))
    assert jobs.sweep_jobs() == 1
    job.refresh_from_db()
    assert job.status == BackgroundJob.Status.DONE and job.attempts == 2


@pytest.mark.django_db(transaction=True)
def test_permanent_failure_is_not_retried_and_shows_the_message():
    job = jobs.enqueue(kind="portal_test.permanent")
    job.refresh_from_db()
    assert job.status == BackgroundJob.Status.FAILED and job.message == "ไม่พบแผน"
    jobs.retry(job)
    job.refresh_from_db()
    assert job.status == BackgroundJob.Status.FAILED and job.attempts == 1  # ran again, failed again


@pytest.mark.django_db(transaction=True)
def test_broker_down_leaves_the_job_queued_and_the_sweep_sends_it(monkeypatch):
    def down(*args, **kwargs):
        raise ConnectionError("broker down")

    monkeypatch.setattr(jobs.run_job, "apply_async", down)
    job = jobs.enqueue(kind="portal_test.ok")
    job.refresh_from_db()
    assert job.status == BackgroundJob.Status.QUEUED
    monkeypatch.undo()
    BackgroundJob.objects.filter(pk=job.pk).update(updated_at=timezone.now() - dt.timedelta(minutes=5))
    assert jobs.sweep_jobs() == 1
    job.refresh_from_db()
    assert job.status == BackgroundJob.Status.DONE


@pytest.mark.django_db
def test_a_running_job_of_a_dead_worker_is_reclaimed():
    job = BackgroundJob.objects.create(kind="portal_test.ok", status=BackgroundJob.Status.RUNNING, attempts=1)
    BackgroundJob.objects.filter(pk=job.pk).update(updated_at=timezone.now() - dt.timedelta(hours=1))
    jobs.sweep_jobs()
    job.refresh_from_db()
    assert job.status == BackgroundJob.Status.DONE


@pytest.mark.django_db
def test_run_twice_runs_once():
    job = BackgroundJob.objects.create(kind="portal_test.ok")
    CALLS.clear()
    assert jobs.run_job(job.pk) == "done"
    assert jobs.run_job(job.pk) == "skipped"
    assert len(CALLS) == 1


def test_beat_schedule_has_the_sweep(settings):
    assert any(e["task"] == "portal.jobs.sweep_jobs" for e in settings.CELERY_BEAT_SCHEDULE.values())


@pytest.mark.django_db(transaction=True)
def test_status_and_download_only_for_the_person_who_asked(client, org, other_org):
    owner, other = staff(org), staff(org)
    job = jobs.enqueue(kind="portal_test.ok", organization=org, actor=owner)
    client.force_login(other)
    assert client.get(reverse("job-status", args=[job.uuid])).status_code == 404
    assert client.get(reverse("job-download", args=[job.uuid])).status_code == 404
    client.force_login(owner)
    status = client.get(reverse("job-status", args=[job.uuid])).json()
    assert status["status"] == "done" and status["download_url"]
    response = client.get(status["download_url"])
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"a,b\n"
