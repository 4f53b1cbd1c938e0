"""Settings for the test suite: the project's own settings (still driven by DATABASE_URL / REDIS_URL), plus what
only tests want. pyproject.toml points pytest-django here; `manage.py` and the Celery worker keep portal.settings
unless DJANGO_SETTINGS_MODULE says otherwise (a worker started by a test inherits this module)."""

import os

from portal.settings import *  # noqa: F403
from portal.settings import REDIS_URL, env

# The production hasher costs about half a second per hash on purpose; the suite creates and logs in hundreds of
# users. Nothing here tests the hasher itself.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Tasks run in-process and a task's exception fails the test that queued it. Tests marked `services` switch this
# off and start a real worker (tests/conftest.py); a worker started with CELERY_TASK_ALWAYS_EAGER=0 keeps it off.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
CELERY_TASK_EAGER_PROPAGATES = True

# Several test processes share one Redis database (pytest-xdist's workers, and scripts/test.sh's browser-test
# process beside them): each keeps its cache keys under its own prefix, and a test's cache.clear() removes only
# its own process's keys (tests/cache.py). The Celery broker and results stay shared: the tests that use a real
# broker run in one xdist group.
CACHE_PREFIX = os.environ.get("PYTEST_XDIST_WORKER") or os.environ.get("TEST_CACHE_PREFIX", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "tests.cache.WorkerRedisCache", "LOCATION": REDIS_URL,
                          "KEY_PREFIX": CACHE_PREFIX}}

# The suite never needs a commit to survive a crash: on PostgreSQL its sessions commit without waiting for the WAL to
# reach the disk (migrations of each test database, committing tests and their flushes).
if DATABASES["default"]["ENGINE"].endswith("postgresql"):  # noqa: F405
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c synchronous_commit=off"  # noqa: F405
