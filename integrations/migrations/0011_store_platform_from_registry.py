# Store.platform's choices come from the platform registry through a callable (integrations.models.platform_choices):
# migrations name the function, not the platforms, so registering a platform needs no migration. Keep the function.

import integrations.models
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('integrations', '0010_store_backfill_bulk'),
    ]

    operations = [
        migrations.AlterField(
            model_name='store',
            name='platform',
            field=models.CharField(choices=integrations.models.platform_choices, max_length=20, verbose_name='platform'),
        ),
    ]
