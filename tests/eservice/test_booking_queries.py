"""What one booking costs the database, counted (timings live in benchmarks/eservice_booking.sh): on PostgreSQL the
phone's lock, its limits, the slot, the day's number, the booking and its audit row are one round trip."""

import pytest
from django.db import connection
from rest_framework.test import APIClient

from .factories import QueueFactory, future_slot

pytestmark = pytest.mark.django_db

# SQLite books with one statement at a time: the queue re-read, the phone's count, the slot, the day's number, the
# booking row and auditlog's row, between the savepoint and its release (the test runs in a transaction).
MAX_QUERIES = {"postgresql": 1, "sqlite": 8}


def test_a_booking_through_the_api_costs_one_round_trip_on_postgresql(org, django_assert_max_num_queries):
    queue = QueueFactory(organization=org, places_per_slot=10)
    slot = future_slot(queue)
    api = APIClient()
    # The first booking fills the per-process memos (the slot, the queue's calendar) and prepares the statement.
    assert api.post("/api/queue/bookings/", {"slot": slot.pk, "name": "ก", "phone": "0810000001"},
                    format="json").status_code == 201
    with django_assert_max_num_queries(MAX_QUERIES[connection.vendor]):
        created = api.post("/api/queue/bookings/", {"slot": slot.pk, "name": "ข", "phone": "0810000002"},
                           format="json")
    assert created.status_code == 201 and created.json()["ticket"] == "ก-002"
