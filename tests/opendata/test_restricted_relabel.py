"""A published dataset cannot be relabelled restricted (personal data, internal, secret, or a classification other
than open) while it stays public: the admin refuses the change with a message saying to unpublish first; once
unpublished it may be relabelled, and then it cannot be published again."""

import pytest
from django.test import Client
from django.urls import reverse

from opendata.models import Dataset
from portal.models import Role
from tests.complaints.factories import change_page_data
from tests.portal.factories import staff

from .factories import make_dataset

pytestmark = pytest.mark.django_db


def _admin(org):
    client = Client()
    client.force_login(staff(org, Role.ADMINISTRATOR))
    return client


@pytest.mark.parametrize("field, value, message", [
    ("data_category", Dataset.Category.PERSONAL, "เผยแพร่ได้เฉพาะข้อมูลสาธารณะ"),
    ("data_category", Dataset.Category.INTERNAL, "เผยแพร่ได้เฉพาะข้อมูลสาธารณะ"),
    ("data_classification", Dataset.Classification.CONFIDENTIAL, "เผยแพร่ได้เฉพาะข้อมูลชั้น"),
])
def test_relabelling_a_published_dataset_restricted_is_refused(org, field, value, message):
    dataset = make_dataset(org, name="residents")
    client = _admin(org)
    url = reverse("admin:opendata_dataset_change", args=[dataset.pk])
    response = client.post(url, change_page_data(client, url, fields={field: value}, button="_save"))
    assert response.status_code == 400 and message in response.content.decode()  # refused input: a 4xx
    dataset.refresh_from_db()
    assert dataset.state == Dataset.State.PUBLISHED
    assert (dataset.data_category, dataset.data_classification) == (Dataset.Category.PUBLIC,
                                                                    Dataset.Classification.OPEN)
    public = Client().get(reverse("opendata:dataset", args=[org.slug, dataset.name]))
    assert public.status_code == 200


def test_an_unpublished_dataset_may_be_relabelled_and_then_stays_unpublished(org):
    dataset = make_dataset(org, name="residents", publish=False)
    client = _admin(org)
    url = reverse("admin:opendata_dataset_change", args=[dataset.pk])
    response = client.post(url, change_page_data(client, url, fields={"data_category": Dataset.Category.PERSONAL},
                                                 button="_save"))
    assert response.status_code == 302
    changelist = reverse("admin:opendata_dataset_changelist")
    client.post(changelist, {"action": "publish", "_selected_action": [str(dataset.pk)]})
    dataset.refresh_from_db()
    assert dataset.state == Dataset.State.DRAFT and dataset.data_category == Dataset.Category.PERSONAL
    assert Client().get(reverse("opendata:dataset", args=[org.slug, dataset.name])).status_code == 404


@pytest.mark.once  # engine-independent and heavy: runs in one stage (tests/conftest.py)
@pytest.mark.django_db(transaction=True)
def test_upgrading_unpublishes_datasets_relabelled_restricted_before_the_rule(org):
    """Published datasets already labelled restricted by an older version (which did not refuse it) go back to
    draft and out of the public search when the database is upgraded; public ones stay published."""
    from auditlog.models import LogEntry
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from opendata.models import DatasetTerm

    kept = make_dataset(org, name="public-one")
    relabelled = make_dataset(org, name="relabelled-one")
    executor = MigrationExecutor(connection)
    executor.migrate([("opendata", "0006_thai_gdc_values")])
    # as the old code let it (the old schema has no constraint against it)
    Dataset.objects.filter(pk=relabelled.pk).update(data_category=Dataset.Category.PERSONAL)
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert Dataset.objects.get(pk=relabelled.pk).state == Dataset.State.DRAFT
    assert Dataset.objects.get(pk=kept.pk).state == Dataset.State.PUBLISHED
    assert not DatasetTerm.objects.filter(dataset_id=relabelled.pk, published=True).exists()
    assert LogEntry.objects.filter(object_pk=str(relabelled.pk),
                                   additional_data__event="opendata.dataset.unpublished").exists()
    assert Client().get(reverse("opendata:dataset", args=[org.slug, relabelled.name])).status_code == 404


@pytest.mark.parametrize("field, value", [
    ("data_category", Dataset.Category.PERSONAL),
    ("data_classification", Dataset.Classification.CONFIDENTIAL),
])
def test_no_path_around_the_form_makes_a_restricted_dataset_public(org, field, value):
    """A plain save or a bulk update of a published dataset to a restricted label is refused by the database."""
    from django.db import IntegrityError, transaction

    dataset = make_dataset(org, name=f"plain-{field}", publish=True)
    setattr(dataset, field, value)
    with pytest.raises(IntegrityError), transaction.atomic():
        dataset.save()
    with pytest.raises(IntegrityError), transaction.atomic():
        Dataset.objects.filter(pk=dataset.pk).update(**{field: value})
    assert Dataset.objects.filter(pk=dataset.pk, state="published", data_category=Dataset.Category.PUBLIC,
                                  data_classification=Dataset.Classification.OPEN).exists()
