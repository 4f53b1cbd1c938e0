"""Live datasets: a feed's figures, as published (CSV and datastore), equal the database's; corruption reports
and non-public categories never appear; a changed figure makes a new version, an unchanged one does not."""

import csv
import datetime as dt
import io

import pytest
from django.utils import timezone

from complaints import selectors as complaint_selectors
from complaints.demo import ensure_categories
from complaints.models import Complaint
from opendata import live
from opendata.models import Dataset
from portal.registry import DataFeed, FeedField, data_feeds
from tests.audit import rows_for
from tests.complaints.factories import make_complaint

pytestmark = pytest.mark.django_db


def feed(name, rows, *fields):
    return DataFeed(name=name, title="ทดสอบ", description="ทดสอบ", rows=rows,
                    fields=tuple(FeedField(n, t) for n, t in fields))


FEEDS = {f.name: f for f in data_feeds()}  # as the service apps declare them on the registry
BY_CATEGORY_MONTH = FEEDS["complaints-by-category-month"]
HANDLING = FEEDS["complaints-handling-time"]


@pytest.fixture
def complaints(org):
    from complaints import services

    categories = ensure_categories(org)
    tz = timezone.get_current_timezone()
    made = []
    for i, (code, month, resolved_days) in enumerate([
        ("street_light", 10, 2), ("street_light", 10, None), ("road", 10, 20), ("street_light", 11, 1),
        ("road", 11, None), ("garbage", 12, 5),
    ]):
        complaint = make_complaint(org, categories[code], village=f"หมู่ {i % 2 + 1}")
        created = dt.datetime(2025, month, 3, 9, 0, tzinfo=tz)
        values = {"created_at": created, "sla_deadline": created + dt.timedelta(days=3)}
        if resolved_days is not None:
            values.update(status="resolved", resolved_at=created + dt.timedelta(days=resolved_days))
        Complaint.objects.filter(pk=complaint.pk).update(**values)
        made.append(complaint)
    services.submit_corruption_report(organization=org, category=categories["corruption"],
                                      description="เรียกรับเงินใต้โต๊ะ")
    categories["animal"].is_public = False
    categories["animal"].save()
    make_complaint(org, categories["animal"])
    return made


def published_csv(dataset):
    version = dataset.resources.get().versions.order_by("-number").first()
    with version.file.open("rb") as handle:
        return list(csv.DictReader(io.StringIO(handle.read().decode("utf-8-sig"))))


def test_live_dataset_figures_equal_the_database(org, complaints):
    dataset = live.refresh_feed(organization=org, feed=BY_CATEGORY_MONTH)
    assert dataset.is_published and dataset.feed_name == "complaints-by-category-month"
    rows = published_csv(dataset)
    # Independent count straight from the table, public categories only.
    public = Complaint.objects.filter(organization=org, is_protected=False, category__is_public=True)
    for row in rows:
        month = dt.date.fromisoformat(row["month"] + "-01")
        local = timezone.get_current_timezone()
        start = dt.datetime(month.year, month.month, 1, tzinfo=local)
        end = dt.datetime(month.year + (month.month == 12), month.month % 12 + 1, 1, tzinfo=local)
        expected = public.filter(category__code=row["category_code"], created_at__gte=start, created_at__lt=end)
        assert int(row["received"]) == expected.count(), row
        assert int(row["resolved"]) == expected.filter(resolved_at__isnull=False).count(), row
    assert sum(int(r["received"]) for r in rows) == public.count() == 6
    assert {r["category_code"] for r in rows} == {"street_light", "road", "garbage"}  # no corruption, no animal
    resource = dataset.resources.get()
    assert resource.datastore_active and resource.records.count() == len(rows)
    assert {"month": "2025-10", "category_code": "street_light", "category": "ไฟฟ้าสาธารณะดับ/ชำรุด",
            "received": 2, "resolved": 1, "open": 1} in [r.data for r in resource.records.all()]


def test_handling_time_and_sla(org, complaints):
    rows = {(r["month"], r["category_code"]): r for r in
            live.refresh_feed(organization=org, feed=HANDLING).resources.get().records.values_list("data", flat=True)}
    october_lights = rows[("2025-10", "street_light")]
    # numbers are JSON numbers in the datastore, as CKAN's DataStore answers them
    assert october_lights["resolved"] == 1 and october_lights["average_days"] == 2
    assert october_lights["sla_compliance_percent"] == 100
    assert rows[("2025-10", "road")]["within_sla"] == 0  # 20 days against a 3-day deadline


def test_unchanged_figures_make_no_new_version_changed_ones_do(org, complaints):
    dataset = live.refresh_feed(organization=org, feed=BY_CATEGORY_MONTH)
    live.refresh_feed(organization=org, feed=BY_CATEGORY_MONTH)
    resource = dataset.resources.get()
    assert resource.versions.count() == 1
    make_complaint(org, ensure_categories(org)["garbage"])
    live.refresh_feed(organization=org, feed=BY_CATEGORY_MONTH)
    assert resource.versions.count() == 2
    assert Dataset.objects.filter(organization=org, feed_name=BY_CATEGORY_MONTH.name).count() == 1


def test_undeclared_fields_never_leave_the_service(org, complaints):
    leaky = feed("leaky", lambda o: [{"month": "2025-10", "contact_phone": "0812345678"}], ("month", "month"))
    with pytest.raises(live.FeedError):
        live.refresh_feed(organization=org, feed=leaky)
    assert not Dataset.objects.filter(feed_name="leaky").exists()


def test_no_rows_no_dataset(other_org):
    assert live.refresh_feed(organization=other_org, feed=BY_CATEGORY_MONTH) is None


def test_village_feed_counts_public_complaints_only(org, complaints):
    rows = {r["village"]: r for r in complaint_selectors.feed_by_village(org)}
    public = Complaint.objects.filter(organization=org, is_protected=False, category__is_public=True)
    for village, row in rows.items():
        expected = public.filter(village="" if village == "ไม่ระบุ" else village)
        assert row["received"] == expected.count()
    assert sum(r["received"] for r in rows.values()) == 6


def test_plan_budget_feed_equals_the_budget_cells(org):
    from innovation_plans import selectors as plan_selectors
    from innovation_plans.models import ActivityBudget, Plan
    from tests.innovation_plans.factories import make_plan

    make_plan(org, components=2, activities=3, amount=12500)
    make_plan(org, components=1, activities=1, amount=999, status=Plan.Status.DRAFT, start=2571, end=2575)  # drafts stay out
    rows = plan_selectors.feed_budget_by_component_year(org)
    assert len(rows) == 2 * 5
    for row in rows:
        cells = ActivityBudget.objects.filter(activity__plan__organization=org, activity__plan__status="published",
                                              activity__component__number=row["component_number"],
                                              fiscal_year=row["fiscal_year"])
        assert row["budget"] == sum(c.amount for c in cells) == 3 * 12500
        assert row["activities"] == 3


def test_refresh_task_publishes_every_feed_the_data_supports(org, complaints):
    from opendata.tasks import refresh_organization

    done = refresh_organization(org.pk)
    assert {"complaints-by-category-month", "complaints-by-village", "complaints-handling-time"} <= set(done)
    assert "innovation-plan-budgets" not in done  # no plan: nothing to publish
    for dataset in Dataset.objects.filter(organization=org).exclude(feed_name=""):
        assert dataset.is_published and dataset.resources.get().data_dictionary


def test_staff_refresh_now_runs_as_a_background_job(client, org, complaints, django_capture_on_commit_callbacks):
    from portal.models import BackgroundJob
    from tests.opendata.factories import make_dataset
    from tests.portal.factories import staff

    dataset = make_dataset(org, name="any")
    client.force_login(staff(org))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/admin/opendata/dataset/", {"action": "refresh_live",
                                                            "_selected_action": [dataset.pk]})
    assert response.status_code == 302
    job = BackgroundJob.objects.get(kind="opendata.refresh")
    job.refresh_from_db()
    assert job.organization == org and job.status == "done", (job.status, job.message)
    assert Dataset.objects.filter(organization=org, feed_name="complaints-by-village").exists()


def test_every_registered_feed_names_a_known_category():
    """A feed's category is the key of an open-data group; a label or an unknown key would break its refresh."""
    from opendata.live import GROUP_TITLES
    from portal.registry import data_feeds

    feeds = data_feeds()
    assert {feed.app_label for feed in feeds} >= {"complaints", "innovation_plans", "eservice", "taxpay"}
    for feed in feeds:
        assert isinstance(feed.category, str) and feed.category in GROUP_TITLES, feed.name


def test_a_refresh_that_changes_the_dataset_names_its_actor_in_one_audit_row(org, complaints):
    from portal.audit import trail as audit

    dataset = live.refresh_feed(organization=org, feed=BY_CATEGORY_MONTH)
    live.refresh_feed(organization=org, feed=BY_CATEGORY_MONTH)  # same figures: only the date stamp, no row
    rows = rows_for(dataset, "opendata.dataset.refreshed")
    assert [(r.additional_data["actor"], r.changes) for r in rows] == [
        ("system:task:opendata-refresh", {"created": True, "version": 1})]
    make_complaint(org, ensure_categories(org)["garbage"])
    live.refresh_feed(organization=org, feed=BY_CATEGORY_MONTH, actor=audit.system("command:refresh"))
    newest = rows_for(dataset, "opendata.dataset.refreshed").first()
    assert newest.additional_data["actor"] == "system:command:refresh" and newest.changes == {"version": 2}
