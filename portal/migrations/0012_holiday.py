# The working-day calendar moves from complaints into the core (both complaints and e-service count on it). Only
# Django's idea of which app owns the model changes: the table keeps its name, and its content type is relabelled
# so audit rows already written about holidays still point at them.

from django.db import migrations, models


def relabel_content_type(apps, schema_editor, old="complaints", new="portal"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label=new, model="holiday").exists():
        ContentType.objects.filter(app_label=old, model="holiday").update(app_label=new)


def relabel_back(apps, schema_editor):
    relabel_content_type(apps, schema_editor, old="portal", new="complaints")


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('complaints', '0005_citizen_language'),
        ('portal', '0011_organization_host'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Holiday',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                                   verbose_name='ID')),
                        ('date', models.DateField(unique=True, verbose_name='วันที่')),
                        ('name', models.CharField(max_length=200, verbose_name='ชื่อวันหยุด')),
                    ],
                    options={
                        'verbose_name': 'วันหยุดราชการ',
                        'verbose_name_plural': 'วันหยุดราชการ',
                        'db_table': 'complaints_holiday',
                        'ordering': ['date'],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(relabel_content_type, relabel_back),
    ]
