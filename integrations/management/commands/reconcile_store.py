"""Compare a store's last days with its platform, per day, and import the missing orders when asked (R43)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import formats

from integrations.health.reconcile import DAYS, day_summary, store_reconcile
from integrations.models import Store
from integrations.platforms.http import PlatformError


class Command(BaseCommand):
    help = "Print, per day, the platform's order count beside the back-office's; --import-missing fetches the gap."

    def add_arguments(self, parser):
        parser.add_argument("name", help="The store's name")
        parser.add_argument("--days", type=int, default=DAYS, help=f"How many days back, today included ({DAYS})")
        parser.add_argument("--import-missing", action="store_true", help="Import the orders we do not have")

    def handle(self, *args, name, days, import_missing, **opts):
        store = Store.objects.select_related("order_type__initial_status").filter(name=name).first()
        if store is None:
            raise CommandError(f"No store named {name!r}.")
        if days < 1:
            raise CommandError("--days must be at least 1.")
        try:
            result = store_reconcile(store=store, days=days, import_missing=import_missing)
        except PlatformError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{'day':<12} {'platform':>8} {'ours':>8}  details")
        for row in result.days:
            mark = "!" if row.flagged else " "
            day = formats.date_format(row.day, "Y-m-d")
            self.stdout.write(f"{day:<11}{mark} {row.on_platform:>8} {row.in_backoffice:>8}  {day_summary(row)}")
        if result.fetched is not None:
            self.stdout.write(f"Imported the missing orders: {result.fetched.as_text()}")
        flagged = len(result.flagged)
        if result.missing_ids and not import_missing:
            self.stdout.write(f"{len(result.missing_ids)} orders missing; run again with --import-missing.")
        self.stdout.write(f"{store.name}: {flagged} of {len(result.days)} days differ.")
