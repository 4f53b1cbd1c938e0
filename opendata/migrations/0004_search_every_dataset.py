from importlib import import_module

from django.db import migrations


def rebuild_search_words(apps, schema_editor):
    """Search words rebuilt once more, now with the word every dataset has (a search with no words reads the
    index too)."""
    import_module("opendata.migrations.0003_search_facets").rebuild_search_words(apps, schema_editor)


class Migration(migrations.Migration):

    dependencies = [
        ('opendata', '0003_search_facets'),
    ]

    operations = [
        migrations.RunPython(rebuild_search_words, migrations.RunPython.noop),
    ]
