"""The hourly live refresh spread over the hour: beat every 5 minutes, each run a twelfth of the organizations."""

import datetime as dt

import pytest

from opendata import tasks
from tests.portal.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def test_an_hour_of_runs_queues_every_active_organization_once_in_small_slices(monkeypatch):
    organizations = [OrganizationFactory() for _ in range(30)]
    organizations[3].is_active = False
    organizations[3].save()
    queued = []
    monkeypatch.setattr(tasks.refresh_organization, "delay", lambda pk, everything=False: queued.append(pk))
    start = dt.datetime(2026, 12, 6, 14, 0, tzinfo=dt.UTC)
    per_run = []
    for minute in range(0, 60, tasks.REFRESH_EVERY_MINUTES):
        before = len(queued)
        tasks.refresh_all(slot=tasks.current_slot(start + dt.timedelta(minutes=minute)))
        per_run.append(len(queued) - before)
    active = sorted(o.pk for o in organizations if o.is_active)
    assert sorted(queued) == active  # each active organization once in the hour, never the inactive one
    assert max(per_run) <= -(-len(organizations) // tasks.REFRESH_SLOTS)  # no run takes more than its share


def test_the_beat_schedule_runs_the_slices_every_five_minutes(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["opendata-refresh"]
    assert entry["task"] == "opendata.tasks.refresh_all"
    assert sorted(entry["schedule"].minute) == list(range(0, 60, tasks.REFRESH_EVERY_MINUTES))
    slots = {tasks.current_slot(dt.datetime(2026, 1, 1, 9, m, tzinfo=dt.UTC)) for m in range(0, 60, 5)}
    assert slots == set(range(tasks.REFRESH_SLOTS))
