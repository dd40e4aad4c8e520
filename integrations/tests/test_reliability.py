"""Reliability on PostgreSQL: random platform faults, a killed worker, concurrent duplicates (R7, R41, R3)."""

import logging
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests
from django.db import connection
from django.utils import timezone

from catalog.models import Product
from contacts.models import Client
from fakes.server import Faults
from fakes.shopify_samples import sample_orders
from integrations.models import Store
from integrations.services import store_backfill
from integrations.tests.nodes import line, order_node
from integrations.tests.test_shopify_e2e import eligible, imported
from orders.models import Order, OrderItem

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_R41_random_faults_over_thousands_of_orders_lose_nothing_and_import_nothing_twice(
    shopify_store, fake_shopify, settings, caplog
):
    settings.ROAPP_PLATFORM_BACKOFF_SECONDS = 0.01
    settings.ROAPP_PLATFORM_TIMEOUT = (2.0, 0.5)
    settings.ROAPP_SHOPIFY_BULK_THRESHOLD = 0  # thousands of orders through pages (a bulk export: test_backfill_bulk)
    fake_shopify.fault_rates = Faults(
        rate_429=0.08,
        rate_5xx=0.08,
        rate_timeout=0.03,
        rate_truncated=0.05,
        rate_throttled=0.08,
        retry_after=0.01,
        timeout_delay=0.8,
    )
    for node in sample_orders(2000, seed=21, now=timezone.now(), months=1):
        fake_shopify.add_order(node)
    with caplog.at_level(logging.WARNING, logger="integrations.http"):
        store_backfill(store=Store.objects.get(pk=shopify_store.pk))
    assert imported(shopify_store) == eligible(fake_shopify.orders, shopify_store.backfill_since)
    assert len(fake_shopify.faults) >= 20  # it really was a bad day for the platform
    retries = [r for r in caplog.records if "retry" in r.getMessage()]
    # Every injected fault was retried (a busy CI machine may add a genuine timeout or two of its own).
    assert len(retries) >= len(fake_shopify.faults)
    assert {kind for kind in fake_shopify.faults} == {"429", "5xx", "timeout", "truncated", "throttled"}


def test_R3_a_killed_worker_resumes_from_its_checkpoint_with_no_duplicates_and_nothing_missed(
    shopify_store, fake_shopify
):
    for node in sample_orders(400, seed=22, now=timezone.now(), months=1):
        fake_shopify.add_order(node)
    fake_shopify.fault_rates = Faults(latency=0.05)  # slow enough to kill it mid-way
    env = dict(os.environ, DATABASE_URL=_database_url(), ROAPP_TASKS_SYNC="true")
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "sync_store", shopify_store.name, "--backfill"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while Store.objects.get(pk=shopify_store.pk).backfill_done < 60:  # wait for the first checkpoint
            assert worker.poll() is None, worker.stderr.read().decode()[-2000:]
            assert time.monotonic() < deadline, "the worker made no progress in 60 s"
            time.sleep(0.05)
    finally:
        worker.kill()  # SIGKILL: no cleanup, no except block, like a machine losing power
        worker.wait(timeout=10)
    store = Store.objects.get(pk=shopify_store.pk)
    done_before = store.backfill_done
    assert store.backfill_state == "running" and 0 < done_before < 400
    assert len(imported(store)) <= done_before  # nothing past the last checkpoint survived
    fake_shopify.fault_rates = Faults()
    requests_before = len(fake_shopify.requests)
    store_backfill(store=store)
    assert imported(store) == eligible(fake_shopify.orders, store.backfill_since)
    assert OrderItem.objects.filter(order__store=store).count() == sum(
        len(n["lineItems"]["edges"]) for n in fake_shopify.orders if n["legacyResourceId"] in imported(store)
    )
    pages_left = -(-(400 - done_before) // 20)
    assert len(fake_shopify.requests) - requests_before <= pages_left + 1


def _database_url() -> str:
    s = connection.settings_dict
    return f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def test_R7_the_same_webhook_many_times_at_once_leaves_one_order_client_product(
    live_server, shopify_store, fake_shopify
):
    node = order_node(777001, lines=[line(1, name="Case", sku="C-1")], created="2026-11-24T10:00:00Z")
    fake_shopify.add_order(node)
    hook = f"{live_server.url}/hooks/{shopify_store.pk}/"
    barrier = threading.Barrier(8)
    answers = []

    def deliver(i):
        barrier.wait(timeout=10)
        # Half replay one delivery id, half carry new ones; the body is the same, so all but one are replays.
        answers.append(
            fake_shopify.send_webhook(
                hook, order_id=777001, secret="whsec_test", webhook_id="same" if i % 2 else f"d-{i}"
            ).status_code
        )

    threads = [threading.Thread(target=deliver, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(answers) == [202] + [204] * 7
    assert Order.objects.filter(store=shopify_store).count() == 1
    assert Client.objects.count() == 1 and Product.objects.count() == 1


def test_R7_overlapping_poll_refresh_and_webhook_for_one_order(live_server, shopify_store, fake_shopify):
    from integrations.refresh import orders_refresh
    from integrations.services import store_poll
    from integrations.sync import import_payloads

    node = order_node(
        888001,
        lines=[line(1, name="Glass", sku="G-1")],
        created="2026-11-24T10:00:00Z",
        updated=timezone.now().strftime("%Y-%m-%dT%H:%M:%SZ"),
    )
    fake_shopify.add_order(node)
    import_payloads(store=shopify_store, payloads=[node])
    fake_shopify.update_order(
        888001, lineItems=order_node(1, lines=[line(1, name="Glass", sku="G-1", qty=3)])["lineItems"]
    )
    order = Order.objects.get(store=shopify_store)
    hook = f"{live_server.url}/hooks/{shopify_store.pk}/"
    barrier = threading.Barrier(3)
    errors = []

    def run(job):
        try:
            barrier.wait(timeout=10)
            job()
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    jobs = [
        lambda: store_poll(store=Store.objects.get(pk=shopify_store.pk)),
        lambda: orders_refresh(orders=[Order.objects.get(pk=order.pk)]),
        lambda: (
            requests.post(hook, timeout=30) and fake_shopify.send_webhook(hook, order_id=888001, secret="whsec_test")
        ),
    ]
    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    assert Order.objects.filter(store=shopify_store).count() == 1
    assert list(order.items.values_list("quantity", flat=True)) == [3]
    assert Client.objects.count() == 1 and Product.objects.count() == 1
