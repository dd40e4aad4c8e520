"""The contract every registered platform passes, each against its own fake (DESIGN.md: one shared test run
against every provider, as django-allauth does). The tests iterate the registry (PLATFORMS); what they need to know
of a platform beyond it is the CONTRACT harness of the platform's own test module (integrations/tests/contract.py),
so a new platform is held to the same rules without editing this file."""

import json
from datetime import UTC, datetime

import pytest

from catalog.models import Product
from contacts.models import Client
from fakes.registry import FAKES
from integrations.connecting import two_calendar_months_before
from integrations.models import BackfillState, ImportLog
from integrations.platforms import PLATFORMS
from integrations.platforms.woocommerce import client as woocommerce_client
from integrations.services import store_backfill, store_poll
from integrations.sync import import_payloads, refusal_reason
from integrations.tests.contract import harness_for
from integrations.tests.factories import StoreFactory
from orders.models import Event, Order, OrderItem

NOW = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)
ORDERS = 100  # over three months: about 67 fall in the two-month backfill window
PAGE = 20  # small pages, so every platform's paging is exercised several times


def test_every_registered_platform_has_a_harness_and_a_fake():
    harnesses = [harness_for(key) for key in PLATFORMS]
    assert sorted(h.key for h in harnesses) == sorted(PLATFORMS) == sorted(set(FAKES) - {"novaposhta"})  # a carrier


@pytest.fixture(params=sorted(PLATFORMS))
def harness(request, monkeypatch):
    h = harness_for(request.param)
    monkeypatch.setattr(*h.page_size, PAGE)
    monkeypatch.setattr("integrations.prefetch.IMPORT_BATCH", 2 * PAGE)  # two API pages per import batch
    monkeypatch.setattr("integrations.platforms.http._wait", lambda state: 0.0)  # retries without waiting
    return h


@pytest.fixture
def shop(harness):
    orders = harness.sample(ORDERS, seed=7, now=NOW)
    with FAKES[harness.key](orders=orders, **harness.fake_options) as fake:
        fake.sample = orders
        yield fake


@pytest.fixture
def store(db, harness, shop):
    store = StoreFactory(
        platform=harness.key,
        name=f"{harness.key} shop",
        url=shop.url,
        shop_plan="Grow",
        connected_at=NOW,
        backfill_since=two_calendar_months_before(NOW),
        poll_cursor=NOW,
    )
    store.credentials = harness.credentials(shop)
    store.save()
    PLATFORMS[harness.key].on_connect(store)
    return store


def expected(store, orders):
    """What the backfill must do with the shop's orders, decided from the rules, not from the importer's output."""
    platform = PLATFORMS[store.platform]
    window = [r for r in map(platform.map_order, orders) if r.created_at >= store.backfill_since]
    refused = {r.external_id for r in window if refusal_reason(platform=platform, remote=r)}
    finished = {r.external_id for r in window if r.created_at < store.connected_at and platform.skip_in_backfill(r)}
    imported = {r.external_id for r in window} - refused - finished
    return window, imported, refused


def counts():
    return (
        Order.objects.count(),
        OrderItem.objects.count(),
        Client.objects.count(),
        Product.objects.count(),
        Event.objects.count(),
        ImportLog.objects.count(),
    )


def test_contract_R3_backfill_pages_through_the_two_month_window(store, shop):
    batches = []
    result = store_backfill(store=store, progress=lambda n, total, so_far: batches.append(n))
    window, imported, refused = expected(store, shop.sample)
    assert len(window) >= 60 and len(shop.requests) >= len(window) // PAGE  # paged by the API's page size
    assert set(Order.objects.values_list("external_id", flat=True)) == imported  # nothing older, nothing finished
    assert set(ImportLog.objects.values_list("external_id", flat=True)) == refused
    assert result.seen == len(window) == sum(batches)  # merged into import batches, none lost
    # Each batch's counts add up to the backfill's: what the task reports, and the newest change it saw.
    finished = len(window) - len(imported) - len(refused)
    assert (result.created, result.updated, result.skipped, result.finished) == (
        len(imported),
        0,
        len(refused),
        finished,
    )
    assert result.as_text() == (
        f"created {len(imported)}, updated 0, unchanged 0, frozen 0, skipped {len(refused)}, "
        f"finished {finished}, failed 0"
    )
    assert result.latest_update == max(PLATFORMS[store.platform].map_order(o).updated_at for o in shop.sample)
    store.refresh_from_db()
    assert store.backfill_state == BackfillState.DONE and store.backfill_done == len(window)


def test_contract_R7_backfill_again_and_poll_change_nothing(store):
    store_backfill(store=store)
    before = counts()
    store.backfill_cursor = ""
    again = store_backfill(store=store)
    assert (again.created, again.updated, again.frozen) == (0, 0, 0)
    polled = store_poll(store=store)
    assert (polled.created, polled.updated, polled.frozen) == (0, 0, 0)
    assert counts() == before


def test_contract_R7_importing_the_same_page_twice_changes_nothing(store):
    client = PLATFORMS[store.platform].client(store)
    page = next(iter(client.orders_created_since(store.backfill_since)))
    first = import_payloads(store=store, payloads=page.payloads)
    before = counts()
    second = import_payloads(store=store, payloads=page.payloads)
    assert first.created > 0 and (second.created, second.updated) == (0, 0)
    assert second.unchanged + second.finished + second.skipped == len(page.payloads)
    assert counts() == before


def test_contract_R41_faults_and_a_crash_mid_backfill_lose_nothing_and_duplicate_nothing(store, shop, monkeypatch):
    # One page per batch: with ~67 orders, bigger batches would be fetched in full before the first commits.
    monkeypatch.setattr("integrations.prefetch.IMPORT_BATCH", PAGE)
    # Pages one at a time, so the faults injected after the first batch meet requests still to come (WooCommerce
    # asks for 4 at once and would have them all; its crash mid-way: test_backfill_concurrent_pages).
    monkeypatch.setattr(woocommerce_client, "CONCURRENT_PAGES", 1)
    shop.fail_next("429")
    shop.fail_next("5xx")
    shop.fail_next("truncated")
    crashed = []

    def crash_after_first_batch(n, total, so_far):
        if not crashed:
            crashed.append(n)
            shop.fail_next("5xx", 10)  # more than the client's attempts: this run gives up

    with pytest.raises(Exception, match="gave up"):
        store_backfill(store=store, progress=crash_after_first_batch)
    store.refresh_from_db()
    assert store.backfill_state == BackfillState.FAILED and store.backfill_cursor  # the checkpoint stays
    shop.fault_rates.rate_5xx = 0.0
    store_backfill(store=store)  # resumes from the checkpoint
    _window, imported, _refused = expected(store, shop.sample)
    ids = list(Order.objects.values_list("external_id", flat=True))
    assert sorted(ids) == sorted(imported) and len(ids) == len(set(ids))
    assert shop.faults[:3] == ["429", "5xx", "truncated"]


def test_contract_maps_a_real_fixture(harness):
    remote = PLATFORMS[harness.key].map_order(harness.fixture())
    assert (remote.external_id, remote.number, len(remote.lines), remote.currency) == harness.fixture_expect
    assert remote.created_at.tzinfo is not None and remote.created_at.utcoffset().total_seconds() == 0
    assert all(line.quantity > 0 and line.price >= 0 and line.name for line in remote.lines)


def test_contract_R42_webhook_verification(harness):
    platform = PLATFORMS[harness.key]
    body = harness.webhook_body()
    payload = json.loads(body)
    assert platform.webhook_order_id(headers={}, payload=payload) == harness.webhook_order
    if harness.sign is None:  # unsigned by the platform: accepted as a hint to fetch the order, junk refused
        assert platform.verify_webhook(secret="", body=body, headers={})
        assert not platform.verify_webhook(secret="", body=b"<html>", headers={})
        return
    assert platform.verify_webhook(secret="s3cret", body=body, headers=harness.sign(body, "s3cret"))
    assert not platform.verify_webhook(secret="s3cret", body=body, headers=harness.sign(body, "other"))
    assert not platform.verify_webhook(secret="s3cret", body=body + b" ", headers=harness.sign(body, "s3cret"))
    assert not platform.verify_webhook(secret="s3cret", body=body, headers={})
    assert not platform.verify_webhook(secret="", body=body, headers=harness.sign(body, ""))
