"""The test suite's own machinery: what lets two pytest-xdist workers share one Redis database and run at once."""

import pytest

from tests.cache import WorkerRedisCache
from tests.services import RedisServer


@pytest.fixture
def redis_server():
    server = RedisServer().start()
    yield server
    server.stop()


def test_a_workers_cache_clear_leaves_the_other_workers_keys(redis_server):
    gw0, gw1 = (WorkerRedisCache(redis_server.url, {"KEY_PREFIX": prefix}) for prefix in ("gw0", "gw1"))
    for i in range(2500):  # more than one SCAN page and one delete batch
        gw0.set(f"k{i}", i)
    gw1.set("rate-limit", 7)
    gw1.set("k1", "mine")
    assert gw0.get("k1") == 1 and gw1.get("k1") == "mine"
    gw0.clear()
    assert gw0.get("k1") is None and gw0.get("k2499") is None
    assert gw1.get("rate-limit") == 7 and gw1.get("k1") == "mine"
    unprefixed = WorkerRedisCache(redis_server.url, {})
    unprefixed.clear()  # no prefix (no xdist): the whole database, as Django's own clear()
    assert gw1.get("rate-limit") is None


def test_browser_and_real_worker_tests_each_run_on_one_xdist_worker(request):
    items = {item.nodeid: item for item in request.session.items}
    groups = {marker: {item.get_closest_marker("xdist_group").args[0]
                       for item in items.values() if item.get_closest_marker(marker)}
              for marker in ("e2e", "services")}
    assert groups["e2e"] <= {"e2e"} and groups["services"] <= {"services"}
