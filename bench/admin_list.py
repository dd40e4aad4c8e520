"""The orders list at a million orders: p50/p95 per view, queries per page, and the bare SQL baseline.

    python -m bench.admin_list [--orders 1000000] [--repeat 30]

Loads N orders across 5 stores (80% imported, 20% made in the back-office) plus clients and waybills
into a scratch PostgreSQL database with INSERT ... SELECT generate_series (the fastest bulk path),
then times the admin's orders list through Django's test client as a logged-in manager: the default
list, the Store filter by one store, "From integrations", and a search by number. The baseline is the
page's own main query run bare through the same connection. Writes bench/results/admin_list.json.
"""

import argparse
import statistics
import time

from bench.common import django_setup, peak_rss_mb, report, scratch_database

LOAD_SQL = """
INSERT INTO contacts_client (first_name, last_name, phone, email, address, is_placeholder, created_at, updated_at)
SELECT 'Client', 'No ' || g, '+38067' || lpad(g::text, 7, '0'), 'c' || g || '@example.com', '', false, now(), now()
FROM generate_series(1, %(clients)s) g;

INSERT INTO orders_order (number, order_type_id, status_id, client_id, total, currency, created_at, store_id,
    external_id, external_created_at, placed_at, last_synced_at, written_off_at, sync_digest)
SELECT CASE WHEN g %% 5 = 0 THEN g::text ELSE '#' || (1000 + g) END,
    %(order_type)s, %(status)s, (SELECT min(id) FROM contacts_client) + (g %% %(clients)s),
    (g %% 997) * 10.5, 'UAH', now() - (g || ' seconds')::interval,
    CASE WHEN g %% 5 = 0 THEN NULL ELSE (SELECT min(id) FROM integrations_store) + (g %% 5) END,
    CASE WHEN g %% 5 = 0 THEN '' ELSE (5000000000000 + g)::text END,
    CASE WHEN g %% 5 = 0 THEN NULL ELSE now() - (g || ' seconds')::interval END,
    now() - (g || ' seconds')::interval,
    CASE WHEN g %% 5 = 0 THEN NULL ELSE now() END, NULL, ''
FROM generate_series(1, %(orders)s) g;

INSERT INTO orders_waybill (order_id, number, carrier, status, status_text, service, cost, recipient_name,
    recipient_phone, recipient_address, created_at)
SELECT id, '2045' || lpad(id::text, 10, '0'), 'novaposhta', '5', 'In transit', 'Nova Poshta', 70, '', '', '', now()
FROM orders_order WHERE id %% 10 = 3;
ANALYZE;
"""


def load(orders: int):
    from django.db import connection

    from integrations.models import Store
    from orders.models import OrderType

    online = OrderType.objects.get(name="Online order")
    start = time.perf_counter()
    Store.objects.bulk_create(
        Store(
            platform="shopify",
            name=f"Store {i}",
            url=f"https://store{i}.myshopify.com",
            order_type=online,
            shop_domain=f"store{i}.myshopify.com",
            shop_currency="UAH",
            backfill_state="done",
        )
        for i in range(1, 6)
    )
    with connection.cursor() as cursor:
        params = {
            "orders": orders,
            "clients": max(orders // 20, 10),
            "order_type": online.pk,
            "status": online.initial_status_id,
        }
        for statement in LOAD_SQL.split(";\n"):
            if statement.strip():
                cursor.execute(statement, params)
    return time.perf_counter() - start


def time_view(client, url, repeat):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm caches the way a second visit would find them
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.status_code
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    sql_ms = sum(float(q["time"]) for q in queries.captured_queries) * 1000
    main = max(queries.captured_queries, key=lambda q: float(q["time"]))["sql"]
    bare = []
    with connection.cursor() as cursor:
        for _ in range(repeat):
            start = time.perf_counter()
            cursor.execute(main)
            cursor.fetchall()
            bare.append((time.perf_counter() - start) * 1000)
    return {
        "p50_ms": round(statistics.median(samples), 1),
        "p95_ms": round(statistics.quantiles(samples, n=20)[-1], 1),
        "queries": len(queries.captured_queries),
        "sql_ms": round(sql_ms, 1),
        "bare_sql_p50_ms": round(statistics.median(bare), 2),
    }


def run(orders: int, repeat: int) -> dict:
    django_setup()
    from django.conf import settings
    from django.contrib.auth.models import User
    from django.test import Client

    from integrations.models import Store

    settings.ALLOWED_HOSTS = ["*"]
    settings.DEBUG = False
    load_seconds = load(orders)
    User.objects.create_superuser("bench", "b@example.com", "bench-pass-1")
    client = Client()
    client.login(username="bench", password="bench-pass-1")
    store = Store.objects.order_by("id").first()
    views = {
        "default": "/admin/orders/order/",
        "store_filter": f"/admin/orders/order/?store={store.pk}",
        "from_integrations": "/admin/orders/order/?store=integrations",
        "search_number": "/admin/orders/order/?q=%231500",
    }
    rows = {"orders": orders, "load_seconds": round(load_seconds, 1)}
    for name, url in views.items():
        for key, value in time_view(client, url, repeat).items():
            rows[f"{name}.{key}"] = value
    rows["peak_rss_mb"] = peak_rss_mb()
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    with scratch_database() as vendor:
        if vendor != "postgresql":
            raise SystemExit("bench.admin_list needs PostgreSQL: set DATABASE_URL=postgres://...")
        rows = run(args.orders, args.repeat)
    report("admin_list", rows, f"Orders list at {args.orders:,} orders")


if __name__ == "__main__":
    main()
