"""The admin index's notices are counted once a minute per person, not on every visit (a superuser of 7,850
organizations paid half a second for them on each one)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from portal import registry
from portal.models import Role
from tests.opendata.factories import make_dataset
from tests.portal.factories import staff

pytestmark = pytest.mark.django_db


def test_notices_are_counted_once_a_minute_per_person_and_language(client, org):
    old = timezone.localdate() - dt.timedelta(days=40)
    for i in range(2):
        make_dataset(org, name=f"stale-{i}", update_frequency_unit="เดือน", last_updated_date=old)
    # an executive: the notices, without the open-data clerk's work list (which is read fresh on every visit)
    client.force_login(staff(org, Role.EXECUTIVE))
    assert "ชุดข้อมูลที่เผยแพร่ 2 ชุดเลยกำหนดปรับปรุงแล้ว" in client.get("/admin/").content.decode()
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/admin/").content.decode()
    assert "ชุดข้อมูลที่เผยแพร่ 2 ชุดเลยกำหนดปรับปรุงแล้ว" in page
    assert not [q for q in queries.captured_queries if "opendata_dataset" in q["sql"]]
    client.cookies["django_language"] = "en"
    english = client.get("/admin/").content.decode()
    assert "ชุดข้อมูลที่เผยแพร่" not in english  # the English page counts for itself, in English
    assert registry.NOTICES_SECONDS <= 60
