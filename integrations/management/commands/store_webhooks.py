"""List a store's webhook subscriptions on its platform, present and missing; --repair creates the missing (R48)."""

from django.core.management.base import BaseCommand, CommandError

from integrations.models import Store
from integrations.platforms import platform_for
from integrations.webhook_address import shown_address
from integrations.webhook_subscriptions import store_webhooks_check


class Command(BaseCommand):
    help = (
        "List the webhook subscriptions the store's platform holds for its address, and those missing; "
        "--repair creates the missing ones. Exits non-zero while any is missing."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", help="The store's name")
        parser.add_argument("--repair", action="store_true", help="Create the missing subscriptions")

    def handle(self, *args, name, repair, **opts):
        store = Store.objects.filter(name=name).first()
        if store is None:
            raise CommandError(f"No store named {name!r}.")
        report = store_webhooks_check(store=store, repair=repair)
        label = platform_for(store).label
        self.stdout.write(f"{store.name} ({label}) delivers to {shown_address(store)}")
        created = {s.id for s in report.created}
        for subscription in report.present:
            state = "created" if subscription.id in created else "present"
            self.stdout.write(f"  {state:8} {subscription.topic} (id {subscription.id})")
        if not report.reached:
            raise CommandError(report.error)
        for topic in report.missing:
            self.stdout.write(f"  {'missing':8} {topic}")
        if report.missing:
            hint = report.error or "run with --repair to create them"
            raise CommandError(
                f"{len(report.missing)} webhook subscription(s) missing on {label}: {', '.join(report.missing)}; {hint}"
            )
        self.stdout.write(self.style.SUCCESS(f"All {len(report.present)} webhook subscriptions are in place."))
