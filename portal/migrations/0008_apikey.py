# The Open311 API keys move from the complaints app to the core's Open311 gateway (portal.open311). The table keeps
# its name and rows: only Django's idea of who owns the model changes, and the content type (which the audit log and
# the permissions point at) is renamed so their history follows the keys.

import django.db.models.deletion
import portal.models
from django.db import migrations, models


def _rename(apps, old, new):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label=new, model="apikey").exists():
        ContentType.objects.filter(app_label=old, model="apikey").update(app_label=new)


def move_content_type(apps, schema_editor):
    _rename(apps, "complaints", "portal")


def move_content_type_back(apps, schema_editor):
    _rename(apps, "portal", "complaints")


class Migration(migrations.Migration):

    dependencies = [
        ('portal', '0007_sealed_secrets'),
        ('complaints', '0005_citizen_language'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(database_operations=[], state_operations=[migrations.CreateModel(
            name='ApiKey',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(help_text='ใครใช้คีย์นี้', max_length=100, verbose_name='ชื่อ')),
                ('prefix', models.CharField(editable=False, max_length=12, verbose_name='ส่วนต้นของคีย์')),
                ('key_hash', models.CharField(editable=False, max_length=64, unique=True)),
                ('is_active', models.BooleanField(default=True, verbose_name='ใช้งาน')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='สร้างเมื่อ')),
                ('last_used_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='ใช้ล่าสุด')),
                ('organization', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='open311_api_keys', to='portal.organization', verbose_name='องค์กร')),
            ],
            options={
                'verbose_name': 'คีย์ Open311 API',
                'verbose_name_plural': 'คีย์ Open311 API',
                'db_table': 'complaints_apikey',
            },
            bases=(portal.models.AuditTaggedByOrganization, models.Model),
        )]),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
