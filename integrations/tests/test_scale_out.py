"""Scale-out (R7): worker machines on django-q2's Redis broker, all on one PostgreSQL, duplicate nothing.

Two `manage.py qcluster` processes (separate OS processes, as on two machines) take their tasks from one
Redis queue and write to the test database, while this process plays the web process: it connects three
stores (their backfills are queued), answers a burst of duplicated webhooks over HTTP and queues polls, all
at once. One store's imports wait for each other on its orders lock; different stores' imports meet only on
clients and products. Kyiv and Lviv sell to the same customers, so their imports race for every client (the
unique contacts settle it); Odesa sells the same products to other customers, so nothing but the product
locks (integrations.locks) keeps its imports and the others' from creating one product twice.
"""

import random
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import Count
from django.utils import timezone
from django_q.models import Schedule, Task
from django_q.tasks import async_task

from catalog.models import Product
from contacts.models import Client
from fakes.shopify import FakeShopify
from fakes.shopify_orders import ORDER_GID
from fakes.shopify_samples import sample_orders
from integrations.connecting import store_connect
from integrations.models import BackfillState, ImportLog, Store, WebhookDelivery
from integrations.platforms import platform_for
from integrations.sync.matching import client_data
from integrations.tests.clusters import (
    REDIS_URL,
    cluster_environment,
    database_url,
    log_tail,
    qclusters,
    queued_tasks,
    redis_unreachable,
    unique_cluster_name,
    wait_until,
)
from integrations.tests.test_concurrency import run_at_once
from integrations.tests.test_shopify_e2e import eligible, imported
from orders.models import Event, Order, OrderItem, OrderType

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

WINDOW_ORDERS = 90  # per shop, placed in the month before connecting (some finished: not imported, R3)
LIVE_ORDERS = 30  # per shop, placed after connecting: each announced by webhooks, several times
UNANNOUNCED_ORDERS = 10  # per shop, placed after connecting, whose webhooks were lost: the poll finds them
POLL_ROUNDS = 3  # polls of every store queued during the burst of webhooks
# shop -> seed of its orders: Kyiv and Lviv sell to the same customers, Odesa to others; all from one catalogue.
SHOPS = {"kyiv": 31, "lviv": 31, "odesa": 32}
DEADLINE = 300  # seconds for all of it; a loaded 2-core machine needs a fraction of that


@pytest.fixture
def redis_queue(settings, monkeypatch):
    """This process queues its tasks where the clusters take them, on Redis, instead of running them inline."""
    if reason := redis_unreachable():
        pytest.skip(f"{reason} (set ROAPP_TEST_REDIS_URL)")
    from django_q.conf import Conf

    name = unique_cluster_name("scaleout")
    cluster = {key: value for key, value in settings.Q_CLUSTER.items() if key != "orm"}
    settings.Q_CLUSTER = {**cluster, "name": name, "redis": REDIS_URL, "sync": False}
    # django-q2 reads Q_CLUSTER once, at import, into Conf: set what it derived, as Q_REDIS_URL would have.
    derived = {
        "SYNC": False,
        "ORM": None,
        "REDIS": REDIS_URL,
        "PREFIX": name,
        "CLUSTER_NAME": name,
        "Q_STAT": f"django_q:{name}:cluster",
    }
    for attr, value in derived.items():
        monkeypatch.setattr(Conf, attr, value)
    return name


def placed_after_connecting(window: list[dict], first_id: int, count: int, when: str) -> list[dict]:
    """Open orders placed at `when` by customers of the window, with products of the window."""
    orders = []
    for i in range(count):
        source, order_id = window[(i * 7) % len(window)], first_id + i
        lines = [
            {"node": {**edge["node"], "id": f"gid://shopify/LineItem/{order_id}{k:02d}"}}
            for k, edge in enumerate(source["lineItems"]["edges"])
        ]
        orders.append(
            {
                **source,
                "id": f"{ORDER_GID}{order_id}",
                "legacyResourceId": str(order_id),
                "name": f"#{order_id % 100000}",
                "createdAt": when,
                "updatedAt": when,
                "cancelledAt": None,
                "displayFulfillmentStatus": "UNFULFILLED",
                "displayFinancialStatus": "PAID",
                "fulfillments": [],
                "lineItems": {"edges": lines},
            }
        )
    return orders


def distinct_clients(stores_orders: list[tuple[Store, list[dict]]]) -> int:
    """How many clients these orders have by R21 (the same phone or email is the same client)."""
    parent = {}

    def root(key):
        while parent.setdefault(key, key) != key:
            key = parent[key]
        return key

    for store, nodes in stores_orders:
        for node in nodes:
            data = client_data(platform_for(store).map_order(node)).normalized()
            keys = [
                root(k)
                for k in (f"phone:{data.phone}" if data.phone else "", f"email:{data.email}" if data.email else "")
                if k
            ]
            for key in keys[1:]:
                parent[key] = keys[0]
    return len({root(k) for k in parent})


def shop_orders(seed: int, connected) -> tuple[list[dict], list[dict], list[dict]]:
    """A shop's window (the month before connecting), its announced live orders and its unannounced ones."""
    window = sample_orders(WINDOW_ORDERS, seed=seed, now=connected - timedelta(minutes=10), months=1)
    after = (connected + timedelta(seconds=10)).strftime("%Y-%m-%dT%H:%M:%SZ")
    live = placed_after_connecting(window, 5_000_100_000, LIVE_ORDERS, after)
    return window, live, placed_after_connecting(window, 5_000_200_000, UNANNOUNCED_ORDERS, after)


@pytest.mark.redis
def test_R7_two_worker_machines_on_redis_import_a_backfill_duplicated_webhooks_and_polls_once(
    redis_queue, live_server, tmp_path
):
    connected = timezone.now().replace(microsecond=0) - timedelta(minutes=1)
    plans = {name: shop_orders(seed, connected) for name, seed in SHOPS.items()}
    shops = {
        name: FakeShopify(
            orders=[n for part in plans[name] for n in part],
            token=f"shpat_{name}",
            myshopify_domain=f"{name}.myshopify.com",
            restore_rate=1e6,
            max_available=1e6,
        )
        for name in SHOPS
    }
    env = cluster_environment(database=database_url(connection.settings_dict), redis_url=REDIS_URL, name=redis_queue)
    with ExitStack() as running:
        for shop in shops.values():
            running.enter_context(shop)
        clusters_alive = running.enter_context(qclusters(2, env=env, logs=tmp_path))
        online = OrderType.objects.get(name="Online order")
        stores = {
            name: store_connect(
                platform="shopify",
                name=name,
                url=shop.url,
                now=connected,
                order_type=online,
                credentials={"token": shop.token},
                webhook_secret="whsec_scale",
            )
            for name, shop in shops.items()
        }  # each queues its backfill on Redis
        # Every live order announced three times under one delivery id (replays) and once under another.
        posts = [
            (name, node["legacyResourceId"], topic, f"{name}-{node['legacyResourceId']}-{topic}")
            for name in SHOPS
            for node in plans[name][1]
            for topic in ("orders/create",) * 3 + ("orders/updated",)
        ]
        random.Random(7).shuffle(posts)

        def deliver(post):
            name, order_id, topic, delivery = post
            hook = f"{live_server.url}/hooks/{stores[name].pk}/"
            answer = shops[name].send_webhook(
                hook, topic=topic, order_id=order_id, secret="whsec_scale", webhook_id=delivery, timeout=60
            )
            return answer.status_code

        answers = []
        async_task("integrations.tasks.poll_all_stores")
        with ThreadPoolExecutor(8) as senders:
            for round_ in range(POLL_ROUNDS):
                answers += senders.map(deliver, posts[round_::POLL_ROUNDS])
                for store in stores.values():
                    async_task("integrations.tasks.poll_store", store.pk)
        expected = {
            name: eligible(window, stores[name].backfill_since) | {n["legacyResourceId"] for n in live + unannounced}
            for name, (window, live, unannounced) in plans.items()
        }

        def settled():
            return (
                all(imported(stores[name]) == expected[name] for name in SHOPS)
                and Store.objects.filter(backfill_state=BackfillState.DONE).count() == len(SHOPS)
                and Task.objects.filter(func="integrations.tasks.poll_store").count() >= (POLL_ROUNDS + 1) * len(SHOPS)
                and queued_tasks(REDIS_URL, redis_queue) == 0
            )

        def healthy():
            clusters_alive()
            failed = list(Task.objects.filter(success=False).values_list("func", "result"))
            assert not failed, f"a task failed: {failed}"

        try:
            wait_until(settled, seconds=DEADLINE, what="every order imported and every task run", check=healthy)
        except AssertionError as exc:
            logs = "\n".join(log_tail(tmp_path / f"qcluster-{i}.log") for i in range(2))
            raise AssertionError(f"{exc}; {Order.objects.count()} orders imported; cluster logs:\n{logs}") from None
    # The clusters have stopped: nothing can change what is asserted below.

    deliveries = len(SHOPS) * LIVE_ORDERS * 2
    assert sorted(answers).count(202) == deliveries and WebhookDelivery.objects.count() == deliveries
    assert sorted(answers).count(204) == len(posts) - deliveries  # the replays changed nothing
    for name in SHOPS:
        assert imported(stores[name]) == expected[name]  # every order of the window, once (imported() checks "once")
    orders = [
        (stores[name], [n for n in shops[name].orders if n["legacyResourceId"] in expected[name]]) for name in SHOPS
    ]
    lines = [edge["node"] for _, nodes in orders for n in nodes for edge in n["lineItems"]["edges"]]
    assert OrderItem.objects.count() == len(lines)
    # Product locks: Odesa's imports and the others' never create one product twice (no constraint would stop them).
    assert Product.objects.count() == len({line["sku"] for line in lines})
    # Unique contacts and client locks: Kyiv's and Lviv's imports meet on every client.
    assert Client.objects.count() == distinct_clients(orders)
    feed = Event.objects.values("order", "kind", "text").annotate(n=Count("id"))
    assert feed.exists() and not feed.filter(n__gt=1).exists()  # no order tells the same thing twice in its feed
    assert not ImportLog.objects.exists()  # no import failed on a constraint another worker's import won
    assert not Task.objects.filter(success=False).exists(), list(Task.objects.filter(success=False).values("func"))
    ran = set(Task.objects.values_list("func", flat=True))
    assert {
        "integrations.tasks.backfill_store",
        "integrations.tasks.drain_webhooks",
        "integrations.tasks.poll_store",
    } <= ran


def test_R7_a_due_schedule_makes_one_task_however_many_clusters_run_their_scheduler():
    """django-q2 runs the scheduler in every cluster; it takes each due schedule with SELECT ... FOR UPDATE, and
    on PostgreSQL a cluster that waited for that row sees its next run moved on and leaves it alone."""
    from django_q.brokers import get_broker
    from django_q.scheduler import scheduler

    name = "Poll every store for changes"  # the migration's schedule: 5 minutes
    Schedule.objects.exclude(name=name).update(next_run=timezone.now() + timedelta(days=1))
    Schedule.objects.filter(name=name).update(next_run=timezone.now() - timedelta(seconds=1))
    run_at_once(4, lambda i: scheduler(broker=get_broker()))  # four clusters' guards at the same moment
    assert Task.objects.filter(group=name).count() == 1
    assert Schedule.objects.get(name=name).next_run > timezone.now() + timedelta(minutes=4)
