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
        f"/hooks/{store.pk}/",
        data=body,
        content_type="application/json",
        HTTP_X_SHOPIFY_HMAC_SHA256=hmac_sha256_base64(secret="whsec_test", body=body),
        HTTP_X_SHOPIFY_WEBHOOK_ID=delivery_id,
    )


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


def test_R4_a_drain_presumed_lost_is_queued_again(
    client, shopify_store, fake_shopify, django_capture_on_commit_callbacks
):
    fake_shopify.add_order(order_node(9200, created="2026-11-24T10:00:00Z"))
    stale = timezone.now() - timedelta(minutes=5)
    Store.objects.filter(pk=shopify_store.pk).update(webhook_drain_queued_at=stale)
    with django_capture_on_commit_callbacks(execute=True):
        assert post(client, shopify_store, 9200, "late").status_code == 202
    assert Order.objects.filter(external_id="9200").exists()
    store = Store.objects.get(pk=shopify_store.pk)
    assert store.last_webhook_at is not None and store.webhook_drain_queued_at is None


@pytest.mark.postgres
def test_R7_a_second_drain_of_a_store_steps_aside_while_one_runs(client, shopify_store, fake_shopify):
    """Two drains would fetch the same orders twice (the sweep may queue one while another still runs)."""
    import psycopg
    from django.db import connection

    from integrations.locks import _key

    fake_shopify.add_order(order_node(9300, created="2026-11-24T10:00:00Z"))
    assert post(client, shopify_store, 9300, "d-9300").status_code == 202
    requests_before = len(fake_shopify.requests)
    s = connection.settings_dict
    with psycopg.connect(
        host=s["HOST"] or None,
        port=s["PORT"] or None,
        user=s["USER"] or None,
        password=s["PASSWORD"] or None,
        dbname=s["NAME"],
        autocommit=True,
    ) as other:
        other.execute("SELECT pg_advisory_lock(%s)", [_key(f"drain:{shopify_store.pk}")])  # a drain in another worker
        assert tasks.drain_webhooks(shopify_store.pk) == "0 deliveries"
        assert not Order.objects.exists() and len(fake_shopify.requests) == requests_before
    assert tasks.drain_webhooks(shopify_store.pk) == "1 deliveries"
    assert Order.objects.filter(external_id="9300").exists()
