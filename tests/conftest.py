import os

import pytest

from portal.notifications.sms import LocmemSMSBackend

# Under pytest-xdist with `--dist loadgroup` (scripts/test.sh, when one stage runs everything) each group below
# runs whole on one worker: the browser tests share one live server and one browser, and the tests that start a real Celery worker share
# the Redis broker. Every other test is independent and goes wherever a worker is free.
XDIST_GROUPS = {"e2e": "e2e", "services": "services"}


# scripts/test.sh runs the suite twice, on SQLite and then on PostgreSQL + Redis. A test that never opens the
# database gives the same answer on both, so the second run (TEST_STAGE=second) leaves it out; heavy tests whose
# subject does not depend on the engine (outside clients fuzzing the API, migration round trips) are marked
# `once` and run only in the second stage (the first leaves them out with -m when the second will run).
DB_FIXTURES = {"db", "transactional_db", "django_db_reset_sequences", "django_db_serialized_rollback", "live_server",
               "scratch_db"}


def _opens_the_database(item):
    return bool(item.get_closest_marker("django_db") or DB_FIXTURES & set(getattr(item, "fixturenames", ())))


# With TEST_ENGINES=split (scripts/test.sh's default when both stages run) each test that opens the database runs on
# one engine only, to keep `make test` within ten minutes: the tests that need PostgreSQL (markers `services` and
# `postgres`) on PostgreSQL, those about SQLite itself (marker `sqlite`) on SQLite, every other one on the engine its
# file's digest picks (one file in three on PostgreSQL, the same every run). TEST_ENGINES=both runs every one on both.
def database_engine_of(item) -> str:
    import hashlib

    if item.get_closest_marker("services") or item.get_closest_marker("postgres"):
        return "postgresql"
    if item.get_closest_marker("sqlite"):
        return "sqlite"
    path = item.nodeid.split("::", 1)[0]
    # one file in three: a test takes longer on PostgreSQL
    return "postgresql" if hashlib.sha256(path.encode()).digest()[0] % 3 == 0 else "sqlite"


# A test that commits (transactional_db, live_server: the browser tests, the real-worker tests) is followed by Django's
# flush. On PostgreSQL that is one TRUNCATE of every table, which makes new files for each table and index: 0.5-2 s
# a time, more than many of those tests themselves. DELETE of the few rows a test left is a few milliseconds (the
# foreign keys Django makes are deferrable, so the order does not matter). The content types and permissions stay:
# flush's post_migrate then finds them all and writes nothing, and their ids stay what Django's cache holds.
KEPT_BY_FLUSH = ("django_content_type", "auth_permission")


def _flush_by_delete():
    from django.db.backends.postgresql.operations import DatabaseOperations

    truncate = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences:
            return truncate(self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        deletes = [f"DELETE FROM {self.quote_name(table)};" for table in tables if table not in KEPT_BY_FLUSH]
        return ["SET CONSTRAINTS ALL DEFERRED;", *deletes] if deletes else []

    DatabaseOperations.sql_flush = sql_flush


def _answer_without_delay():
    """The live server (Django's WSGI server) writes a response's headers and its body in two sends: with Nagle's
    algorithm on, the body waits for the client's delayed ACK of the headers, 40 ms on Linux, on every request a
    browser or an API client makes. Production servers (gunicorn) set TCP_NODELAY; so does the live server here."""
    from django.core.servers.basehttp import WSGIRequestHandler

    WSGIRequestHandler.disable_nagle_algorithm = True


def pytest_configure(config):
    from tests import testdb

    _flush_by_delete()
    _answer_without_delay()
    testdb.install()


def pytest_collection_modifyitems(config, items):
    for item in items:
        for marker, group in XDIST_GROUPS.items():
            if item.get_closest_marker(marker):
                item.add_marker(pytest.mark.xdist_group(group))
                break
    second = os.environ.get("TEST_STAGE") == "second"
    left_out = set()
    if second:
        left_out = {item for item in items if not _opens_the_database(item)
                    and not item.get_closest_marker("once") and not item.get_closest_marker("services")}
    if os.environ.get("TEST_ENGINES") == "split":
        here = "postgresql" if second else "sqlite"
        # the `once` tests beside the stages stay whole; those run in a stage (marker cpu) go by their file's engine
        beside = {item for item in items if item.get_closest_marker("e2e")
                  or (item.get_closest_marker("once") and not item.get_closest_marker("cpu"))}
        left_out |= {item for item in items if _opens_the_database(item) and item not in beside
                     and database_engine_of(item) != here}
    if left_out:
        config.hook.pytest_deselected(items=list(left_out))
        items[:] = [item for item in items if item not in left_out]
    # The longest tests (marker cpu: a minute of a core each) first, so xdist's workers do not end with one of them
    # running alone while the other worker has nothing left.
    items.sort(key=lambda item: item.get_closest_marker("cpu") is None)


@pytest.fixture(autouse=True)
def _eager_tasks_unless_real_worker(request, settings):
    """Tasks run in-process in tests, except in tests marked `services`, which start a real worker."""
    from portal.celery import app

    eager = request.node.get_closest_marker("services") is None
    settings.CELERY_TASK_ALWAYS_EAGER = eager
    app.conf.task_always_eager = eager
    yield
    app.conf.task_always_eager = True


@pytest.fixture(autouse=True)
def _thai_first():
    """Every test starts in the portal's default language: a test that switched to English (or rendered an
    English page in this thread) must not change what the next test on the same worker sees."""
    from django.utils import translation

    translation.activate("th")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters and cached lookups never leak from one test into the next, nor do the per-process
    memos in front of the cache (a test's rows are rolled back without the signals that would forget them)."""
    from django.core.cache import cache

    from portal.machinery.cache import Memo

    cache.clear()
    for memo in Memo.registry.values():
        memo.forget_local()
    yield


def isolated_settings(directory) -> dict:
    """What every test runs with (and data built for a whole module, tests/portal/test_tenancy.py): files in its own
    folders under `directory`, messages kept in memory, no rate limits."""
    return {"MEDIA_ROOT": directory / "media", "PRIVATE_MEDIA_ROOT": directory / "private-media",
            "SMS_BACKEND": "portal.notifications.sms.LocmemSMSBackend",
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend", "RATELIMIT_ENABLE": False}


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    for name, value in isolated_settings(tmp_path).items():
        setattr(settings, name, value)
    LocmemSMSBackend.outbox = []


@pytest.fixture
def scratch_db(tmp_path, django_db_blocker):
    """For the test, the default connection is an empty database of the suite's engine, to migrate as far as the
    test needs (tests/migrations.py); the test database is untouched."""
    from tests.migrations import scratch_database

    with scratch_database(tmp_path, django_db_blocker):
        yield


@pytest.fixture
def org(db):
    from tests.portal.factories import OrganizationFactory

    return OrganizationFactory()


@pytest.fixture
def other_org(db):
    from tests.portal.factories import OrganizationFactory

    return OrganizationFactory()


# The clerk's set-up wizard (portal.onboarding and each app's setup.py): an organization invited but not yet open,
# and its administrator signed in. A test module that needs more (departments, no tax ID) overrides `new_org`.
@pytest.fixture
def new_org(db):
    from portal.models import OrganizationSetup
    from tests.portal.factories import OrganizationFactory

    organization = OrganizationFactory(is_active=False)
    OrganizationSetup.objects.create(organization=organization)
    return organization


@pytest.fixture
def clerk_user(new_org):
    from portal.models import Role
    from tests.portal.factories import staff

    return staff(new_org, Role.ADMINISTRATOR)


@pytest.fixture
def clerk(clerk_user):
    from django.test import Client

    client = Client()
    client.force_login(clerk_user)
    return client
