"""Webhooks to imported orders with one and with two worker machines on django-q2's Redis broker.

    python -m bench.scaleout [--stores 4] [--orders 2500] [--clusters 1 2] [--workers 2] [--senders 8]
                             [--repeat 3]

The product runs as operators run it on several machines: granian serving roapp.wsgi, PostgreSQL, Redis as
django-q2's broker (Q_REDIS_URL, a queue name of the run's own) and 1 or 2 `manage.py qcluster` processes
with --workers worker processes each. S fake Shopify shops (one process, real HTTP) hold N open orders each,
different customers, one catalogue. Every order is announced by one signed `orders/create` webhook (Shopify's
REST body), posted by --senders keep-alive connections, the stores' webhooks interleaved. The figure is the
time from the first post until the last order is imported, and the orders per second that makes. Each run
gets a fresh database and processes; the median run (by orders/s) of each cluster count is reported and
written to bench/results/scaleout.json. Needs Redis (ROAPP_BENCH_REDIS_URL, default redis://127.0.0.1:6379/0).
"""

import argparse
import base64
import hashlib
import hmac
import http.client
import json
import os
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench.common import background, django_setup, free_port, median_run, report, scratch_database
from bench.webhooks import server_command

REDIS_URL = os.environ.get("ROAPP_BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
SECRET = "bench-secret"


def serve_shops(orders: int, ports: list[int]):
    """The fake shops, seeds 11, 12, ...: each its own customers, all the same catalogue."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "roapp.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    django.setup()
    from bench.fakeshop import shopify_orders
    from fakes.shopify import FakeShopify

    for k, port in enumerate(ports):
        FakeShopify(
            orders=shopify_orders(orders, seed=11 + k),
            token="shpat_bench",
            restore_rate=1e9,
            max_available=1e9,
            port=port,
        ).start()
    threading.Event().wait()  # until the benchmark terminates this process


def webhooks(store, seed: int, orders: int) -> list[tuple[str, bytes, dict]]:
    """One signed `orders/create` delivery per order of the store's shop, as Shopify posts it."""
    from bench.fakeshop import shopify_orders
    from fakes.shopify_orders import graphql_order_to_rest

    posts = []
    for node in shopify_orders(orders, seed=seed):
        body = json.dumps(graphql_order_to_rest(node), ensure_ascii=False).encode()
        signature = base64.b64encode(hmac.new(SECRET.encode(), body, hashlib.sha256).digest()).decode()
        headers = {
            "Content-Type": "application/json",
            "X-Shopify-Topic": "orders/create",
            "X-Shopify-Hmac-Sha256": signature,
            "X-Shopify-Webhook-Id": f"{store.pk}-{node['id']}",
        }
        posts.append((f"/hooks/{store.pk}/", body, headers))
    return posts


def send(port: int, posts: list) -> Counter:
    """Post every request over one keep-alive connection; count the answers by status."""
    answers = Counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    for path, body, headers in posts:
        conn.request("POST", path, body, headers)
        response = conn.getresponse()
        response.read()
        answers[response.status] += 1
    conn.close()
    return answers


def run(stores: int, orders: int, clusters: int, workers: int, senders: int) -> dict:
    from integrations.tests.clusters import cluster_environment, qclusters, unique_cluster_name, wait_until

    name = unique_cluster_name("bench")
    os.environ.update(
        ROAPP_TASKS_SYNC="false",
        Q_REDIS_URL=REDIS_URL,
        Q_CLUSTER_NAME=name,
        LOG_LEVEL="WARNING",
        ROAPP_ALLOW_INSECURE_PLATFORM_URLS="true",
        Q_WORKERS=str(workers),
    )
    django_setup()
    from django.db import connection
    from django_q.models import Task

    from integrations.connecting import store_connect
    from integrations.models import Store
    from orders.models import Order, OrderType

    shop_ports, web_port = [free_port() for _ in range(stores)], free_port()
    serve = ["-m", "bench.scaleout", "--serve-shops", "--orders", str(orders), "--ports", *map(str, shop_ports)]
    with background(serve, shop_ports[-1]), background(server_command("granian", web_port, 2, 8), web_port):
        online = OrderType.objects.get(name="Online order")
        connected = [
            store_connect(
                platform="shopify",
                name=f"shop {k + 1}",
                url=f"http://127.0.0.1:{port}",
                credentials={"token": "shpat_bench"},
                webhook_secret=SECRET,
                order_type=online,
                backfill=False,
            )
            for k, port in enumerate(shop_ports)
        ]
        per_store = [webhooks(store, 11 + k, orders) for k, store in enumerate(connected)]
        posts = [post for round_ in zip(*per_store, strict=True) for post in round_]  # the stores interleaved
        env = cluster_environment(database=os.environ["DATABASE_URL"], redis_url=REDIS_URL, name=name)
        with (
            tempfile.TemporaryDirectory() as logs,
            qclusters(clusters, env=env, logs=Path(logs)) as clusters_alive,
            ThreadPoolExecutor(senders) as pool,
        ):
            loadavg = os.getloadavg()[0]
            start = time.monotonic()
            sent = [pool.submit(send, web_port, posts[i::senders]) for i in range(senders)]
            answers = sum((f.result() for f in sent), Counter())
            intake = time.monotonic() - start
            if answers.get(202, 0) != len(posts):
                raise RuntimeError(f"not every webhook was accepted: {dict(answers)}")
            total = stores * orders
            seconds = intake + wait_until(
                lambda: Order.objects.count() >= total,
                seconds=900,
                every=0.05,
                what=f"{total} orders imported",
                check=clusters_alive,
            )
        tasks = Counter(f.rsplit(".", 1)[-1] for f in Task.objects.values_list("func", flat=True))
        failing = Store.objects.exclude(consecutive_failures=0).count()
    connection.close()
    return {
        "database": connection.vendor,
        "broker": "redis",
        "clusters": clusters,
        "workers_per_cluster": workers,
        "stores": stores,
        "orders": total,
        "webhooks": len(posts),
        "accepted": answers.get(202, 0),
        "senders": senders,
        "intake_s": round(intake, 2),
        "webhooks_per_s": round(len(posts) / intake, 1),
        "seconds": round(seconds, 2),
        "orders_per_s": round(total / seconds, 1),
        "tasks": dict(tasks),
        "stores_with_failed_syncs": failing,
        "loadavg_1m_before": round(loadavg, 2),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stores", type=int, default=4)
    parser.add_argument("--orders", type=int, default=2500, help="orders (and webhooks) per store")
    parser.add_argument("--clusters", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--workers", type=int, default=2, help="worker processes per cluster (Q_WORKERS)")
    parser.add_argument("--senders", type=int, default=8)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", action="store_true", help="one run, its figures as JSON on the last line")
    parser.add_argument("--serve-shops", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--ports", type=int, nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_shops:
        return serve_shops(args.orders, args.ports)
    from integrations.tests.clusters import redis_unreachable

    if reason := redis_unreachable(REDIS_URL):
        parser.error(f"{reason} (set ROAPP_BENCH_REDIS_URL)")
    one = [
        "--stores",
        str(args.stores),
        "--orders",
        str(args.orders),
        "--workers",
        str(args.workers),
        "--senders",
        str(args.senders),
    ]
    if args.json:
        with scratch_database():
            print(json.dumps(run(args.stores, args.orders, args.clusters[0], args.workers, args.senders)))
        return
    rows, shown = (
        {},
        ("orders_per_s", "runs_orders_per_s", "seconds", "intake_s", "webhooks_per_s", "tasks", "loadavg_1m_before"),
    )
    for clusters in args.clusters:
        median = median_run("bench.scaleout", [*one, "--clusters", str(clusters)], args.repeat, key="orders_per_s")
        if not rows:
            rows = {
                key: median[key]
                for key in ("database", "broker", "stores", "orders", "workers_per_cluster", "senders", "runs")
            }
        rows.update({f"{clusters}_cluster{'s' if clusters > 1 else ''}_{key}": median[key] for key in shown})
    if len(args.clusters) > 1:
        first, last = (f"{c}_cluster{'s' if c > 1 else ''}_orders_per_s" for c in (args.clusters[0], args.clusters[-1]))
        rows["speedup"] = round(rows[last] / rows[first], 2)
    report("scaleout", rows, f"Webhooks to imported orders, {args.stores} stores x {args.orders} orders, Redis broker")


if __name__ == "__main__":
    main()
