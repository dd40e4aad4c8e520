"""Default statuses and the "Online order" type that imported orders start with (DESIGN.md).

"Completed" is the one completed status: reaching it is what WooCommerce hears as `completed` (R9),
so "Cancelled" is deliberately not marked completed.
"""

from django.db import migrations

DEFAULT_STATUSES = [("New", False, 10), ("In progress", False, 20), ("Completed", True, 90), ("Cancelled", False, 95)]


def create_defaults(apps, schema_editor):
    Status = apps.get_model("orders", "Status")
    OrderType = apps.get_model("orders", "OrderType")
    by_name = {}
    for name, completed, position in DEFAULT_STATUSES:
        by_name[name], _ = Status.objects.get_or_create(
            name=name, defaults={"is_completed": completed, "position": position}
        )
    OrderType.objects.get_or_create(name="Online order", defaults={"initial_status": by_name["New"]})


class Migration(migrations.Migration):
    dependencies = [("orders", "0001_initial")]

    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]
