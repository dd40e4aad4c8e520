"""The periodic poll of every enabled store (R4), created once; operators may edit its interval."""

from django.db import migrations


def create_schedules(apps, schema_editor):
    Schedule = apps.get_model("django_q", "Schedule")
    Schedule.objects.get_or_create(
        name="Poll every store for changes",
        defaults={"func": "integrations.tasks.poll_all_stores", "schedule_type": "I", "minutes": 5, "repeats": -1},
    )


def remove_schedules(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.filter(name="Poll every store for changes").delete()


class Migration(migrations.Migration):
    dependencies = [("integrations", "0002_initial"), ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more")]

    operations = [migrations.RunPython(create_schedules, remove_schedules)]
