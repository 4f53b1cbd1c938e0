"""Migrations run forward on a database that already holds a catalogue, not only on an empty one."""

import pytest
from django.db.migrations.loader import MigrationLoader

from tests.migrations import migrate


@pytest.mark.postgres  # its subject: PostgreSQL refuses an index created after inserts in the same transaction
def test_search_migrations_upgrade_a_database_with_datasets(scratch_db):
    """The search-facet migration rebuilds every dataset's words; on PostgreSQL its index must not be created after
    those inserts in the same transaction ("cannot CREATE INDEX ... pending trigger events"). On a scratch database
    of the suite's engine (tests/migrations.py), from the first search migration to the last open-data one."""
    old = migrate([("opendata", "0002_search_index")])
    organization = old.get_model("portal", "Organization").objects.create(
        slug="old", name_th="เทศบาลเก่า", kind="sao", district="เมือง", province="ขอนแก่น")
    dataset = old.get_model("opendata", "Dataset").objects.create(
        organization=organization, name="before-upgrade", title="สถิติน้ำประปา", state="published",
        data_type="statistical", update_frequency_unit="month", data_category="public",
        data_classification="open", license_id="cc-by")
    dataset.tags.add(old.get_model("opendata", "Tag").objects.create(name="แผนที่"))
    old.get_model("opendata", "Resource").objects.create(
        dataset=dataset, name="ลิงก์", url="https://example.org/a.csv", format="CSV")
    new = migrate(MigrationLoader(None, ignore_no_migrations=True).graph.leaf_nodes("opendata"))
    words = new.get_model("opendata", "DatasetTerm").objects.filter(dataset_id=dataset.pk)
    assert all(term.facets for term in words)
    assert {(w.term, w.in_title) for w in words} >= {("สถิติ", True), ("น้ำประปา", True), ("แผนที่", False)}
