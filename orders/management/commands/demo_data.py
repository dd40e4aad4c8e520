"""Load a small realistic sample (clients, catalog, orders) and a demo admin login; idempotent.

`--report STORE=N` instead accounts, after a store's backfill, for every one of the N sample orders its fake shop
was started with: imported, created before the backfill window, finished before connecting, or refused (and why).
"""

import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from catalog.models import Product
from catalog.services import category_path_get_or_create, stock_move
from contacts.services import ClientData, client_match_or_create
from integrations.models import Store
from orders import services
from orders.models import Order, OrderType, Status

CLIENTS = [
    ("Olena", "Shevchenko", "067 123 45 67", "olena@example.com"),
    ("Taras", "Koval", "+380501112233", "taras.koval@example.com"),
    ("Iryna", "Bondar", "380-93-765-43-21", ""),
    ("Andrii", "Melnyk", "", "andrii.melnyk@example.com"),
    ("Sofiia", "Kravets", "0631234567", "sofiia@example.com"),
]
# What "finished" means on each platform (R3): such orders created before connecting are not imported.
FINISHED_MEANS = {
    "shopify": "fulfilled, cancelled or refunded",
    "woocommerce": "completed, cancelled, refunded, failed or trashed",
    "cartum": "delivered",
}
CATALOG = [
    (("Phones", "Cases"), "Silicone case iPhone 15", "CASE-IP15", Decimal("399.00")),
    (("Phones", "Cases"), "Leather case Galaxy S24", "CASE-S24", Decimal("549.00")),
    (("Phones", "Chargers"), "USB-C charger 20W", "CHG-20W", Decimal("699.00")),
    (("Phones", "Chargers"), "Wireless charger 15W", "CHG-QI15", Decimal("899.00")),
    (("Repair", "Parts"), "iPhone 13 screen (OLED)", "PART-IP13-SCR", Decimal("3890.00")),
    (("Repair", "Parts"), "Battery Galaxy A54", "PART-A54-BAT", Decimal("1150.00")),
    (("Repair", "Services"), "Screen replacement labour", "SRV-SCREEN", Decimal("600.00")),
]


class Command(BaseCommand):
    help = "Load demo clients, catalog and orders, and create the demo admin user (demo / demo)."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="demo")
        parser.add_argument("--password", default="demo")
        parser.add_argument(
            "--report",
            action="append",
            metavar="STORE=N",
            help="Only report what the backfill of STORE made of the N orders its shop holds (repeatable)",
        )

    def handle(self, *args, username, password, report=None, **options):
        if report:
            for spec in report:
                name, _sep, generated = spec.partition("=")
                store = Store.objects.filter(name=name).first()
                if store is None:
                    raise CommandError(f"No store named {name!r}.")
                if generated and not generated.isdigit():
                    raise CommandError(f"--report {spec!r}: N must be a number of orders.")
                self.stdout.write("\n".join(store_import_report(store, int(generated) if generated else None)))
            return
        self._load_with_login(username, password)

    @transaction.atomic
    def _load_with_login(self, username, password):
        user_model = get_user_model()
        user, created = user_model.objects.get_or_create(
            username=username, defaults={"is_staff": True, "is_superuser": True}
        )
        if created:
            user.set_password(password)
            user.save()
        if Order.objects.filter(store__isnull=True).exists():
            self.stdout.write("Demo data is already loaded.")
        else:
            self._load()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo admin login: {username} / {password}"
                if created
                else f"Demo admin login: {username} (password unchanged)"
            )
        )

    def _load(self):
        rng = random.Random(7)
        clients = [
            client_match_or_create(data=ClientData(first_name=f, last_name=la, phone=p, email=e))
            for f, la, p, e in CLIENTS
        ]
        products = []
        for path, name, sku, price in CATALOG:
            product, _ = Product.objects.get_or_create(
                sku=sku, defaults={"name": name, "category": category_path_get_or_create(path=path)}
            )
            stock_move(product=product, quantity=Decimal(rng.randint(2, 20)), reason="Initial stock")
            products.append((product, price))
        order_type = OrderType.objects.get(name="Online order")
        in_progress = Status.objects.get(name="In progress")
        for n in range(8):
            order = services.order_create(order_type=order_type, client=rng.choice(clients))
            for product, price in rng.sample(products, rng.randint(1, 3)):
                services.order_item_add(order=order, product=product, quantity=Decimal(rng.randint(1, 3)), price=price)
            if n % 3 == 1:
                services.order_set_status(order=order, status=in_progress)
            if n % 4 == 3:
                services.order_write_off(order=order)
            services.order_add_comment(order=order, text="Demo order: call the client before shipping.")
        self.stdout.write(f"Loaded {len(clients)} clients, {len(products)} products, 8 orders.")


def store_import_report(store: Store, generated: int | None = None) -> list[str]:
    """Lines accounting for a store's sample orders after its backfill, from what the product records: the
    orders imported, the backfill's progress (orders read in its window), and the import problems (R40).
    The finished ones are the rest of those read: R3 skips them without a record."""
    imported = store.orders.count()
    refusals = list(
        store.import_logs.filter(resolved=False).values("reason").annotate(orders=Count("id")).order_by("-orders")
    )
    finished = max(store.backfill_done - imported - sum(r["orders"] for r in refusals), 0)
    since = store.backfill_since.strftime("%Y-%m-%d %H:%M UTC") if store.backfill_since else "?"
    lines = [
        _("%(store)s (store id %(id)s):") % {"store": store.name, "id": store.pk}
        if generated is None
        else _("%(store)s (store id %(id)s): %(n)s sample orders in the shop, created over three months")
        % {"store": store.name, "id": store.pk, "n": generated},
        _("%(n)6d imported") % {"n": imported},
    ]
    if generated is not None:
        lines.append(
            _("%(n)6d not read: created before the backfill window, which starts at %(since)s (R3)")
            % {"n": generated - store.backfill_done, "since": since}
        )
    lines.append(
        _("%(n)6d not imported: finished before connecting (%(means)s, R3)")
        % {"n": finished, "means": FINISHED_MEANS.get(store.platform, "finished")}
    )
    lines += [_("%(n)6d not imported: %(reason)s") % {"n": r["orders"], "reason": r["reason"]} for r in refusals]
    return lines
