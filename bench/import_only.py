"""The import alone: Shopify pages already in memory, no HTTP, no fake server sharing the cores.

    python -m bench.import_only [--orders 10000] [--repeat 3]

The same generated shop as bench.backfill, rendered by the fake Shopify in this process before the clock
starts, then imported in batches of integrations.prefetch.IMPORT_BATCH orders, each in its transaction as
the backfill does. Reports orders/s, the process's CPU time per order (our Python) and wall time per
order (CPU plus waiting for PostgreSQL), and the COPY of the same rows (as bench.backfill).

Then the floor: the part of the import that needs no database, timed on the same pages with the phone
readings forgotten (as the import found them): `json_us_per_order` reads the platform's JSON with the
standard library, `map_us_per_order` turns it into RemoteOrders, checks the refusal rules, reads the
client's phone and email and fingerprints the order. `floor_ratio` is that floor divided by COPY's time
per order.
Writes bench/results/import_only.json.
"""

import argparse
import json
import time
from datetime import UTC, datetime, timedelta

from bench.backfill import copy_baseline
from bench.common import django_setup, median_run, peak_rss_mb, report, scratch_database
from bench.fakeshop import shopify_orders


def shop_pages(orders: int, page_size: int) -> list[bytes]:
    """The shop's answers to the backfill's query, as the bytes the platform sends."""
    from fakes.shopify import FakeShopify
    from integrations.platforms.shopify import queries

    shop = FakeShopify(orders=shopify_orders(orders), restore_rate=1e9, max_available=1e9)
    pages, after = [], None
    while True:
        variables = {"first": page_size, "after": after, "sortKey": "CREATED_AT"}
        pages.append(shop.answer(queries.ORDERS_QUERY, variables))
        found = json.loads(pages[-1])["data"]["orders"]
        if not found["pageInfo"]["hasNextPage"]:
            return pages
        after = found["pageInfo"]["endCursor"]


def nodes(answer) -> list[dict]:
    return [edge["node"] for edge in answer["data"]["orders"]["edges"]]


def floor_us_per_order(store, raw_pages: list[bytes]) -> tuple[float, float]:
    """CPU microseconds per order to read the pages' JSON, and to map and check their orders (no database)."""
    from contacts.phones import _normalize
    from integrations.platforms import platform_for
    from integrations.sync import digest, refusal_reason
    from integrations.sync.matching import client_data
    from roapp.collector import long_lived_objects_frozen

    _normalize.cache_clear()  # phone numbers as unknown as the import found them
    platform = platform_for(store)
    read = mapped = count = 0
    with long_lived_objects_frozen():  # as the import runs; each page is dropped once mapped, as it is there
        for raw in raw_pages:
            start = time.process_time()
            page = nodes(json.loads(raw))
            middle = time.process_time()
            for node in page:
                remote = platform.map_order(node)
                refusal_reason(platform=platform, remote=remote)
                client_data(remote).normalized()
                digest(remote, platform)
            end = time.process_time()
            read, mapped, count = read + middle - start, mapped + end - middle, count + len(page)
    return read / count * 1e6, mapped / count * 1e6


def run(orders: int) -> dict:
    django_setup()
    from django.db import connection, transaction

    from integrations.models import Store
    from integrations.prefetch import IMPORT_BATCH
    from integrations.sync import import_payloads
    from orders.models import Order, OrderType
    from roapp.collector import long_lived_objects_frozen

    raw_pages = shop_pages(orders, IMPORT_BATCH)
    pages = [nodes(json.loads(raw)) for raw in raw_pages]
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
    rows = {
        "platform": "shopify",
        "database": connection.vendor,
        "orders": imported,
        "orders_per_s": round(imported / wall, 1),
        "cpu_us_per_order": round(cpu / imported * 1e6),
        "wall_us_per_order": round(wall / imported * 1e6),
        "peak_rss_mb": peak_rss_mb(),
    }
    del pages
    json_us, map_us = floor_us_per_order(store, raw_pages)
    rows["json_us_per_order"], rows["map_us_per_order"] = round(json_us), round(map_us)
    if connection.vendor == "postgresql":
        copy_us = copy_baseline() / imported * 1e6
        rows["copy_us_per_order"] = round(copy_us, 1)
        rows["copy_ratio"] = round(wall / imported * 1e6 / copy_us, 1)
        rows["floor_ratio"] = round((json_us + map_us) / copy_us, 1)
    return rows


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
