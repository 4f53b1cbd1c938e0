"""The Open311 API keys (portal.open311): created once, checked from a cached directory, revoked at once."""

import pytest

from portal.models import ApiKey
from portal.open311 import services
from tests.audit import rows_for

pytestmark = pytest.mark.django_db


def test_keys_are_cached_and_a_revoked_key_is_refused_at_once(org, django_assert_num_queries):
    key, raw = services.create_api_key(organization=org, name="app", actor=None)
    assert services.organization_for_key(org.slug, raw) == org  # fills the cache
    services._last_touch.clear()
    services.organization_for_key(org.slug, raw)  # warm: only the once-a-minute last_used_at write
    with django_assert_num_queries(0):
        assert services.organization_for_key(org.slug, raw) == org
    assert services.organization_for_key(org.slug, raw + "x") is None
    assert services.organization_for_key("no-such-org", raw) is None
    key.is_active = False
    key.save()  # revoking a key takes effect at once
    assert services.organization_for_key(org.slug, raw) is None


def test_a_key_revoked_in_another_process_is_refused_within_the_local_memo_time(org, monkeypatch):
    from django.core.cache import cache

    key, raw = services.create_api_key(organization=org, name="app", actor=None)
    assert services.organization_for_key(org.slug, raw) == org
    # Another process revokes the key: the database and the shared cache change, this process's memo does not.
    ApiKey.objects.filter(pk=key.pk).update(is_active=False)
    cache.delete(services.KEYS.cache_key(org.slug))
    assert services.organization_for_key(org.slug, raw) == org  # still within the memo time
    later = services.time.monotonic() + services.KEYS_LOCAL_SECONDS + 1
    monkeypatch.setattr(services.time, "monotonic", lambda: later)
    assert services.organization_for_key(org.slug, raw) is None


def test_only_the_hash_is_stored_and_the_creation_is_audited(org):
    from portal.audit import trail as audit

    key, raw = services.create_api_key(organization=org, name="app", actor=audit.system("command:create_api_key"))
    assert raw not in str(ApiKey.objects.filter(pk=key.pk).values().get())
    row = rows_for(key, "open311.apikey.created").get()
    assert row.additional_data["actor"] == "system:command:create_api_key"


def test_a_warm_complaint_post_through_the_gateway_is_one_insert(client, org):
    """The key and the category come from cached directories, and the complaint provider is asked first: the
    other providers' service codes cost nothing on the busiest write."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from complaints.demo import ensure_categories

    ensure_categories(org)
    _, raw = services.create_api_key(organization=org, name="app", actor=None)
    data = {"jurisdiction_id": org.slug, "api_key": raw, "service_code": "street_light", "lat": "16.4321",
            "long": "102.8231", "description": "ไฟดับ"}
    assert client.post("/open311/v2/requests.json", data).status_code == 200  # warms the caches
    with CaptureQueriesContext(connection) as queries:
        assert client.post("/open311/v2/requests.json", data).status_code == 200
    statements = [q["sql"].split()[0] for q in queries.captured_queries if "SAVEPOINT" not in q["sql"]]
    assert statements == ["INSERT"]
