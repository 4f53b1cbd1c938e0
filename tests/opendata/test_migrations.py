"""Migrations run forward on a database that already holds a catalogue, not only on an empty one."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from opendata import services
from opendata.models import DatasetTerm
from tests.opendata.factories import make_dataset


@pytest.mark.django_db(transaction=True)
def test_search_migrations_upgrade_a_database_with_datasets(org):
    """The search-facet migration rebuilds every dataset's words; on PostgreSQL its index must not be created after
    those inserts in the same transaction ("cannot CREATE INDEX ... pending trigger events")."""
    dataset = make_dataset(org, name="before-upgrade", title="สถิติน้ำประปา", tags=["แผนที่"])
    services.add_resource(dataset=dataset, name="ลิงก์", url="https://example.org/a.csv", declared_format="CSV")
    executor = MigrationExecutor(connection)
    executor.migrate([("opendata", "0002_search_index")])
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert not MigrationExecutor(connection).migration_plan(executor.loader.graph.leaf_nodes())
    words = DatasetTerm.objects.filter(dataset=dataset)
    assert words.filter(in_title=True).exists() and all(term.facets for term in words)
