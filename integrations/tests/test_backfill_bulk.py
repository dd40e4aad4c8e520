"""R50: a large Shopify backfill window runs as one bulk operation, over real HTTP against the fake shop."""

import io
import json
import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from graphql import parse, validate
from graphql.validation import NoDeprecatedCustomRule, specified_rules

from fakes.shopify_samples import sample_orders
from fakes.shopify_schema import get_schema
from integrations.models import Store
from integrations.platforms.shopify import bulk
from integrations.services import store_backfill
from integrations.tests.nodes import line, order_node
from integrations.tests.test_shopify_e2e import eligible, imported
from orders.models import Order

WITH_DEPRECATIONS = [*specified_rules, NoDeprecatedCustomRule]


class Crash(Exception):
    pass


@pytest.fixture
def bulk_shop(fake_shopify, settings):
    """150 orders created in the last month, one of them with 8 lines (more than a paged query's first 5)."""
    settings.ROAPP_SHOPIFY_BULK_THRESHOLD = 100
    now = timezone.now()
    for node in sample_orders(149, seed=21, now=now, months=1):
        fake_shopify.add_order(node)
    created = (now - timedelta(days=2)).strftime("%Y-%m-%dT%H:%M:%SZ")
    fake_shopify.add_order(order_node(77, created=created, lines=[line(n, name=f"Case {n}") for n in range(1, 9)]))
    return fake_shopify


@pytest.fixture
def sent(bulk_shop, monkeypatch):
    """The GraphQL operations the fake shop is asked to run, by the name of their first field."""
    names = []
    answer = bulk_shop.answer

    def recording(query, variables, operation_name=None):
        names.append(re.search(r"\{\s*(\w+)", query)[1])
        return answer(query, variables, operation_name)

    monkeypatch.setattr(bulk_shop, "answer", recording)
    return names


def lines_of(store) -> dict[str, int]:
    return {o.external_id: o.items.count() for o in Order.objects.filter(store=store).prefetch_related("items")}


@pytest.mark.parametrize("name", sorted(bulk.DOCUMENTS))
def test_R50_bulk_documents_are_valid_and_not_deprecated_in_the_2026_04_schema(name):
    assert validate(get_schema(), parse(bulk.DOCUMENTS[name]), WITH_DEPRECATIONS) == []


def test_R50_the_bulk_export_query_itself_is_valid_and_not_deprecated_in_the_2026_04_schema():
    inner = bulk.bulk_orders_query(timezone.now() - timedelta(days=61))
    assert validate(get_schema(), parse(inner), WITH_DEPRECATIONS) == []
    assert "created_at:>=" in inner and "first:" not in inner  # the window, and every line of every order


@pytest.mark.django_db
def test_R50_a_window_above_the_threshold_imports_every_order_once_through_one_bulk_operation(
    shopify_store, bulk_shop, sent, settings
):
    settings.ROAPP_PLATFORM_BACKOFF_SECONDS = 0.01
    for kind in ("429", "5xx", "throttled", "truncated"):  # the Admin API has a bad day; the export goes on
        bulk_shop.fail_next(kind)
    store_backfill(store=Store.objects.get(pk=shopify_store.pk))
    store = Store.objects.get(pk=shopify_store.pk)
    assert store.backfill_state == "done"
    assert imported(store) == eligible(bulk_shop.orders, store.backfill_since)
    assert lines_of(store)["77"] == 8
    for node in bulk_shop.orders:
        if node["legacyResourceId"] in lines_of(store):
            assert lines_of(store)[node["legacyResourceId"]] == len(node["lineItems"]["edges"])
    assert len(bulk_shop.bulk.operations) == 1
    # Counted, exported, polled: no page of orders and no follow-up fetch of lines.
    assert set(sent) == {"ordersCount", "bulkOperationRunQuery", "bulkOperation"}
    assert sent.count("bulkOperationRunQuery") == 1
    assert store.backfill_done == store.backfill_total == 150
    assert not store.backfill_bulk_id and not store.backfill_bulk_url  # nothing left to resume


@pytest.mark.django_db
@pytest.mark.parametrize("threshold", [1000, 0])
def test_R50_a_window_below_the_threshold_or_with_bulk_off_pages(shopify_store, bulk_shop, sent, settings, threshold):
    settings.ROAPP_SHOPIFY_BULK_THRESHOLD = threshold
    store_backfill(store=Store.objects.get(pk=shopify_store.pk))
    store = Store.objects.get(pk=shopify_store.pk)
    assert imported(store) == eligible(bulk_shop.orders, store.backfill_since)
    assert lines_of(store)["77"] == 8
    assert bulk_shop.bulk.operations == {}
    assert "orders" in sent and "bulkOperationRunQuery" not in sent


@pytest.mark.django_db
def test_R50_a_crash_in_mid_import_resumes_from_the_checkpoint_in_the_same_file(shopify_store, bulk_shop, monkeypatch):
    monkeypatch.setattr("integrations.prefetch.IMPORT_BATCH", 40)  # batches of one 50-order page

    def crash_after_first_batch(count, total, so_far):
        raise Crash

    with pytest.raises(Crash):
        store_backfill(store=Store.objects.get(pk=shopify_store.pk), progress=crash_after_first_batch)
    store = Store.objects.get(pk=shopify_store.pk)
    assert store.backfill_state == "failed" and store.backfill_bulk_id and store.backfill_bulk_line > 0
    assert store.backfill_done == 50
    partial = imported(store)
    assert partial

    result = store_backfill(store=store)
    store.refresh_from_db()
    assert store.backfill_state == "done"
    assert imported(store) == eligible(bulk_shop.orders, store.backfill_since)
    assert len(bulk_shop.bulk.operations) == 1  # the same export, read on after its checkpoint
    assert result.seen == 100 and result.unchanged == 0  # nothing before the checkpoint was imported again
    assert store.backfill_done == 150


@pytest.mark.django_db
@pytest.mark.parametrize("how", ["the address answers no more", "seven days have passed"])
def test_R50_a_crash_after_the_result_expired_starts_a_new_export(shopify_store, bulk_shop, monkeypatch, how):
    monkeypatch.setattr("integrations.prefetch.IMPORT_BATCH", 40)

    def crash_after_first_batch(count, total, so_far):
        raise Crash

    with pytest.raises(Crash):
        store_backfill(store=Store.objects.get(pk=shopify_store.pk), progress=crash_after_first_batch)
    store = Store.objects.get(pk=shopify_store.pk)
    first = store.backfill_bulk_id
    if how == "the address answers no more":
        bulk_shop.bulk.expire(first)
    else:
        Store.objects.filter(pk=store.pk).update(backfill_bulk_url_expires=timezone.now() - timedelta(seconds=1))
    store_backfill(store=Store.objects.get(pk=store.pk))
    store = Store.objects.get(pk=store.pk)
    assert store.backfill_state == "done"
    assert len(bulk_shop.bulk.operations) == 2
    assert imported(store) == eligible(bulk_shop.orders, store.backfill_since)
    assert store.backfill_done == 150  # counted again from the new file's start


@pytest.mark.django_db
def test_R50_a_failed_operation_falls_back_to_paging(shopify_store, bulk_shop, sent, caplog):
    bulk_shop.bulk.fail_next("INTERNAL_SERVER_ERROR", after=60)
    store_backfill(store=Store.objects.get(pk=shopify_store.pk))
    store = Store.objects.get(pk=shopify_store.pk)
    [operation] = bulk_shop.bulk.operations.values()
    assert operation["status"] == "FAILED" and operation["partialDataUrl"]
    assert store.backfill_state == "done"
    assert imported(store) == eligible(bulk_shop.orders, store.backfill_since)
    assert lines_of(store)["77"] == 8
    assert "orders" in sent
    assert "ended FAILED INTERNAL_SERVER_ERROR; the window is paged instead" in caplog.text


@pytest.mark.django_db
def test_R50_an_export_shopify_is_already_busy_with_is_waited_for_never_cancelled(shopify_store, bulk_shop, sent):
    bulk_shop.bulk.occupy()  # another process of the app runs as many bulk queries as Shopify allows
    store_backfill(store=Store.objects.get(pk=shopify_store.pk), seconds=0.5)
    store = Store.objects.get(pk=shopify_store.pk)
    assert store.backfill_state == "running" and not store.backfill_bulk_id  # waits for its next task
    assert not Order.objects.filter(store=store).exists() and bulk_shop.bulk.operations == {}
    assert "bulkOperationCancel" not in sent
    bulk_shop.bulk.occupy(False)
    store_backfill(store=store)
    store.refresh_from_db()
    assert store.backfill_state == "done" and len(bulk_shop.bulk.operations) == 1
    assert imported(store) == eligible(bulk_shop.orders, store.backfill_since)


@pytest.mark.django_db
def test_R50_progress_names_the_phase_on_the_store_page_and_in_sync_store(shopify_store, bulk_shop, admin_client):
    bulk_shop.bulk.hold(after=40)  # Shopify is still exporting when the task's time is up
    phases = []
    store_backfill(store=Store.objects.get(pk=shopify_store.pk), seconds=0, phase=phases.append)
    store = Store.objects.get(pk=shopify_store.pk)
    assert store.backfill_state == "running" and store.backfill_bulk_id
    assert phases and all(re.fullmatch(r"exporting on Shopify: \d+ objects", p) for p in phases)
    page = admin_client.get(f"/admin/integrations/store/{store.pk}/change/").content.decode()
    assert re.search(r"exporting on Shopify: \d+ objects", page)

    bulk_shop.bulk.release()
    out = io.StringIO()
    call_command("sync_store", store.name, "--backfill", stderr=out, stdout=out)
    text = out.getvalue()
    assert re.search(r"exporting on Shopify: \d+ objects", text) and "importing 150 of 150" in text
    store.refresh_from_db()
    assert store.backfill_state == "done"
    assert imported(store) == eligible(bulk_shop.orders, store.backfill_since)


def test_R50_the_fake_refuses_a_bulk_query_shopify_would_refuse(fake_shopify):
    answer = json.loads(fake_shopify.answer(bulk.RUN_QUERY_MUTATION, {"query": TOO_DEEP}))
    [error] = answer["data"]["bulkOperationRunQuery"]["userErrors"]
    assert error["code"] == "INVALID" and "nested more than 2 levels" in error["message"]
    answer = json.loads(fake_shopify.answer(bulk.RUN_QUERY_MUTATION, {"query": "{ shop { name } }"}))
    assert "at least one connection" in answer["data"]["bulkOperationRunQuery"]["userErrors"][0]["message"]


def test_R50_without_grouping_the_fake_puts_line_items_after_a_later_order(fake_shopify):
    now = timezone.now()
    for node in sample_orders(3, seed=1, now=now, months=1):
        fake_shopify.add_order(node)
    query = bulk.bulk_orders_query(now - timedelta(days=40))
    started = fake_shopify.bulk.run_query(query, False)["bulkOperation"]
    assert fake_shopify.bulk.wait(started["id"])["status"] == "COMPLETED"
    lines = [json.loads(x) for x in (fake_shopify.bulk.directory / "1.jsonl").read_text().splitlines()]
    parents = [x["id"] for x in lines if "__parentId" not in x]
    first_child = next(i for i, x in enumerate(lines) if x.get("__parentId") == parents[0])
    assert lines.index(next(x for x in lines if x["id"] == parents[1])) < first_child


TOO_DEEP = """{ orders { edges { node { id lineItems { edges { node { id product { id
  variants { edges { node { id } } } } } } } } } } }"""
