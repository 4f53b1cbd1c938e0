"""The live refresh does work only where something changed: an organization none of whose feed sources changed since
its last refresh is not refreshed (its datasets' date stamp moves to today), one with a changed row is, and a write
that lands during a refresh, a bulk write, a write to a child row and a feed declared differently all count."""

import datetime as dt

import pytest

from complaints.demo import ensure_categories
from complaints.models import Complaint
from opendata import live, tasks
from opendata.models import Dataset, FeedSource
from portal.machinery import changes
from tests.complaints.factories import make_complaint
from tests.portal.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

BY_CATEGORY_MONTH = "complaints-by-category-month"


class Queued(list):
    """The organizations refresh_all queued, and (`whole`) those sent for a whole refresh."""

    def __init__(self):
        super().__init__()
        self.whole = []

    def delay(self, organization_id, everything=False):
        self.append(organization_id)
        if everything:
            self.whole.append(organization_id)


@pytest.fixture
def queued(monkeypatch):
    calls = Queued()
    monkeypatch.setattr(tasks.refresh_organization, "delay", calls.delay)
    return calls


def beat(queued):
    """One hour of beat runs over every slot; returns the organizations it queued."""
    queued.clear()
    queued.whole.clear()
    for slot in range(tasks.REFRESH_SLOTS):
        tasks.refresh_all(slot=slot)
    return sorted(queued)


@pytest.fixture
def two(django_capture_on_commit_callbacks):
    """Two organizations with complaints, each refreshed once (their sources' notices sent)."""
    made = []
    for _ in range(2):
        organization = OrganizationFactory()
        categories = ensure_categories(organization)
        with django_capture_on_commit_callbacks(execute=True):
            make_complaint(organization, categories["street_light"])
        made.append((organization, categories))
    for organization, _ in made:
        tasks.refresh_organization(organization.pk)
    return made


def versions(dataset):
    return dataset.resources.get().versions.count()


def test_an_unchanged_organization_is_skipped_and_a_changed_one_refreshed(two, queued, django_capture_on_commit_callbacks):
    (quiet, _), (busy, categories) = two
    assert beat(queued) == []  # nothing changed since the last refresh: nothing queued

    with django_capture_on_commit_callbacks(execute=True):
        make_complaint(busy, categories["road"])
    assert beat(queued) == [busy.pk]

    dataset = Dataset.objects.get(organization=busy, feed_name=BY_CATEGORY_MONTH)
    before = versions(dataset)
    done = tasks.refresh_organization(busy.pk)
    assert set(done) == {"complaints-by-category-month", "complaints-by-village"}  # none resolved: no third
    assert versions(dataset) == before + 1  # the new complaint is published
    assert beat(queued) == []


def test_a_status_change_and_a_bulk_write_count_as_changes(two, queued, django_capture_on_commit_callbacks):
    (organization, _), (other, _) = two
    complaint = Complaint.objects.filter(organization=organization).get()
    with django_capture_on_commit_callbacks(execute=True):
        complaint.status = "resolved"
        complaint.save()
    assert beat(queued) == [organization.pk]
    tasks.refresh_organization(organization.pk)

    with django_capture_on_commit_callbacks(execute=True):  # QuerySet.update() sends no signal: announced
        Complaint.objects.filter(organization=other).update(village="หมู่ 9")
        changes.announce(Complaint, [other.pk])
    assert beat(queued) == [other.pk]


def test_a_rolled_back_write_changes_nothing(two, queued, django_capture_on_commit_callbacks):
    from django.db import transaction

    (organization, categories), _ = two
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        with transaction.atomic():
            make_complaint(organization, categories["road"])
            raise RuntimeError
    assert beat(queued) == []


def test_a_write_during_a_refresh_leaves_the_organization_due(two, monkeypatch):
    (organization, categories), _ = two
    live.note_changes(Complaint, organization_ids={organization.pk})  # changed, so the next refresh runs
    real = live.refresh_feed

    def refresh_then_someone_writes(**kwargs):
        dataset = real(**kwargs)
        live.note_changes(Complaint, organization_ids={organization.pk})  # committed after the rows were read
        return dataset

    monkeypatch.setattr(live, "refresh_feed", refresh_then_someone_writes)
    live.refresh_organization(organization, only_changed=True)
    assert live.organizations_due([organization.pk]) == ([organization.pk], [])


def test_only_the_feeds_whose_sources_changed_are_refreshed(two, monkeypatch):
    (organization, _), _ = two
    live.note_changes(Complaint, organization_ids={organization.pk})
    ran = []
    monkeypatch.setattr(live, "refresh_feed", lambda *, organization, feed: ran.append(feed.name))
    live.refresh_organization(organization, only_changed=True)
    assert sorted(ran) == ["complaints-by-category-month", "complaints-by-village", "complaints-handling-time"]


def test_a_failing_feed_keeps_its_sources_due(two, monkeypatch):
    (organization, _), _ = two
    live.note_changes(Complaint, organization_ids={organization.pk})

    def broken(*, organization, feed):
        raise RuntimeError("database hiccup")

    monkeypatch.setattr(live, "refresh_feed", broken)
    live.refresh_organization(organization, only_changed=True)
    assert live.organizations_due([organization.pk])[0] == [organization.pk]


def test_a_feed_declared_differently_makes_every_organization_due_once(two, monkeypatch):
    import dataclasses

    (first, _), (second, _) = two
    assert live.organizations_due([first.pk, second.pk]) == ([], [first.pk, second.pk])
    feeds = [dataclasses.replace(f, description=f"{f.description} (new)") if f.name == BY_CATEGORY_MONTH else f
             for f in live.all_feeds()]
    monkeypatch.setattr(live, "all_feeds", lambda: feeds)
    assert live.organizations_due([first.pk, second.pk]) == ([first.pk, second.pk], [])
    live.refresh_organization(first, only_changed=True)
    assert live.organizations_due([first.pk, second.pk]) == ([second.pk], [first.pk])


def test_a_new_organization_is_refreshed_once_then_only_on_change(queued):
    organization = OrganizationFactory()
    assert beat(queued) == [organization.pk]  # never refreshed
    tasks.refresh_organization(organization.pk)
    assert set(FeedSource.objects.filter(organization=organization).values_list("source", flat=True)) \
        == live.watched_sources()
    assert beat(queued) == []


def test_the_unchanged_organizations_datasets_stay_current(two, queued):
    """Skipping an organization must not make its live datasets look stale: their date stamp moves to today."""
    from django.utils import timezone

    from opendata.selectors import stale_datasets

    (organization, _), _ = two
    live_datasets = Dataset.objects.filter(organization=organization).exclude(feed_name="")
    assert live_datasets.exists()
    live_datasets.update(last_updated_date=timezone.localdate() - dt.timedelta(days=3))
    assert set(stale_datasets()) >= set(live_datasets)
    assert beat(queued) == []
    assert set(live_datasets.values_list("last_updated_date", flat=True)) == {timezone.localdate()}
    assert not set(stale_datasets()) & set(live_datasets)


def test_a_child_row_is_announced_as_its_organization(django_capture_on_commit_callbacks):
    """A row that reaches its organization through a parent (a booking through its queue) bumps that
    organization's source."""
    from django.utils import timezone

    from eservice.models import Booking
    from tests.eservice.factories import QueueFactory, future_slot

    organization = OrganizationFactory()
    queue = QueueFactory(organization=organization)
    slot = future_slot(queue)
    with django_capture_on_commit_callbacks(execute=True):
        Booking.objects.create(queue=queue, slot=slot, date=timezone.localdate(slot.start), number=1, ticket="ก-001",
                               name="สมชาย", phone="0812345678")
    assert FeedSource.objects.get(organization=organization, source="eservice.Booking").version == 1


def test_once_a_day_in_its_own_hour_an_organization_is_refreshed_whole(two, queued, monkeypatch):
    """The safety net under the change notices: a write nobody announced (raw SQL, a restore) is published by the
    organization's daily whole refresh, in its own hour of the day."""
    import functools

    from django.db import connection
    from django.utils import timezone

    (organization, categories), (other, _) = two
    dataset = Dataset.objects.get(organization=organization, feed_name=BY_CATEGORY_MONTH)
    before = versions(dataset)
    with connection.cursor() as cursor:  # no signal, no notice
        cursor.execute(f"UPDATE {Complaint._meta.db_table} SET category_id = %s WHERE organization_id = %s",
                       [categories["road"].pk, organization.pk])
    assert beat(queued) == []

    # A day later (the last reads moved back three days), in the organization's own hour.
    FeedSource.objects.update(refreshed_at=timezone.now() - dt.timedelta(days=3))
    hour = live.check_hour(organization.pk, tasks.REFRESH_SLOTS)
    at = timezone.localtime().replace(hour=hour, minute=7)
    monkeypatch.setattr(live, "overdue_for_check", functools.partial(live.overdue_for_check, now=at))
    in_its_hour = sorted(o.pk for o in (organization, other) if live.check_hour(o.pk, tasks.REFRESH_SLOTS) == hour)
    assert beat(queued) == in_its_hour and sorted(queued.whole) == in_its_hour

    tasks.refresh_organization(organization.pk, everything=True)
    assert versions(dataset) == before + 1  # what no notice announced is published
    assert organization.pk not in beat(queued), "read again: not due again for a day"

    # In another hour of the day the old reads are left for their own hour.
    at = at.replace(hour=(hour + 1) % 24)
    monkeypatch.setattr(live, "overdue_for_check", functools.partial(live.overdue_for_check.func, now=at))
    FeedSource.objects.update(refreshed_at=timezone.now() - dt.timedelta(days=3))
    assert organization.pk not in beat(queued)


def test_the_daily_whole_refreshes_are_spread_over_the_days_runs():
    """Each of the day's 288 beat runs (24 hours, 12 slices) gets its own share of the daily whole refreshes: not
    a whole hour's share in one run."""
    runs = {}
    for organization_id in range(1, 7851):
        run = (live.check_hour(organization_id, tasks.REFRESH_SLOTS), organization_id % tasks.REFRESH_SLOTS)
        runs[run] = runs.get(run, 0) + 1
    assert len(runs) == 24 * tasks.REFRESH_SLOTS
    assert max(runs.values()) <= -(-7850 // (24 * tasks.REFRESH_SLOTS))
