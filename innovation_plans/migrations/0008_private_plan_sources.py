# Plan source documents become private files (issue: an unpublished plan's source was downloadable under /media/).

import portal.outputs.files
from django.db import migrations, models


def move_sources_to_private_storage(apps, schema_editor):
    """Each stored source leaves MEDIA_ROOT for private storage under a random name; the public copy is deleted."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from portal.outputs.files import private_storage, private_upload_to

    Plan = apps.get_model("innovation_plans", "Plan")
    upload_to = private_upload_to("innovation_plans/sources")
    for plan in Plan.objects.exclude(source_document="").only("pk", "source_document", "source_name").iterator():
        old_name = plan.source_document.name
        if private_storage.exists(old_name) or not default_storage.exists(old_name):
            continue  # already private, or the file is gone (nothing public left to hide)
        with default_storage.open(old_name, "rb") as public:
            new_name = private_storage.save(upload_to(plan, plan.source_name or old_name), ContentFile(public.read()))
        Plan.objects.filter(pk=plan.pk).update(source_document=new_name)
        default_storage.delete(old_name)


class Migration(migrations.Migration):

    dependencies = [
        ('innovation_plans', '0007_thai_only_example_help'),
    ]

    operations = [
        migrations.AlterField(
            model_name='plan',
            name='source_document',
            field=models.FileField(blank=True, help_text='ไฟล์ที่นำเข้า', max_length=200, storage=portal.outputs.files.PrivateStorage(), upload_to=portal.outputs.files.private_upload_to('innovation_plans/sources'), verbose_name='เอกสารต้นฉบับ'),
        ),
        migrations.RunPython(move_sources_to_private_storage, migrations.RunPython.noop, elidable=True),
    ]
