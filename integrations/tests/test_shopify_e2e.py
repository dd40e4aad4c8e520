"""Shopify end to end, over real HTTP against the fake shop: connect, backfill, webhook, poll, faults."""

import gc
import logging
import re
import threading
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from fakes.server import Faults
from fakes.shopify import FakeShopify
from fakes.shopify_samples import sample_orders
from integrations import tasks
from integrations.connecting import two_calendar_months_before
from integrations.models import Store
from integrations.services import store_backfill
from integrations.tests.nodes import line, order_node
from orders.models import Event, Order


def eligible(nodes, since):
    """What R3 says the backfill must bring: created in the window, not fulfilled/cancelled/refunded."""
    return {
        n["legacyResourceId"]
        for n in nodes
        if n["createdAt"] >= since.strftime("%Y-%m-%dT%H:%M:%SZ")
        and not n.get("cancelledAt")
        and n["displayFulfillmentStatus"] != "FULFILLED"
        and n["displayFinancialStatus"] != "REFUNDED"
    }


def imported(store):
    ids = list(Order.objects.filter(store=store).values_list("external_id", flat=True))
    assert len(ids) == len(set(ids))
    return set(ids)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_R3_R4_R42_connect_backfill_webhook_and_poll_end_to_end(live_server, capsys):
    now = timezone.now()
    nodes = sample_orders(150, seed=3, now=now, months=3)
    with FakeShopify(
        orders=nodes, token="shpat_e2e", myshopify_domain="e2e-shop.myshopify.com", restore_rate=100000
    ) as shop:
        call_command(
            "connect_store",
            "--platform",
            "shopify",
            "--name",
            "E2E",
            "--url",
            shop.url,
            "--token",
            "shpat_e2e",
            "--webhook-secret",
            "whsec_e2e",
        )
        store = Store.objects.get(name="E2E")
        # The backfill ran as a django-q2 task (inline in tests) right after connecting.
        assert store.backfill_state == "done"
        assert store.shop_domain == "e2e-shop.myshopify.com" and store.shop_plan == "Grow"
        expected = eligible(nodes, two_calendar_months_before(store.connected_at))
        assert 20 < len(expected) < 150
        assert imported(store) == expected

        # A new order arrives by webhook: verified, recorded, fetched through the API, imported.
        [new] = shop.generate_orders(1)
        hook = f"{live_server.url}/hooks/{store.pk}/"
        response = shop.send_webhook(hook, order_id=new["legacyResourceId"], secret="whsec_e2e", webhook_id="w-1")
        assert response.status_code == 202
        assert new["legacyResourceId"] in imported(store)
        replay = shop.send_webhook(hook, order_id=new["legacyResourceId"], secret="whsec_e2e", webhook_id="w-1")
        assert replay.status_code == 204
        forged = shop.send_webhook(hook, order_id=new["legacyResourceId"], secret="not-the-secret", webhook_id="w-2")
        assert forged.status_code == 401

        # A change on the platform is picked up by the poll (R4, R19), and a second poll changes nothing (R7).
        changed_id = sorted(expected)[0]
        shop.update_order(changed_id, lineItems=order_node(1, lines=[line(1, name="Cable", qty=9)])["lineItems"])
        call_command("sync_store", "E2E", verbosity=0)
        assert "updated 1" in capsys.readouterr().out
        order = Order.objects.get(store=store, external_id=changed_id)
        assert [(i.product.name, i.quantity) for i in order.items.all()] == [("Cable", 9)]
        events = Event.objects.count()
        call_command("sync_store", "E2E", verbosity=0)
        assert "updated 0" in capsys.readouterr().out
        assert Event.objects.count() == events


@pytest.mark.django_db
def test_R41_backfill_survives_429_5xx_timeouts_bad_json_and_throttling(shopify_store, fake_shopify, settings, caplog):
    settings.ROAPP_PLATFORM_TIMEOUT = (2.0, 0.5)
    settings.ROAPP_PLATFORM_BACKOFF_SECONDS = 0.01  # that each fault is retried is the proof, not how long it waits
    fake_shopify.fault_rates = Faults(timeout_delay=1.0)
    for node in sample_orders(90, seed=5, now=timezone.now(), months=1):
        fake_shopify.add_order(node)
    for kind in ("429", "5xx", "truncated", "throttled", "timeout"):
        fake_shopify.fail_next(kind)
    with caplog.at_level(logging.WARNING, logger="integrations.http"):
        store_backfill(store=Store.objects.get(pk=shopify_store.pk))
    expected = eligible(fake_shopify.orders, shopify_store.backfill_since)
    assert imported(shopify_store) == expected
    assert sorted(fake_shopify.faults) == sorted(["429", "5xx", "truncated", "throttled", "timeout"])
    retries = [r.getMessage() for r in caplog.records if "retry" in r.getMessage()]
    assert len(retries) >= 5  # one per fault; a busy machine may add a genuine timeout
    assert not any("shpat_test" in r.getMessage() for r in caplog.records)


@pytest.mark.django_db
def test_R3_backfill_resumes_from_its_checkpoint_without_duplicates(shopify_store, fake_shopify, monkeypatch):
    for node in sample_orders(100, seed=9, now=timezone.now(), months=1):
        fake_shopify.add_order(node)
    monkeypatch.setattr("integrations.prefetch.IMPORT_BATCH", 40)  # at most two pages of 20 per import batch

    class Crash(Exception):
        pass

    def crash_after_first_batch(count, total, so_far):
        raise Crash

    with pytest.raises(Crash):
        store_backfill(store=Store.objects.get(pk=shopify_store.pk), progress=crash_after_first_batch)
    store = Store.objects.get(pk=shopify_store.pk)
    done = store.backfill_done  # one batch: one page, or two if the second was fetched while the first imported
    assert store.backfill_state == "failed" and store.backfill_cursor and done in (20, 40)
    partial = imported(store)
    assert len(partial) <= done
    requests_before = len(fake_shopify.requests)
    store_backfill(store=store)
    store.refresh_from_db()
    assert store.backfill_state == "done"
    assert imported(store) == eligible(fake_shopify.orders, store.backfill_since)
    assert partial < imported(store)
    # It resumed after the checkpoint: 100 orders in pages of 20 is 5 pages; only those after it are fetched.
    assert len(fake_shopify.requests) - requests_before == (100 - done) // 20


@pytest.mark.django_db
def test_R3_a_long_backfill_goes_on_in_new_tasks_from_its_checkpoint_until_done(
    shopify_store, fake_shopify, monkeypatch, settings, django_capture_on_commit_callbacks, caplog
):
    for node in sample_orders(100, seed=9, now=timezone.now(), months=1):
        fake_shopify.add_order(node)
    monkeypatch.setattr("integrations.prefetch.IMPORT_BATCH", 20)  # one page of 20 per batch
    settings.Q_CLUSTER = {**settings.Q_CLUSTER, "timeout": 0}  # so every task's time is up after one batch
    caplog.set_level(logging.INFO, logger="integrations")
    with django_capture_on_commit_callbacks(execute=True):  # each task queues the next after its commit
        tasks.backfill_store(shopify_store.pk)
    store = Store.objects.get(pk=shopify_store.pk)
    assert store.backfill_state == "done" and store.backfill_done == 100
    assert imported(store) == eligible(fake_shopify.orders, store.backfill_since)  # each once, none missing
    messages = [r.getMessage() for r in caplog.records]
    paused = [re.search(r"backfill paused at its checkpoint after (\d+) orders", m) for m in messages]
    assert [p[1] for p in paused if p] == ["20", "40", "60", "80"]  # a task per page of 20
    assert sum("backfill finished" in m for m in messages) == 1


@pytest.mark.django_db
def test_R3_a_backfill_waits_while_its_store_is_disabled_and_goes_on_when_enabled(
    admin_client, shopify_store, fake_shopify, monkeypatch, settings, django_capture_on_commit_callbacks
):
    for node in sample_orders(60, seed=9, now=timezone.now(), months=1):
        fake_shopify.add_order(node)
    monkeypatch.setattr("integrations.prefetch.IMPORT_BATCH", 20)
    settings.Q_CLUSTER = {**settings.Q_CLUSTER, "timeout": 0}  # one batch per task
    with django_capture_on_commit_callbacks() as queued:
        tasks.backfill_store(shopify_store.pk)  # the first slice; its continuation is queued, not run yet
    Store.objects.filter(pk=shopify_store.pk).update(enabled=False)  # a manager switches the store off
    with django_capture_on_commit_callbacks(execute=True):
        for task in queued:
            task()
    store = Store.objects.get(pk=shopify_store.pk)
    assert store.backfill_state == "pending" and store.backfill_done == 20

    page = admin_client.get(reverse("admin:integrations_store_change", args=[store.pk])).context["adminform"].form
    data = {k: v for k, v in page.initial.items() if v is not None and k in page.fields}
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:integrations_store_change", args=[store.pk]), {**data, "enabled": "on", "_save": "1"}
        )
    assert response.status_code == 302
    store.refresh_from_db()
    assert store.enabled and store.backfill_state == "done" and store.backfill_done == 60
    assert imported(store) == eligible(fake_shopify.orders, store.backfill_since)


@pytest.mark.django_db
def test_R4_a_shopify_poll_with_a_backlog_moves_its_cursor_batch_by_batch_and_the_next_poll_goes_on(
    shopify_store, fake_shopify, monkeypatch, settings, caplog
):
    """After an outage the backlog can outlast a task: Shopify pages by time of change, so each poll keeps what
    it did and the next one starts there, instead of every poll re-reading the same first hours for ever."""
    now = timezone.now()
    for node in sample_orders(60, seed=5, now=now, months=1):
        fake_shopify.add_order(node)
    Store.objects.filter(pk=shopify_store.pk).update(poll_cursor=now - timedelta(days=40))
    monkeypatch.setattr("integrations.prefetch.IMPORT_BATCH", 20)
    settings.Q_CLUSTER = {**settings.Q_CLUSTER, "timeout": 0}  # each task's time is up after one batch
    caplog.set_level(logging.INFO, logger="integrations")
    cursors = []
    for _ in range(10):
        caplog.clear()
        tasks.poll_store(shopify_store.pk)
        cursors.append(Store.objects.get(pk=shopify_store.pk).poll_cursor)
        if not any("poll paused at its checkpoint" in r.getMessage() for r in caplog.records):
            break
    changes = sorted(n["updatedAt"] for n in fake_shopify.orders)
    assert cursors[0].strftime("%Y-%m-%dT%H:%M:%SZ") == changes[19]  # the first batch's last change
    assert 3 <= len(cursors) <= 5 and cursors == sorted(set(cursors))  # it moved with every poll
    assert cursors[-1].strftime("%Y-%m-%dT%H:%M:%SZ") == changes[-1]
    store = Store.objects.get(pk=shopify_store.pk)
    assert imported(store) == eligible(fake_shopify.orders, now - timedelta(days=40))


@pytest.mark.django_db
def test_R4_a_shopify_poll_never_pauses_on_the_second_it_started_from(
    shopify_store, fake_shopify, monkeypatch, settings
):
    """45 orders changed in the same second (a bulk edit): a poll starting from that second cannot move its cursor
    by pausing there, so it goes on through them instead of reading the same first page poll after poll."""
    now = timezone.now()
    for node in sample_orders(45, seed=6, now=now, months=1):
        fake_shopify.add_order({**node, "updatedAt": "2026-11-20T10:00:00Z"})
    Store.objects.filter(pk=shopify_store.pk).update(poll_cursor=now - timedelta(days=40))
    monkeypatch.setattr("integrations.prefetch.IMPORT_BATCH", 20)
    settings.Q_CLUSTER = {**settings.Q_CLUSTER, "timeout": 0}
    first = tasks.poll_store(shopify_store.pk)  # moves the cursor to that second after 20 orders, then pauses
    second = tasks.poll_store(shopify_store.pk)  # starts at that second: reads all 45 (20 of them again)
    seen = [sum(int(n) for n in re.findall(r"\d+", text)) for text in (first, second)]
    assert seen == [20, 45]
    store = Store.objects.get(pk=shopify_store.pk)
    assert store.poll_cursor.strftime("%Y-%m-%dT%H:%M:%SZ") == "2026-11-20T10:00:00Z"
    assert imported(store) == eligible(fake_shopify.orders, now - timedelta(days=40))


@pytest.mark.django_db
def test_a_failing_backfill_stops_fetching_and_unfreezes_the_collector_before_it_raises(
    shopify_store, fake_shopify, monkeypatch
):
    for node in sample_orders(100, seed=9, now=timezone.now(), months=1):
        fake_shopify.add_order(node)
    monkeypatch.setattr("integrations.prefetch.IMPORT_BATCH", 40)  # the fetcher is pages ahead when it fails
    gc.unfreeze()
    frozen_while_importing = []

    def crash_after_first_batch(count, total, so_far):
        frozen_while_importing.append(gc.get_freeze_count())
        raise RuntimeError("the task's progress could not be written")

    with pytest.raises(RuntimeError) as failure:
        store_backfill(store=Store.objects.get(pk=shopify_store.pk), progress=crash_after_first_batch)
    # While the failure is still in hand (its traceback keeps the backfill's frames alive), nothing fetches any more.
    assert failure.value and not [t for t in threading.enumerate() if t.name == "page-prefetch"]
    assert frozen_while_importing[0] > 0 and gc.get_freeze_count() == 0
    assert Store.objects.get(pk=shopify_store.pk).backfill_state == "failed"


@pytest.mark.django_db
def test_R2_connecting_a_shop_in_another_currency_is_refused(db):
    with FakeShopify(currency="USD") as shop:
        with pytest.raises(Exception, match="USD.*UAH"):
            call_command(
                "connect_store", "--platform", "shopify", "--name", "US", "--url", shop.url, "--token", "shpat_test"
            )
    assert not Store.objects.exists()


@pytest.mark.django_db
def test_R1_bad_token_is_refused_with_a_clear_message_and_nothing_saved(db):
    with FakeShopify(token="right") as shop:
        with pytest.raises(Exception, match="access refused"):
            call_command("connect_store", "--platform", "shopify", "--name", "X", "--url", shop.url, "--token", "wrong")
    assert not Store.objects.exists()


@pytest.mark.django_db
def test_R22_basic_plan_store_imports_clients_as_not_specified(db):
    now = timezone.now()
    with FakeShopify(
        plan="Basic",
        orders=[order_node(1, created=(now - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ"))],
        restore_rate=100000,
    ) as shop:
        call_command(
            "connect_store",
            "--platform",
            "shopify",
            "--name",
            "B",
            "--url",
            shop.url,
            "--token",
            "shpat_test",
            "--no-backfill",
        )
        call_command("sync_store", "B", "--backfill", verbosity=0)
    order = Order.objects.get()
    assert order.client.is_placeholder and str(order.client) == "Not specified"
