"""Webhook deliveries are a queue drained in batches: a burst costs one fetch per 20 orders, not one each."""

from datetime import timedelta

import pytest
from django.utils import timezone

from integrations import tasks
from integrations.models import Store, WebhookDelivery
from integrations.platforms.signatures import hmac_sha256_base64
from integrations.tests.nodes import order_node
from orders.models import Order

pytestmark = pytest.mark.django_db


def post(client, store, order_id, delivery_id):
    body = f'{{"id": {order_id}}}'.encode()
    return client.post(
        f"/hooks/{store.pk}/", data=body, content_type="application/json",
        HTTP_X_SHOPIFY_HMAC_SHA256=hmac_sha256_base64(secret="whsec_test", body=body),
        HTTP_X_SHOPIFY_WEBHOOK_ID=delivery_id,
    )  # fmt: skip


def test_R7_a_burst_of_webhooks_is_imported_by_one_drain_in_one_request(client, shopify_store, fake_shopify):
    for i in range(5):
        fake_shopify.add_order(order_node(9100 + i, created="2026-11-24T10:00:00Z"))
    # A drain is already on its way (queued a moment ago), so the burst only records deliveries.
    Store.objects.filter(pk=shopify_store.pk).update(webhook_drain_queued_at=timezone.now())
    shopify_store.refresh_from_db()
    for i in range(5):
        assert post(client, shopify_store, 9100 + i, f"d-{i}").status_code == 202
    assert post(client, shopify_store, 9100, "d-0").status_code == 204  # a replay
    assert WebhookDelivery.objects.filter(processed_at__isnull=True).count() == 5
    requests_before = len(fake_shopify.requests)

    assert tasks.drain_webhooks(shopify_store.pk) == "5 deliveries"
    assert sorted(Order.objects.values_list("external_id", flat=True)) == [str(9100 + i) for i in range(5)]
    assert len(fake_shopify.requests) - requests_before == 1  # one nodes(ids) query for all five
    assert not WebhookDelivery.objects.filter(processed_at__isnull=True).exists()
    assert Store.objects.get(pk=shopify_store.pk).webhook_drain_queued_at is None


def test_R4_a_drain_presumed_lost_is_queued_again(client, shopify_store, fake_shopify,
                                                  django_capture_on_commit_callbacks):  # fmt: skip
    fake_shopify.add_order(order_node(9200, created="2026-11-24T10:00:00Z"))
    stale = timezone.now() - timedelta(minutes=5)
    Store.objects.filter(pk=shopify_store.pk).update(webhook_drain_queued_at=stale)
    with django_capture_on_commit_callbacks(execute=True):
        assert post(client, shopify_store, 9200, "late").status_code == 202
    assert Order.objects.filter(external_id="9200").exists()
    store = Store.objects.get(pk=shopify_store.pk)
    assert store.last_webhook_at is not None and store.webhook_drain_queued_at is None
