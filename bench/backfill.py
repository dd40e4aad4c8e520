"""Backfill throughput against the database's own limit (COPY).

    python -m bench.backfill [--orders 20000] [--platform shopify] [--repeat 3]
    python -m bench.backfill --platform shopify --paced standard [--orders N] [--paged-orders P]  (bench.backfill_paced)

A fake shop with N open orders (1-5 lines, repeat customers, shared products) runs in its own
process on 127.0.0.1 (zero network latency); the product backfills it into a scratch database
(DATABASE_URL's server, PostgreSQL for the COPY baseline). Then the same rows are written again
with COPY into empty copies of the same tables (same indexes): our time divided by that is
`copy_ratio`. From the CPU our process and its PostgreSQL backend used during the backfill, two bounds
on what overlapping alone could reach with the same work, each divided by the same COPY time:
`one_process_ratio` if PostgreSQL's work ran entirely while our process computes (one Python process
uses at most one core at a time: the GIL), `all_cores_busy_ratio` if all of it were spread perfectly
over every core (several importing processes).
Prints a table and writes bench/results/backfill[_platform][_N].json.
"""

import argparse
import io
import json
import os
import time
from pathlib import Path

from bench.common import background, django_setup, free_port, median_run, peak_rss_mb, report, scratch_database
from bench.fakeshop import CREDENTIALS

TABLES = [
    "contacts_client",
    "catalog_category",
    "catalog_product",
    "orders_order",
    "orders_orderitem",
    "orders_event",
    "orders_waybill",
]  # every table the backfill writes rows to


class QueryCounter:
    """Counts SQL statements: Django's queries, plus the COPY statements roapp.bulk streams rows with."""

    def __init__(self):
        self.count = 0
        import psycopg

        copy = psycopg.Cursor.copy
        counter = self

        def counted_copy(cursor, *args, **kwargs):
            counter.count += 1
            return copy(cursor, *args, **kwargs)

        psycopg.Cursor.copy = counted_copy

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def count_api_requests() -> list:
    """Every HTTP request the platform client sends (retries included) appends to the returned list."""
    from integrations.platforms.http import HttpClient

    sent = []
    once = HttpClient._once

    def counted(self, *args):
        sent.append(1)
        return once(self, *args)

    HttpClient._once = counted
    return sent


def copy_baseline() -> float:
    """Seconds PostgreSQL takes to COPY the imported rows into empty same-shaped tables."""
    from django.db import connection

    buffers = {}
    with connection.cursor() as cursor:
        raw = cursor.connection
        for table in TABLES:
            buf = io.BytesIO()
            with raw.cursor().copy(f"COPY {table} TO STDOUT") as copy:
                for chunk in copy:
                    buf.write(chunk)
            buffers[table] = buf.getvalue()
            cursor.execute(f"CREATE TABLE bench_{table} (LIKE {table} INCLUDING ALL)")
        raw.commit()
        start = time.perf_counter()
        for table in TABLES:
            with raw.cursor().copy(f"COPY bench_{table} FROM STDIN") as copy:
                copy.write(buffers[table])
        raw.commit()
        return time.perf_counter() - start


def local_backend_pid(connection) -> int | None:
    """The pid of this connection's PostgreSQL backend when it runs on this machine, else None."""
    if connection.vendor != "postgresql" or connection.settings_dict["HOST"] not in ("", "localhost", "127.0.0.1"):
        return None
    with connection.cursor() as cursor:
        pid = cursor.connection.info.backend_pid
    try:  # a server in a container numbers its processes its own way
        return pid if Path(f"/proc/{pid}/comm").read_text().startswith("postgres") else None
    except OSError:
        return None


def cpu_seconds(pid: int | None) -> float | None:
    """User + system CPU a local process has used so far (None when it is not ours to read)."""
    if pid is None:
        return None
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def warm_up(store):
    """Read the whole window once, untimed: the fake then replays its answers (see FakeShopify._data), so the
    timed backfill measures the product, not a platform that would run on other machines sharing our 2 cores."""
    from integrations.platforms import platform_for

    for _ in platform_for(store).client(store).orders_created_since(store.backfill_since):
        pass


def run(orders: int, platform: str) -> dict:
    django_setup()
    from django.db import connection

    from integrations.connecting import store_connect
    from integrations.services import store_backfill
    from orders.models import Order, OrderType

    port = free_port()
    with background(
        ["-m", "bench.fakeshop", "--platform", platform, "--orders", str(orders), "--port", str(port)], port
    ) as shop:
        store = store_connect(
            platform=platform,
            name="bench",
            url=f"http://127.0.0.1:{port}",
            credentials=CREDENTIALS[platform],
            order_type=OrderType.objects.get(name="Online order"),
            backfill=False,
        )
        warm_up(store)
        counter = QueryCounter()
        batches = []
        api_requests = count_api_requests()
        database_pid = local_backend_pid(connection)
        cpu_before = [time.process_time(), cpu_seconds(database_pid), cpu_seconds(shop.pid)]
        start = time.perf_counter()
        with connection.execute_wrapper(counter):
            store_backfill(store=store, progress=lambda n, total, so_far: batches.append(n))
        seconds = time.perf_counter() - start
        cpu_after = [time.process_time(), cpu_seconds(database_pid), cpu_seconds(shop.pid)]
    imported = Order.objects.filter(store=store).count()
    rows = {
        "platform": platform,
        "database": connection.vendor,
        "orders": imported,
        "seconds": round(seconds, 2),
        "orders_per_s": round(imported / seconds, 1),
        "queries_per_order": round(counter.count / max(imported, 1), 2),
        "api_requests": len(api_requests),
        "import_batches": len(batches),
        "peak_rss_mb": peak_rss_mb(),
    }
    names = ["cpu_seconds", "database_cpu_seconds", "shop_cpu_seconds"]
    for name, before, after in zip(names, cpu_before, cpu_after, strict=True):
        if before is not None and after is not None:
            rows[name] = round(after - before, 2)
    if connection.vendor == "postgresql":
        copy_seconds = copy_baseline()
        rows["copy_seconds"] = round(copy_seconds, 3)
        rows["copy_orders_per_s"] = round(imported / copy_seconds, 1)
        rows["copy_ratio"] = round(seconds / copy_seconds, 1)
        if "database_cpu_seconds" in rows:  # the fake shop's CPU is left out: a real platform runs elsewhere
            ours, database = rows["cpu_seconds"], rows["database_cpu_seconds"]
            all_cores = (ours + database) / len(os.sched_getaffinity(0))
            rows["one_process_ratio"] = round(max(ours, all_cores) / copy_seconds, 1)
            rows["all_cores_busy_ratio"] = round(all_cores / copy_seconds, 1)
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orders", type=int, default=20000)
    parser.add_argument("--platform", default="shopify", choices=["shopify", "woocommerce"])
    parser.add_argument("--repeat", type=int, default=3, help="runs, each in a fresh process and database")
    parser.add_argument("--json", action="store_true", help="one run, its figures as JSON on the last line")
    parser.add_argument("--paced", choices=["standard"], help="at a real shop's pace: paging vs bulk (R50)")
    parser.add_argument("--paged-orders", type=int, help="with --paced: page a smaller window (extrapolated)")
    args = parser.parse_args()
    if args.paced:
        from bench.backfill_paced import paced  # its own module: a different benchmark of the same command

        paced(args.platform, args.orders, args.paged_orders)
        return
    if args.json:
        with scratch_database():
            print(json.dumps(run(args.orders, args.platform)))
        return
    one = ["--orders", str(args.orders), "--platform", args.platform]
    rows = median_run("bench.backfill", one, args.repeat, key="orders_per_s")
    name = "backfill" + ("" if args.platform == "shopify" else f"_{args.platform}")
    report(
        name + ("" if args.orders == 20000 else f"_{args.orders}"),
        rows,
        f"Backfill of {args.orders} {args.platform} orders",
    )


if __name__ == "__main__":
    main()
