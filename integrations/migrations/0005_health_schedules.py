"""The store-health schedules (R43, R44), created once; operators may edit their timing."""

from datetime import datetime, time, timedelta

from django.db import migrations
from django.utils import timezone

SCHEDULES = {
    "Check every store's health": {"func": "integrations.tasks.check_all_stores_health", "schedule_type": "I",
                                   "minutes": 5, "repeats": -1},
    "Reconcile every store with its platform": {"func": "integrations.tasks.reconcile_all_stores",
                                                "schedule_type": "D", "repeats": -1},
}


def _next_night():
    """The daily reconciliation runs at 04:00 local time, when shops and their APIs are quiet."""
    now = timezone.localtime()
    night = timezone.make_aware(datetime.combine(now.date(), time(4)))
    return night if night > now else night + timedelta(days=1)


def create_schedules(apps, schema_editor):
    Schedule = apps.get_model("django_q", "Schedule")
    for name, fields in SCHEDULES.items():
        extra = {"next_run": _next_night()} if fields["schedule_type"] == "D" else {}
        Schedule.objects.get_or_create(name=name, defaults={**fields, **extra})


def remove_schedules(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.filter(name__in=list(SCHEDULES)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("integrations", "0004_store_health"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(create_schedules, remove_schedules)]
