"""A fake shop for the benchmarks, in its own process: N open orders created within the backfill window.

python -m bench.fakeshop --platform {shopify,woocommerce} --orders 20000 --port 8111
"""

import argparse
import os
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "roapp.settings")


def shopify_orders(n: int, seed: int = 11) -> list[dict]:
    """The benchmarks' Shopify shop: n orders created within the last month, every one open (so imported)."""
    from fakes.shopify_samples import sample_orders

    nodes = sample_orders(n, seed=seed, now=datetime.now(UTC) - timedelta(minutes=5), months=1)
    for node in nodes:
        node.update(cancelledAt=None, displayFulfillmentStatus="UNFULFILLED", displayFinancialStatus="PAID")
    return nodes


# A standard plan's GraphQL budget: 100 points restored a second (PROTOCOLS.md 1, "Cost-based limits per plan"),
# a bucket of 1,000 (the official client's README example; Shopify reports it in throttleStatus).
STANDARD_PLAN = {"restore_rate": 100.0, "max_available": 1000.0}
# A real WooCommerce shop answers a page of 100 orders in 0.5-1 s.
WOOCOMMERCE_PAGE_SECONDS = 0.7


def shopify(n: int, port: int, paced: str = ""):
    from fakes.shopify import FakeShopify

    budget = STANDARD_PLAN if paced == "standard" else {"restore_rate": 1e9, "max_available": 1e9}
    return FakeShopify(orders=shopify_orders(n), token="shpat_bench", port=port, **budget)


def woocommerce(n: int, port: int, paced: str = ""):
    from fakes.woocommerce import FakeWooCommerce, sample_orders

    orders = sample_orders(n, seed=11, now=datetime.now(UTC) - timedelta(minutes=5), months=1)
    for order in orders:  # every order open and reachable (phone or email), so every order is imported
        order["status"] = "processing"
        if not (order["billing"].get("email") or order["billing"].get("phone") or order["shipping"].get("phone")):
            order["billing"]["email"] = f"buyer{order['id']}@example.com"
    shop = FakeWooCommerce(orders=orders, port=port)
    shop.page_latency = WOOCOMMERCE_PAGE_SECONDS if paced else 0.0
    return shop


CREDENTIALS = {
    "shopify": {"token": "shpat_bench"},
    "woocommerce": {"consumer_key": "ck_test", "consumer_secret": "cs_test"},
}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--platform", default="shopify", choices=["shopify", "woocommerce"])
    parser.add_argument("--orders", type=int, default=20000)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--paced", default="", choices=["", "standard"], help="a real shop's pace (R50)")
    args = parser.parse_args()
    import django

    django.setup()
    server = {"shopify": shopify, "woocommerce": woocommerce}[args.platform](args.orders, args.port, args.paced)
    server.serve_forever()


if __name__ == "__main__":
    main()
