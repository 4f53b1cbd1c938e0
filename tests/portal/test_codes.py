import itertools

import pytest
from django.db import transaction

from portal.models import BackgroundJob, Organization
from portal.outputs.codes import insert_with_code
from tests.portal.factories import OrganizationFactory


def _codes(*values):
    it = iter(values)
    return lambda: next(it)


@pytest.mark.django_db(transaction=True)
def test_collision_is_retried_with_a_new_code():
    OrganizationFactory(slug="taken")
    fresh = Organization(name_th="x", kind="sao", district="d", province="p", code_prefix="ZZ")
    insert_with_code(fresh, field="slug", make_code=_codes("taken", "taken", "free"))
    assert Organization.objects.get(pk=fresh.pk).slug == "free"


@pytest.mark.django_db(transaction=True)
def test_then_runs_in_the_same_transaction_and_a_failure_rolls_back():
    fresh = Organization(name_th="x", kind="sao", district="d", province="p", code_prefix="ZZ")

    def then():
        BackgroundJob.objects.create(kind="x.y", organization=fresh)
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        insert_with_code(fresh, field="slug", make_code=_codes("one"), then=then)
    assert not Organization.objects.filter(slug="one").exists()
    assert not BackgroundJob.objects.exists()


@pytest.mark.django_db
def test_inside_a_callers_transaction_a_collision_uses_a_savepoint():
    OrganizationFactory(slug="taken")
    with transaction.atomic():
        fresh = Organization(name_th="x", kind="sao", district="d", province="p", code_prefix="ZZ")
        insert_with_code(fresh, field="slug", make_code=_codes("taken", "free2"))
        assert Organization.objects.filter(slug="free2").exists()


@pytest.mark.django_db(transaction=True)
def test_gives_up_after_a_bounded_number_of_collisions():
    OrganizationFactory(slug="taken")
    fresh = Organization(name_th="x", kind="sao", district="d", province="p", code_prefix="ZZ")
    with pytest.raises(RuntimeError):
        insert_with_code(fresh, field="slug", make_code=lambda: "taken")


@pytest.mark.django_db(transaction=True)
def test_other_integrity_errors_are_not_retried():
    from django.db import IntegrityError

    counter = itertools.count()
    fresh = Organization(name_th=None, kind="sao", district="d", province="p", code_prefix="ZZ")
    with pytest.raises(IntegrityError):
        insert_with_code(fresh, field="slug", make_code=lambda: f"s{next(counter)}")
    assert next(counter) == 1
