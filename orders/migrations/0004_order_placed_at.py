"""The order's own date (R53) as a stored, indexed field, and the feed's new kinds (R54).

`placed_at` is added nullable, filled from the platform's creation date (or the back-office's for
orders made here) in one UPDATE, then made NOT NULL; the list's indexes move from created_at to it.
"""

from django.db import migrations, models


def fill_placed_at(apps, schema_editor):
    Order = apps.get_model("orders", "Order")
    Order.objects.filter(placed_at__isnull=True).update(
        placed_at=models.functions.Coalesce("external_created_at", "created_at")
    )


class Migration(migrations.Migration):
    dependencies = [("orders", "0003_order_list_indexes")]

    operations = [
        migrations.AddField(
            model_name="order",
            name="placed_at",
            field=models.DateTimeField(editable=False, null=True, verbose_name="date"),
        ),
        migrations.RunPython(fill_placed_at, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="order",
            name="placed_at",
            field=models.DateTimeField(editable=False, verbose_name="date"),
        ),
        migrations.AlterModelOptions(
            name="order",
            options={
                "ordering": ["-placed_at", "-id"],
                "permissions": [("add_products_without_deduction", "Can add products without deduction")],
                "verbose_name": "order",
                "verbose_name_plural": "orders",
            },
        ),
        migrations.RemoveIndex(model_name="order", name="order_store_created_idx"),
        migrations.AddIndex(
            model_name="order",
            index=models.Index(fields=["store", "-placed_at", "-id"], name="order_store_placed_idx"),
        ),
        migrations.AddIndex(
            model_name="order",
            index=models.Index(fields=["-placed_at", "-id"], name="order_placed_id_idx"),
        ),
        migrations.AlterField(
            model_name="order",
            name="external_created_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="placed on the platform"),
        ),
        migrations.AlterField(
            model_name="event",
            name="kind",
            field=models.CharField(
                choices=[
                    ("comment", "Comment"),
                    ("status", "Status change"),
                    ("write_off", "Write-off"),
                    ("delivery", "Delivery"),
                    ("ignored_change", "Platform change not applied"),
                    ("platform_push", "Sent to the platform"),
                    ("waybill", "Waybill"),
                    ("import", "Import"),
                    ("refresh", "Refresh"),
                ],
                max_length=32,
                verbose_name="kind",
            ),
        ),
    ]
