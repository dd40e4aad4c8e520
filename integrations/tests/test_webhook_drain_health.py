"""A webhook drain talks to the platform like a poll (R44, R51): after it the store's API budget is the one the
platform stated, and the store's health is checked at once, whether the drain succeeded or failed. A drain
ends only when no delivery is left waiting."""

import pytest

from fakes.server import json_response
from fakes.shopify import FakeShopify
from integrations import tasks, webhook_queue
from integrations.models import Store
from integrations.tests.nodes import order_node
from integrations.tests.test_webhook_hostile import CREATED, deliver
from integrations.tests.test_webhook_refusals import RefusingEveryOrder
from orders.models import Order

pytestmark = pytest.mark.django_db


def test_R44_R51_a_drain_records_the_api_budget_shopify_stated(client, shopify_store, fake_shopify):
    fake_shopify.add_order(order_node(4701, created=CREATED))
    assert deliver(client, shopify_store, 4701).status_code == 202
    assert Store.objects.get(pk=shopify_store.pk).api_budget_at is None
    assert tasks.drain_webhooks(shopify_store.pk) == "1 deliveries"
    store = Store.objects.get(pk=shopify_store.pk)
    assert store.api_budget_maximum == 1000.0 and 0 < store.api_budget_available <= 1000.0
    assert store.api_budget_at is not None


def test_R44_R51_a_failed_drain_alerts_at_once_when_the_failures_reach_the_limit(client, shopify_store, mailoutbox):
    Store.objects.filter(pk=shopify_store.pk).update(health_failures_limit=1, contact_emails="owner@example.com")
    with RefusingEveryOrder(token="shpat_test", myshopify_domain="kyiv-cases.myshopify.com") as shop:
        Store.objects.filter(pk=shopify_store.pk).update(url=shop.url)
        for order_id in (4702, 4703):  # a batch the platform refuses whole: the store's fault, not an order's
            assert deliver(client, shopify_store, order_id).status_code == 202
        with pytest.raises(Exception, match="refused every order"):
            tasks.drain_webhooks(shopify_store.pk)
    store = Store.objects.get(pk=shopify_store.pk)
    assert not store.healthy and [p["code"] for p in store.health_problems] == ["failing"]
    [alert] = mailoutbox
    assert alert.to == ["owner@example.com"] and "Kyiv Cases" in alert.subject


class RevokedAfterTheFirstOrder(FakeShopify):
    """A shop whose owner removes the app while a drain runs: the first order comes, every later query is 401."""

    orders_sent = 0

    def handle(self, method, path, headers, body):
        if b"Order/" in (body or b""):
            self.orders_sent += 1
            if self.orders_sent > 1:
                return json_response(401, {"errors": "[API] Invalid API key or access token"})
        return super().handle(method, path, headers, body)


def test_R44_R51_a_drain_cut_short_keeps_the_api_budget_its_last_answer_stated(client, shopify_store, monkeypatch):
    monkeypatch.setattr(webhook_queue, "BATCH", 1)
    with RevokedAfterTheFirstOrder(token="shpat_test", myshopify_domain="kyiv-cases.myshopify.com") as shop:
        Store.objects.filter(pk=shopify_store.pk).update(url=shop.url)
        for order_id in (4741, 4742):
            shop.add_order(order_node(order_id, created=CREATED))
            assert deliver(client, shopify_store, order_id).status_code == 202
        with pytest.raises(Exception, match="access refused"):
            tasks.drain_webhooks(shopify_store.pk)
    store = Store.objects.get(pk=shopify_store.pk)
    assert store.api_budget_maximum == 1000.0 and store.api_budget_at is not None
    assert list(Order.objects.values_list("external_id", flat=True)) == ["4741"]


def test_R51_a_delivery_recorded_as_the_drain_lets_go_is_drained_before_it_ends(
    client, shopify_store, fake_shopify, monkeypatch
):
    for order_id in (4711, 4712):
        fake_shopify.add_order(order_node(order_id, created=CREATED))
    assert deliver(client, shopify_store, 4711).status_code == 202
    drain_once = webhook_queue._drain_locked
    arrivals = [4712]

    def and_a_webhook_arrives(store):
        # The moment a second drain, stepping aside while this one holds the store, leaves a delivery behind.
        done = drain_once(store)
        while arrivals:
            assert deliver(client, shopify_store, arrivals.pop()).status_code == 202
        return done

    monkeypatch.setattr(webhook_queue, "_drain_locked", and_a_webhook_arrives)
    assert tasks.drain_webhooks(shopify_store.pk) == "2 deliveries"
    assert set(Order.objects.filter(store=shopify_store).values_list("external_id", flat=True)) == {"4711", "4712"}
