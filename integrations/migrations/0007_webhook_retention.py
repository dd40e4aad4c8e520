"""Webhook deliveries are told apart by their body (R49, R51), and two schedules keep the queue healthy:
a sweep drains every store whose deliveries wait longer than they should (a drain that could not be queued),
and old deliveries that are done are pruned (docs/webhooks.md). Operators may edit their timing."""

from datetime import datetime, time, timedelta

from django.db import migrations, models
from django.utils import timezone

SCHEDULES = {
    "Drain webhook deliveries left waiting": {"func": "integrations.tasks.sweep_webhook_queues",
                                              "schedule_type": "I", "minutes": 1, "repeats": -1},
    "Prune old webhook deliveries": {"func": "integrations.tasks.prune_webhook_deliveries", "schedule_type": "D",
                                     "repeats": -1},
}


def _next_night():
    """The daily prune runs at 03:30 local time, before the 04:00 reconciliation, when shops are quiet."""
    now = timezone.localtime()
    night = timezone.make_aware(datetime.combine(now.date(), time(3, 30)))
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
        ("integrations", "0006_webhook_queue"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="webhookdelivery", name="webhook_unique_delivery"),
        # Nullable: the rows already there keep no digest, and nulls never collide in a unique constraint.
        migrations.AddField(
            model_name="webhookdelivery",
            name="body_digest",
            field=models.CharField(blank=True, editable=False, max_length=64, null=True),
        ),
        migrations.AddConstraint(
            model_name="webhookdelivery",
            constraint=models.UniqueConstraint(fields=("store", "topic", "body_digest"), name="webhook_unique_body"),
        ),
        migrations.RunPython(create_schedules, remove_schedules),
    ]
