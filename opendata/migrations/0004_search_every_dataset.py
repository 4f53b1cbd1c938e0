from django.db import migrations


def add_every_word(apps, schema_editor):
    """The word every dataset has (a search with no words reads the index too), for datasets indexed before it
    existed: copied in one statement from one of the dataset's other words (same organization, state, last change
    and facet values)."""
    from opendata import search

    DatasetTerm = apps.get_model("opendata", "DatasetTerm")
    connection = schema_editor.connection
    table = connection.ops.quote_name(DatasetTerm._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (term, dataset_id, organization_id, published, modified, in_title, facets) "
            f"SELECT %s, t.dataset_id, t.organization_id, t.published, t.modified, %s, t.facets FROM {table} t "
            f"WHERE t.id IN (SELECT MIN(id) FROM {table} GROUP BY dataset_id) "
            f"AND NOT EXISTS (SELECT 1 FROM {table} e WHERE e.dataset_id = t.dataset_id AND e.term = %s)",
            [search.EVERY, False, search.EVERY])


class Migration(migrations.Migration):

    dependencies = [
        ('opendata', '0003_search_facets'),
    ]

    operations = [
        migrations.RunPython(add_every_word, migrations.RunPython.noop),
    ]
