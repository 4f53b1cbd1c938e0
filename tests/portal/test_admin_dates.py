"""Every date and time staff see in the admin is Buddhist era and local time."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from complaints.models import Complaint, Holiday
from portal.thai import be_display
from tests.complaints.factories import make_complaint

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client):
    user = get_user_model().objects.create_superuser("root-dates", "r@example.com", "pw-test-12345")
    client.force_login(user)
    return client


def test_be_display_is_local_and_buddhist_era(settings):
    utc_evening = dt.datetime(2026, 1, 31, 20, 30, tzinfo=dt.UTC)  # 03:30 on 1 Feb in Bangkok
    assert be_display(utc_evening) == "1 ก.พ. 2569 03:30"
    assert be_display(dt.date(2026, 10, 25)) == "25 ต.ค. 2569"


def test_complaint_change_page_shows_be_local_times(superuser_client, org):
    complaint = make_complaint(org)
    Complaint.objects.filter(pk=complaint.pk).update(created_at=dt.datetime(2026, 1, 31, 20, 30, tzinfo=dt.UTC))
    html = superuser_client.get(f"/admin/complaints/complaint/{complaint.pk}/change/").content.decode()
    assert "1 ก.พ. 2569 03:30" in html
    assert "31 มกราคม 2026" not in html and "2026, 20:30" not in html
    listing = superuser_client.get("/admin/complaints/complaint/").content.decode()
    assert "2569" in listing


def test_english_admin_is_be_too(superuser_client, org):
    make_complaint(org, contact_email="c@example.com", notify_channel="email", pdpa_consent=True)
    superuser_client.cookies["django_language"] = "en"
    html = superuser_client.get("/admin/portal/notification/").content.decode()
    year_be = str(timezone.localdate().year + 543)
    assert year_be in html
    assert f"{timezone.localdate().year}," not in html


def test_admin_date_inputs_take_and_show_be(superuser_client):
    page = superuser_client.get("/admin/complaints/holiday/add/").content.decode()
    assert 'placeholder="วว/ดด/ปปปป"' in page
    response = superuser_client.post("/admin/complaints/holiday/add/", {"date": "13/04/2569", "name": "สงกรานต์"})
    assert response.status_code == 302, response.content.decode()[:3000]
    holiday = Holiday.objects.get(name="สงกรานต์")
    assert holiday.date == dt.date(2026, 4, 13)
    page = superuser_client.get(f"/admin/complaints/holiday/{holiday.pk}/change/").content.decode()
    assert 'value="13/04/2569"' in page


def test_admin_date_inputs_still_read_iso_dates(superuser_client):
    response = superuser_client.post("/admin/complaints/holiday/add/", {"date": "2026-05-01", "name": "วันแรงงาน"})
    assert response.status_code == 302
    assert Holiday.objects.get(name="วันแรงงาน").date == dt.date(2026, 5, 1)


def test_inline_rows_and_closures_name_their_time_in_be_local(superuser_client, org):
    """Inline rows print each record's own name above its fields: a timeline entry or a closure day must read
    in the Buddhist era and local time there too, not as a Christian-era UTC stamp beside the local one."""
    import re

    from complaints.models import ComplaintUpdate

    complaint = make_complaint(org)
    ComplaintUpdate.objects.create(complaint=complaint, kind=ComplaintUpdate.Kind.STATUS, from_status="received",
                                   to_status="accepted")
    complaint.updates.update(created_at=dt.datetime(2026, 1, 31, 20, 30, tzinfo=dt.UTC))
    html = superuser_client.get(f"/admin/complaints/complaint/{complaint.pk}/change/").content.decode()
    assert not re.search(r"20\d\d-\d\d-\d\d \d\d:\d\d", html)
    assert str(complaint.updates.first()).endswith("1 ก.พ. 2569 03:30")
    assert str(Holiday(date=dt.date(2026, 12, 5), name="วันพ่อ")) == "5 ธ.ค. 2569 วันพ่อ"
