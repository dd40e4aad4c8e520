"""A webhook drain talks to the platform like a poll (R44, R51): after it the store's API budget is the one the
platform stated, and the store's health is checked at once, whether the drain succeeded or failed."""

import pytest

from integrations import tasks
from integrations.models import Store
from integrations.tests.nodes import order_node
from integrations.tests.test_webhook_hostile import CREATED, deliver
from integrations.tests.test_webhook_refusals import RefusingEveryOrder

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
