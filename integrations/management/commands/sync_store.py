"""Run a store's backfill, or an incremental sync, in this process, with progress."""

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from integrations.models import Store
from integrations.platforms.http import PlatformError
from integrations.services import AlreadyRunning, store_backfill, store_poll


class Command(BaseCommand):
    help = "Run a store's backfill (--backfill) or an incremental sync now, and print a summary."

    def add_arguments(self, parser):
        parser.add_argument("name", help="The store's name")
        parser.add_argument("--backfill", action="store_true", help="Run (or resume) the two-month backfill")

    def handle(self, *args, name, backfill, **opts):
        store = Store.objects.select_related("order_type__initial_status").filter(name=name).first()
        if store is None:
            raise CommandError(f"No store named {name!r}.")
        bar = tqdm(desc="orders", unit="order", disable=opts.get("verbosity", 1) < 1, file=self.stderr)

        def progress(count, total, so_far):
            if total and bar.total != total:
                bar.total = total
            bar.update(count)

        def phase(text):  # a bulk export's phases (R50): "exporting on Shopify: N objects", "importing N of M"
            bar.set_description_str(text)

        try:
            if backfill:
                result = store_backfill(store=store, progress=progress, phase=phase)
            else:
                result = store_poll(store=store, progress=progress)
        except (PlatformError, AlreadyRunning) as exc:
            raise CommandError(str(exc)) from exc
        finally:
            bar.close()
        self.stdout.write(
            f"{store.name}: imported {result.created}, updated {result.updated}, unchanged {result.unchanged}, "
            f"skipped {result.skipped + result.finished} (finished before connecting {result.finished}), "
            f"written off {result.frozen}, failed {result.failed}"
        )
