# The API keys now belong to portal.open311 (portal 0007): the model leaves this app's state, the table stays.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('complaints', '0005_citizen_language'),
        ('portal', '0008_apikey'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(database_operations=[], state_operations=[
            migrations.DeleteModel(name='ApiKey'),
        ]),
    ]
