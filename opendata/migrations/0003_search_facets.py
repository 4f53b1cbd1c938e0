import opendata.models
from django.db import migrations, models


def rebuild_search_words(apps, schema_editor):
    """Every dataset's search words written afresh: in the title or not, and the dataset's facet values. Datasets
    indexed before this migration (and the words 0002 copied, all marked as not in the title) search and rank
    correctly straight after `migrate`, with no reindex to remember."""
    from opendata import search

    Dataset = apps.get_model("opendata", "Dataset")
    DatasetTerm = apps.get_model("opendata", "DatasetTerm")
    SearchFacet = apps.get_model("opendata", "SearchFacet")
    facet_cache = {}
    last = None
    while True:
        batch = Dataset.objects.order_by("pk").select_related("organization").prefetch_related(
            "tags", "groups", "resources")
        if last is not None:
            batch = batch.filter(pk__gt=last)
        batch = list(batch[:500])
        if not batch:
            return
        rows = []
        for dataset in batch:
            tag_names = [t.name for t in dataset.tags.all()]
            org = dataset.organization
            words = search.dataset_words(title=dataset.title, notes=dataset.notes, name=dataset.name,
                                         tag_names=tag_names, organization_names=[org.name_th, org.name_en])
            in_title = search.title_words(dataset.title)
            pairs = search.facet_pairs(
                organization_id=org.pk, tag_names=tag_names, group_names=[g.name for g in dataset.groups.all()],
                formats={r.format for r in dataset.resources.all()}, license_id=dataset.license_id,
                data_type=dataset.data_type)
            missing = pairs - set(facet_cache)
            if missing:
                facet_cache.update(search.facet_id_map(SearchFacet, missing))
            facets = sorted(facet_cache[p] for p in pairs)
            rows += [DatasetTerm(dataset_id=dataset.pk, term=w, organization_id=org.pk,
                                 published=dataset.state == "published", modified=dataset.metadata_modified,
                                 in_title=w in in_title, facets=facets) for w in [*words, search.EVERY]]
            if " ".join(words) != dataset.search_text:
                Dataset.objects.filter(pk=dataset.pk).update(search_text=" ".join(words))
        DatasetTerm.objects.filter(dataset_id__in=[d.pk for d in batch]).delete()
        DatasetTerm.objects.bulk_create(rows, batch_size=5000)
        last = batch[-1].pk


class Migration(migrations.Migration):

    dependencies = [
        ('opendata', '0002_search_index'),
    ]

    operations = [
        migrations.CreateModel(
            name='SearchFacet',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('field', models.CharField(max_length=20)),
                ('value', models.CharField(max_length=300)),
            ],
            options={
                'verbose_name': 'ค่าตัวกรองการค้นหา',
                'verbose_name_plural': 'ค่าตัวกรองการค้นหา',
            },
        ),
        migrations.AddConstraint(
            model_name='searchfacet',
            constraint=models.UniqueConstraint(fields=('field', 'value'), name='od_facet_uniq'),
        ),
        migrations.RemoveIndex(
            model_name='datasetterm',
            name='od_term_search',
        ),
        migrations.AddField(
            model_name='datasetterm',
            name='facets',
            field=opendata.models.IntegerListField(default=list),
        ),
        # The index before the rows: PostgreSQL refuses CREATE INDEX on a table with deferred constraint checks
        # still pending in the same transaction, which the rebuild's inserts leave on a database that has data.
        migrations.AddIndex(
            model_name='datasetterm',
            index=models.Index(fields=['term', 'published', 'organization', 'modified', 'in_title', 'dataset'], include=('facets',), name='od_term_search'),
        ),
        migrations.RunPython(rebuild_search_words, migrations.RunPython.noop),
    ]
