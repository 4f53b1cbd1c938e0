"""portal.machinery.cache.Memo: the one cache layer, with its invalidation rules."""

import pytest

from portal.machinery.cache import Memo
from portal.models import Department
from tests.portal.factories import DepartmentFactory


@pytest.fixture
def memo():
    loads = []

    def load(org_id):
        loads.append(org_id)
        return sorted(Department.objects.filter(organization_id=org_id).values_list("code", flat=True))

    memo = Memo("test-departments", load, seconds=60, local_seconds=5,
                invalidate_on=[(Department, lambda d: d.organization_id)])
    memo.loads = loads
    yield memo
    from django.db.models import signals

    for signal in (signals.post_save, signals.post_delete):
        signal.disconnect(sender=Department, dispatch_uid=f"memo-test-departments-portal.department-"
                          f"{'save' if signal is signals.post_save else 'delete'}")


@pytest.mark.django_db
def test_memo_loads_once_and_forgets_on_save_and_delete(org, memo, django_assert_num_queries):
    first = DepartmentFactory(organization=org, code="a")
    assert memo.get(org.pk) == ["a"]
    with django_assert_num_queries(0):
        assert memo.get(org.pk) == ["a"]
    DepartmentFactory(organization=org, code="b")  # post_save forgets
    assert memo.get(org.pk) == ["a", "b"]
    first.delete()  # post_delete forgets
    assert memo.get(org.pk) == ["b"]
    assert memo.loads == [org.pk, org.pk, org.pk]


@pytest.mark.django_db
def test_update_bypassing_signals_is_seen_after_the_local_time(org, memo, monkeypatch):
    import time

    from django.core.cache import cache

    DepartmentFactory(organization=org, code="a")
    assert memo.get(org.pk) == ["a"]
    Department.objects.filter(organization=org).update(code="z")  # no signal
    cache.delete(memo.cache_key(org.pk))  # as if the shared entry expired
    assert memo.get(org.pk) == ["a"]  # this process's memo, within local_seconds
    later = time.monotonic() + 6
    monkeypatch.setattr(time, "monotonic", lambda: later)
    assert memo.get(org.pk) == ["z"]


@pytest.mark.django_db
def test_none_is_not_cached(org, memo):
    calls = []
    empty = Memo("test-none", lambda key: calls.append(key), seconds=60)
    assert empty.get(1) is None and empty.get(1) is None
    assert calls == [1, 1]
