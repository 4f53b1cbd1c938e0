"""A dataset past its update frequency is flagged (admin) and its maintainer told once per period (outbox)."""

import datetime as dt

import pytest
from django.utils import timezone

from opendata import services
from portal.models import Notification
from tests.audit import rows_for
from tests.opendata.factories import loaded, make_dataset
from tests.portal.factories import staff

pytestmark = pytest.mark.django_db


def test_stale_dataset_notifies_its_maintainer_once(org):
    today = timezone.localdate()
    stale = make_dataset(org, name="yearly-old", update_frequency_unit="ปี",
                         last_updated_date=today - dt.timedelta(days=400), maintainer_email="data@example.go.th")
    make_dataset(org, name="yearly-fresh", update_frequency_unit="ปี", last_updated_date=today)
    make_dataset(org, name="irregular", update_frequency_unit="ไม่ทราบ",
                 last_updated_date=today - dt.timedelta(days=4000))
    assert stale.is_stale()
    assert [d.name for d in services.notify_stale()] == ["yearly-old"]
    note = Notification.objects.get(event="opendata_stale")
    assert note.recipient == "data@example.go.th" and "yearly-old" in note.body and stale.title in note.subject
    assert services.notify_stale() == []  # told once per period
    later = timezone.now() + dt.timedelta(days=367)
    assert [d.name for d in services.notify_stale(now=later)] == ["yearly-old"]


def test_the_staleness_task_names_itself_on_the_dataset(org):
    from opendata.tasks import notify_stale

    stale = make_dataset(org, name="yearly-old", update_frequency_unit="ปี",
                         last_updated_date=timezone.localdate() - dt.timedelta(days=400))
    assert notify_stale() == 1
    row = rows_for(stale, "opendata.dataset.stale_notified").get()
    assert row.additional_data["actor"] == "system:task:opendata.notify_stale"
    assert row.additional_data["organization_id"] == org.pk


def test_admin_flags_stale_datasets_for_own_organization_only(client, org, other_org):
    old = timezone.localdate() - dt.timedelta(days=40)
    make_dataset(org, title="ข้อมูลรายเดือนที่ค้าง", name="monthly-stale", update_frequency_unit="เดือน",
                 last_updated_date=old)
    make_dataset(other_org, title="ของอีกองค์กร", name="theirs-stale", update_frequency_unit="เดือน",
                 last_updated_date=old)
    client.force_login(staff(org))
    page = client.get("/admin/opendata/dataset/", {"stale": "yes"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "ข้อมูลรายเดือนที่ค้าง" in html and "ของอีกองค์กร" not in html
    assert 'alt="True"' in html  # the stale flag column
    banner = client.get("/admin/opendata/dataset/").content.decode()
    assert "1 ชุดเลยกำหนดปรับปรุงแล้ว" in banner


def test_admin_publish_action_and_upload(client, org):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from opendata.models import Dataset
    from tests.opendata.factories import CSV_BYTES

    dataset = make_dataset(org, name="to-publish", publish=False)
    client.force_login(staff(org))
    response = client.post("/admin/opendata/dataset/", {"action": "publish", "_selected_action": [dataset.pk]})
    assert response.status_code == 302
    assert Dataset.objects.get(pk=dataset.pk).is_published
    with loaded():
        add = client.post("/admin/opendata/resource/add/", {
            "dataset": dataset.pk, "name": "ไฟล์", "format": "", "position": 0, "description": "",
            "upload": SimpleUploadedFile("x.csv", CSV_BYTES),
            "versions-TOTAL_FORMS": 0, "versions-INITIAL_FORMS": 0})
    assert add.status_code == 302, add.content.decode()[:3000]
    resource = dataset.resources.get()
    assert resource.versions.count() == 1 and resource.datastore_active
    bad = client.post(f"/admin/opendata/resource/{resource.pk}/change/", {
        "dataset": dataset.pk, "name": "ไฟล์", "format": "CSV", "position": 0, "description": "",
        "upload": SimpleUploadedFile("x.csv", b"%PDF-1.4 not a csv"),
        "versions-TOTAL_FORMS": 1, "versions-INITIAL_FORMS": 1})
    assert bad.status_code == 200 and "ไม่ใช่ CSV" in bad.content.decode()
    assert resource.versions.count() == 1


def test_stale_condition_in_the_database_agrees_with_is_stale(org):
    """The SQL condition the dashboard and the admin filter count with gives exactly the datasets is_stale() flags,
    around every boundary (day of the deadline, the day after, no data date, several units and intervals)."""
    from opendata import selectors
    from opendata.models import Dataset

    today = timezone.localdate()
    n = 0
    for unit, days in (("วัน", 1), ("สัปดาห์", 7), ("เดือน", 31), ("ไตรมาส", 92), ("ปี", 366), ("ไม่ทราบ", 0)):
        for interval in (1, 3):
            for back in (0, 1, -1):  # on the deadline, one day past it, one day before it
                n += 1
                make_dataset(org, name=f"s-{n}", update_frequency_unit=unit, update_frequency_interval=interval,
                             last_updated_date=today - dt.timedelta(days=days * interval + back))
    undated = make_dataset(org, name="undated", update_frequency_unit="สัปดาห์", last_updated_date=None)
    Dataset.objects.filter(pk=undated.pk).update(metadata_modified=timezone.now() - dt.timedelta(days=8))
    make_dataset(org, name="draft-old", publish=False, update_frequency_unit="วัน",
                 last_updated_date=today - dt.timedelta(days=30))
    for now in (timezone.now(), timezone.now() + dt.timedelta(days=2), timezone.now() + dt.timedelta(days=40)):
        expected = {d.name for d in Dataset.objects.published() if d.is_stale(now)}
        assert expected, "the set must not be empty for the comparison to mean something"
        assert {d.name for d in selectors.stale_datasets(now=now)} == expected
    assert "undated" in {d.name for d in selectors.stale_datasets()}
    assert "draft-old" not in {d.name for d in selectors.stale_datasets()}


def test_staff_dashboard_counts_own_stale_datasets_with_a_link(client, org, other_org):
    """The admin index (the staff's dashboard) says how many of the staff member's published datasets are past
    their update frequency and links to the list filtered to them; another organization's are not counted."""
    old = timezone.localdate() - dt.timedelta(days=40)
    for i in range(2):
        make_dataset(org, name=f"mine-stale-{i}", title=f"ของเราค้าง{i}", update_frequency_unit="เดือน",
                     last_updated_date=old)
    make_dataset(org, name="mine-fresh", title="ของเราล่าสุด", update_frequency_unit="เดือน",
                 last_updated_date=timezone.localdate())
    for i in range(3):
        make_dataset(other_org, name=f"theirs-stale-{i}", update_frequency_unit="เดือน", last_updated_date=old)
    client.force_login(staff(org))
    html = client.get("/admin/").content.decode()
    assert "ชุดข้อมูลที่เผยแพร่ 2 ชุดเลยกำหนดปรับปรุงแล้ว" in html
    assert 'href="/admin/opendata/dataset/?stale=yes"' in html
    listed = client.get("/admin/opendata/dataset/", {"stale": "yes"}).content.decode()
    assert "ของเราค้าง0" in listed and "ของเราค้าง1" in listed and "ของเราล่าสุด" not in listed
    client.force_login(staff(other_org))
    assert "ชุดข้อมูลที่เผยแพร่ 3 ชุดเลยกำหนดปรับปรุงแล้ว" in client.get("/admin/").content.decode()


def test_staff_dashboard_says_nothing_when_all_is_current(client, org):
    make_dataset(org, name="current", update_frequency_unit="เดือน", last_updated_date=timezone.localdate())
    client.force_login(staff(org))
    page = client.get("/admin/")
    assert page.status_code == 200 and "เลยกำหนดปรับปรุง" not in page.content.decode()
