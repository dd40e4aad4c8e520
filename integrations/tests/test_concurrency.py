"""Two workers at once never duplicate an order, a client or a product (R7) — on PostgreSQL."""

import threading
from contextlib import contextmanager

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from catalog.models import Product
from contacts.models import Client
from integrations import tasks
from integrations.locks import store_job_lock
from integrations.models import ImportLog, Store
from integrations.sync import import_payloads
from integrations.tests.nodes import line, order_node
from orders.models import Order, OrderItem

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def run_at_once(n, work):
    """Run `work(i)` in n threads released together, each on its own database connection."""
    barrier = threading.Barrier(n)
    errors = []

    def target(i):
        try:
            barrier.wait(timeout=10)
            work(i)
        except Exception as exc:  # surfaced below, so a failure in a thread fails the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=target, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads), "a worker is still blocked after 60 s"
    assert not errors, errors


def test_R7_concurrent_imports_of_the_same_new_order_leave_one_order_client_product(store):
    """Each worker waits for the one ahead of it (the store's lock) and then finds the order there: one creates
    it, five see it unchanged. The unique constraints alone would also leave one order, but the losers' saves
    would fail and show staff an import problem for an order that imported fine."""
    node = order_node(1001, lines=[line(1, name="Case", sku="C-1")])
    results = []
    run_at_once(6, lambda i: results.append(import_payloads(store=Store.objects.get(pk=store.pk), payloads=[node])))
    assert Order.objects.count() == 1
    assert OrderItem.objects.count() == 1
    assert Client.objects.count() == 1
    assert Product.objects.count() == 1
    assert sorted((r.created, r.unchanged, r.failed) for r in results) == [(0, 1, 0)] * 5 + [(1, 0, 0)]
    assert ImportLog.objects.count() == 0


def test_R7_overlapping_pages_from_four_workers_duplicate_nothing(store):
    """Four workers import the same 40 orders (shared clients and products), each in its own order."""
    nodes = [
        order_node(
            3000 + i,
            phone=f"+38067{i % 7:07d}",
            email=f"c{i % 7}@example.com",
            lines=[line(1, name=f"P{i % 5}", sku=f"S{i % 5}"), line(2, name=f"P{(i + 1) % 5}", sku=f"S{(i + 1) % 5}")],
        )
        for i in range(40)
    ]
    pages = [nodes[i * 10 :] + nodes[: i * 10] for i in range(4)]
    run_at_once(4, lambda i: import_payloads(store=Store.objects.get(pk=store.pk), payloads=pages[i]))
    assert Order.objects.count() == 40
    assert OrderItem.objects.count() == 80
    assert Client.objects.count() == 7
    assert Product.objects.count() == 5
    assert ImportLog.objects.count() == 0  # the later workers saw the orders, nothing "failed"


def test_R7_R21_concurrent_different_orders_of_one_client_and_product_share_them(store):
    nodes = [
        order_node(
            2000 + i,
            phone=["067 123 45 67", "+380671234567", "380-67-123-4567"][i % 3],
            lines=[line(1, name="Case", sku="C-1")],
        )
        for i in range(6)
    ]
    run_at_once(6, lambda i: import_payloads(store=Store.objects.get(pk=store.pk), payloads=[nodes[i]]))
    assert Order.objects.count() == 6
    assert Client.objects.count() == 1
    assert Product.objects.count() == 1


@contextmanager
def running_in_another_worker(job: str, store):
    """The store's `job` lock held on another connection (as a worker running that job holds it) for the block."""
    holding, finish = threading.Event(), threading.Event()

    def worker():
        try:
            with store_job_lock(job, store) as taken:
                assert taken
                holding.set()
                finish.wait(10)
        finally:
            connection.close()

    thread = threading.Thread(target=worker)
    thread.start()
    try:
        assert holding.wait(10)
        yield
    finally:
        finish.set()
        thread.join(10)


def test_R4_a_poll_is_skipped_while_another_poll_of_the_same_store_runs(shopify_store, fake_shopify):
    """After an outage a poll can outlast the 5-minute schedule: the next one must not run beside it."""
    store = Store.objects.get(pk=shopify_store.pk)
    with running_in_another_worker("poll", store):
        requests = len(fake_shopify.requests)
        assert tasks.poll_store(store.pk) == "skipped: a poll of this store is still running"
        assert len(fake_shopify.requests) == requests  # the platform was not asked anything
        with store_job_lock("poll", Store(pk=store.pk + 1)) as taken:
            assert taken  # another store's poll is not held up
    assert tasks.poll_store(store.pk).startswith("created")  # once the other poll ended, polls run again


def test_R3_one_backfill_slice_per_store_at_a_time_and_the_command_waits_its_turn(shopify_store, fake_shopify):
    """A slice the broker hands out twice (it waited past Q_RETRY) steps aside instead of starting a second chain;
    `sync_store` refuses to run beside a worker's poll or backfill."""
    store = Store.objects.get(pk=shopify_store.pk)
    with running_in_another_worker("backfill", store):
        requests = len(fake_shopify.requests)
        assert tasks.backfill_store(store.pk) == "skipped: a backfill of this store is already running"
        assert len(fake_shopify.requests) == requests
        with pytest.raises(CommandError, match="A backfill of Kyiv Cases is running in a worker now"):
            call_command("sync_store", "Kyiv Cases", "--backfill", verbosity=0)
    call_command("sync_store", "Kyiv Cases", "--backfill", verbosity=0)
    assert Store.objects.get(pk=store.pk).backfill_state == "done"
