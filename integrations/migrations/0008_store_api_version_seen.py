# The Admin API version the platform last answered with (R47).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("integrations", "0007_webhook_retention"),
    ]

    operations = [
        migrations.AddField(
            model_name="store",
            name="api_version_seen",
            field=models.CharField(blank=True, editable=False, max_length=20, verbose_name="API version answered"),
        ),
    ]
