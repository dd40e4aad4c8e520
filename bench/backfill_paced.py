"""Backfill at a real shop's pace (R50): `python -m bench.backfill --platform shopify --paced standard [--orders N]`.

Shopify: the fake shop restores its cost budget like a standard plan (100 points/s, bucket 1,000). The same
window is backfilled by paging (20-order pages, ROAPP_SHOPIFY_BULK_THRESHOLD=0) and as one bulk operation,
each in its own process and scratch database. `--paged-orders P` pages a shop of P orders generated the same
way instead of all N (paging 20,000 orders at 100 points/s takes about an hour); the result then says so
(`paged_window_orders`), and the speedup compares orders/s measured on the two windows. A smaller paged window
flatters paging: its first pages spend the full bucket before the restore rate sets the pace.
WooCommerce: the fake shop takes 0.7 s per page of 100 orders, as a real one does; one page at a time
against CONCURRENT_PAGES at once.
Writes bench/results/backfill_paced_<platform>[_N].json.
"""

import json
import subprocess
import sys
import time

from bench.common import ROOT, background, django_setup, free_port, peak_rss_mb, report, scratch_database
from bench.fakeshop import CREDENTIALS

MODES = {"shopify": ("paged", "bulk"), "woocommerce": ("sequential", "concurrent")}


def run_mode(platform: str, mode: str, orders: int) -> dict:
    """One backfill of `orders` orders in this process, against a paced fake shop of its own."""
    django_setup()
    from django.conf import settings

    from integrations.connecting import store_connect
    from integrations.platforms.woocommerce import client as woocommerce_client
    from integrations.services import store_backfill
    from orders.models import Order, OrderType

    settings.ROAPP_SHOPIFY_BULK_THRESHOLD = 0 if mode == "paged" else 1000
    if mode == "sequential":
        woocommerce_client.CONCURRENT_PAGES = 1
    port = free_port()
    command = [
        "-m",
        "bench.fakeshop",
        "--platform",
        platform,
        "--orders",
        str(orders),
        "--port",
        str(port),
        "--paced",
        "standard",
    ]
    with background(command, port):
        store = store_connect(
            platform=platform,
            name="bench",
            url=f"http://127.0.0.1:{port}",
            credentials=CREDENTIALS[platform],
            order_type=OrderType.objects.get(name="Online order"),
            backfill=False,
        )
        phases = {}

        def phase(text):
            phases.setdefault(text.split(":")[0].split(" ")[0], time.perf_counter())

        start = time.perf_counter()
        store_backfill(store=store, phase=phase)
        seconds = time.perf_counter() - start
    store.refresh_from_db()
    imported = Order.objects.filter(store=store).count()
    rows = {
        "mode": mode,
        "orders": imported,
        "seconds": round(seconds, 2),
        "orders_per_s": round(imported / seconds, 1),
        "peak_rss_mb": peak_rss_mb(),
    }
    if "importing" in phases:
        exported = phases["importing"] - start
        rows["export_seconds"] = round(exported, 2)  # counted, exported and seen complete (polled)
        rows["import_seconds"] = round(seconds - exported, 2)
    return rows


def _subprocess(platform: str, mode: str, orders: int) -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "bench.backfill_paced", "--json", platform, mode, str(orders)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def paced(platform: str, orders: int, paged_orders: int | None):
    slow_mode, fast_mode = MODES[platform]
    slow = _subprocess(platform, slow_mode, paged_orders or orders)
    fast = _subprocess(platform, fast_mode, orders)
    if platform == "shopify":
        rows = {
            "platform": platform,
            "plan": "standard (100 points/s)",
            "orders": fast["orders"],
            "paged_window_orders": slow["orders"],
            "paged_seconds": slow["seconds"],
            "paged_orders_per_s": slow["orders_per_s"],
            "bulk_seconds": fast["seconds"],
            "bulk_export_seconds": fast.get("export_seconds"),
            "bulk_import_seconds": fast.get("import_seconds"),
            "bulk_orders_per_s": fast["orders_per_s"],
            "bulk_speedup": round(fast["orders_per_s"] / slow["orders_per_s"], 1),
            "bulk_peak_rss_mb": fast["peak_rss_mb"],
        }
        if fast.get("export_seconds"):
            rows["export_orders_per_s"] = round(fast["orders"] / fast["export_seconds"], 1)
    else:
        rows = {
            "platform": platform,
            "page_seconds": 0.7,
            "orders": fast["orders"],
            "sequential_orders_per_s": slow["orders_per_s"],
            "concurrent_orders_per_s": fast["orders_per_s"],
            "concurrent_speedup": round(fast["orders_per_s"] / slow["orders_per_s"], 1),
            "peak_rss_mb": fast["peak_rss_mb"],
        }
    name = f"backfill_paced_{platform}" + ("" if orders == 20000 else f"_{orders}")
    report(name, rows, f"Backfill of {orders} {platform} orders at a real shop's pace")


if __name__ == "__main__":
    if sys.argv[1] == "--json":  # one mode, in a fresh process and scratch database
        with scratch_database():
            print(json.dumps(run_mode(sys.argv[2], sys.argv[3], int(sys.argv[4]))))
