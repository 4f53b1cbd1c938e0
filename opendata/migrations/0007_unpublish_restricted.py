from django.db import migrations
from django.utils import timezone

# The thai-gdc values after 0006: only public data of the open class may be published (opendata.workflow).
PUBLIC, OPEN = "ข้อมูลสาธารณะ", "เปิดเผย"


def unpublish_restricted(apps, schema_editor):
    """Datasets relabelled restricted (personal, secret...) while published, before publishing checked it, go back
    to draft and out of the search index's public copies; each leaves an audit row naming this migration."""
    Dataset = apps.get_model("opendata", "Dataset")
    DatasetTerm = apps.get_model("opendata", "DatasetTerm")
    LogEntry = apps.get_model("auditlog", "LogEntry")
    ContentType = apps.get_model("contenttypes", "ContentType")
    restricted = (Dataset.objects.filter(state="published")
                  .exclude(data_category=PUBLIC, data_classification=OPEN))
    now = timezone.now()
    content_type = None
    for dataset in restricted.iterator():
        if content_type is None:
            content_type, _ = ContentType.objects.get_or_create(app_label="opendata", model="dataset")
        Dataset.objects.filter(pk=dataset.pk).update(state="draft", metadata_modified=now)
        DatasetTerm.objects.filter(dataset_id=dataset.pk).update(published=False, modified=now)
        LogEntry.objects.create(
            content_type=content_type, object_pk=str(dataset.pk), object_id=dataset.pk if isinstance(dataset.pk, int) else None, object_repr=dataset.name[:200],
            action=1, changes={"state": ["published", "draft"]},
            additional_data={"organization_id": dataset.organization_id, "event": "opendata.dataset.unpublished",
                             "actor": "system:migration:opendata.0007_unpublish_restricted"})


class Migration(migrations.Migration):

    dependencies = [
        ("opendata", "0006_thai_gdc_values"),
        ("auditlog", "0017_add_actor_email"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(unpublish_restricted, migrations.RunPython.noop),
    ]
