"""The checkpoint of a backfill run as a Shopify bulk operation (R50)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("integrations", "0009_store_webhook_subscriptions")]

    operations = [
        migrations.AddField(
            model_name="store",
            name="backfill_bulk_id",
            field=models.CharField(blank=True, editable=False, max_length=255),
        ),
        migrations.AddField(
            model_name="store",
            name="backfill_bulk_url_encrypted",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.AddField(
            model_name="store",
            name="backfill_bulk_url_expires",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="store",
            name="backfill_bulk_line",
            field=models.PositiveBigIntegerField(default=0, editable=False),
        ),
        migrations.AddField(
            model_name="store",
            name="backfill_bulk_objects",
            field=models.PositiveBigIntegerField(blank=True, editable=False, null=True),
        ),
    ]
