"""Webhook subscriptions registered by the back-office (R48): what each store holds on its platform, what is
missing, and an hourly check of every store against its platform (operators may edit its timing)."""

from django.db import migrations, models

SCHEDULE = "Check every store's webhook subscriptions"


def create_schedule(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.get_or_create(
        name=SCHEDULE,
        defaults={"func": "integrations.tasks.check_all_webhook_subscriptions", "schedule_type": "H", "repeats": -1},
    )


def remove_schedule(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.filter(name=SCHEDULE).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("integrations", "0008_store_api_version_seen"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [
        migrations.AddField(
            model_name="store",
            name="webhook_subscriptions",
            field=models.JSONField(blank=True, default=list, editable=False),
        ),
        migrations.AddField(
            model_name="store",
            name="webhooks_missing",
            field=models.JSONField(blank=True, default=list, editable=False),
        ),
        migrations.AddField(
            model_name="store",
            name="webhooks_error",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.AddField(
            model_name="store",
            name="webhooks_checked_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(create_schedule, remove_schedule),
    ]
