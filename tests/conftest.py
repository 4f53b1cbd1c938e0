import pytest

from portal.notifications.sms import LocmemSMSBackend


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
def _fresh_cache():
    """Rate-limit counters and cached lookups never leak from one test into the next."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private-media"
    settings.SMS_BACKEND = "portal.notifications.sms.LocmemSMSBackend"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.RATELIMIT_ENABLE = False
    LocmemSMSBackend.outbox = []


@pytest.fixture
def org(db):
    from tests.portal.factories import OrganizationFactory

    return OrganizationFactory()


@pytest.fixture
def other_org(db):
    from tests.portal.factories import OrganizationFactory

    return OrganizationFactory()
