"""The import alone: Shopify pages already in memory, no HTTP, no fake server sharing the cores.

    python -m bench.import_only [--orders 10000] [--repeat 3]

The same generated shop as bench.backfill, rendered by the fake Shopify in this process before the clock
starts, then imported in batches of integrations.prefetch.IMPORT_BATCH orders, each in its transaction as
the backfill does. Reports orders/s, the process's CPU time per order (our Python) and wall time per
order (CPU plus waiting for PostgreSQL). Writes bench/results/import_only.json.
"""

import argparse
import json
import time
from datetime import UTC, datetime, timedelta

from bench.common import django_setup, median_run, peak_rss_mb, report, scratch_database
from bench.fakeshop import shopify_orders


def shop_pages(orders: int, page_size: int) -> list[list[dict]]:
    from integrations.fakes.shopify import FakeShopify
    from integrations.platforms.shopify import queries

    shop = FakeShopify(orders=shopify_orders(orders), restore_rate=1e9, max_available=1e9)
    pages, after = [], None
    while True:
        variables = {"first": page_size, "after": after, "sortKey": "CREATED_AT"}
        found = json.loads(shop.answer(queries.ORDERS_QUERY, variables))["data"]["orders"]
        pages.append([edge["node"] for edge in found["edges"]])
        if not found["pageInfo"]["hasNextPage"]:
            return pages
        after = found["pageInfo"]["endCursor"]


def run(orders: int) -> dict:
    django_setup()
    from django.db import connection, transaction

    from integrations.models import Store
    from integrations.prefetch import IMPORT_BATCH
    from integrations.sync import import_payloads
    from orders.models import Order, OrderType
    from roapp.collector import long_lived_objects_frozen

    pages = shop_pages(orders, IMPORT_BATCH)
    now = datetime.now(UTC)
    store = Store(
        platform="shopify",
        name="bench",
        url="https://bench.myshopify.com",
        order_type=OrderType.objects.get(name="Online order"),
        connected_at=now - timedelta(days=90),
        backfill_since=now - timedelta(days=60),
    )
    store.credentials = {"token": "shpat_bench"}
    store.save()
    wall, cpu = time.perf_counter(), time.process_time()
    with long_lived_objects_frozen():  # as the backfill does (the pages waiting here are frozen too)
        for page in pages:
            with transaction.atomic():
                import_payloads(store=store, payloads=page)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    imported = Order.objects.filter(store=store).count()
    return {
        "platform": "shopify",
        "database": connection.vendor,
        "orders": imported,
        "orders_per_s": round(imported / wall, 1),
        "cpu_us_per_order": round(cpu / imported * 1e6),
        "wall_us_per_order": round(wall / imported * 1e6),
        "peak_rss_mb": peak_rss_mb(),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orders", type=int, default=10000)
    parser.add_argument("--repeat", type=int, default=3, help="runs, each in a fresh process and database")
    parser.add_argument("--json", action="store_true", help="one run, its figures as JSON on the last line")
    args = parser.parse_args()
    if args.json:
        with scratch_database():
            print(json.dumps(run(args.orders)))
        return
    rows = median_run("bench.import_only", ["--orders", str(args.orders)], args.repeat, key="orders_per_s")
    report("import_only", rows, f"Import alone of {args.orders} Shopify orders (pages in memory)")


if __name__ == "__main__":
    main()
