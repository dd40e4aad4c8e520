"""Replayed webhooks and the drain's reach (R51): a replay queues a drain again only while its own first
delivery still waits, and a store's drain works off that store's deliveries alone."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from integrations import tasks
from integrations.models import Store, WebhookDelivery
from integrations.tests.factories import StoreFactory, WebhookDeliveryFactory
from integrations.tests.nodes import order_node
from integrations.tests.test_webhook_hostile import CREATED, deliver
from integrations.webhook_queue import body_digest

pytestmark = pytest.mark.django_db

TOPIC = "orders/updated"  # what test_webhook_hostile.deliver sends


def delivered(client, store, capture, order_id, **headers) -> tuple[int, int]:
    """The answer to a webhook naming `order_id` (the same body every time), and how many drains it queued."""
    with capture() as queued:
        status = deliver(client, store, order_id, **headers).status_code
    return status, len(queued)


def drain_presumed_lost(store) -> None:
    Store.objects.filter(pk=store.pk).update(webhook_drain_queued_at=timezone.now() - timedelta(minutes=10))


@pytest.mark.parametrize("topic", [TOPIC, "orders/" + "x" * 150])  # a topic longer than the column keeps
def test_R51_a_replay_queues_the_drain_again_while_its_first_delivery_still_waits(
    client, shopify_store, django_capture_on_commit_callbacks, topic
):
    capture = django_capture_on_commit_callbacks
    assert delivered(client, shopify_store, capture, 4601, HTTP_X_SHOPIFY_TOPIC=topic) == (202, 1)
    drain_presumed_lost(shopify_store)
    assert delivered(client, shopify_store, capture, 4601, HTTP_X_SHOPIFY_TOPIC=topic) == (204, 1)


def test_R51_a_replay_of_a_delivery_already_done_queues_no_drain_whatever_else_waits(
    client, shopify_store, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    assert delivered(client, shopify_store, capture, 4601) == (202, 1)
    WebhookDelivery.objects.update(processed_at=timezone.now())
    digest = body_digest(json.dumps({"id": 4601}).encode())
    waiting = [
        (StoreFactory(), TOPIC, digest),  # the same body, waiting at another store
        (shopify_store, "orders/create", digest),  # the same body on another topic
        (shopify_store, TOPIC, body_digest(b'{"id": 4602}')),  # another body on the same topic
    ]
    for store, topic, body in waiting:
        WebhookDeliveryFactory(store=store, topic=topic, body_digest=body)
    drain_presumed_lost(shopify_store)
    assert delivered(client, shopify_store, capture, 4601) == (204, 0)


def test_R51_a_stores_drain_works_off_its_own_deliveries_only(client, shopify_store, fake_shopify):
    fake_shopify.add_order(order_node(4701, created=CREATED))
    assert deliver(client, shopify_store, 4701).status_code == 202
    elsewhere = WebhookDeliveryFactory(store=StoreFactory(), topic=TOPIC, body_digest="0" * 64)
    assert tasks.drain_webhooks(shopify_store.pk) == "1 deliveries"
    assert list(WebhookDelivery.objects.filter(processed_at__isnull=True)) == [elsewhere]


def test_R51_a_delivery_is_recorded_with_each_long_value_cut_to_what_its_column_holds(client, shopify_store):
    long_id, long_order, long_topic = "d" * 300, "7" * 80, "orders/" + "u" * 150
    assert (
        deliver(client, shopify_store, long_order, delivery_id=long_id, HTTP_X_SHOPIFY_TOPIC=long_topic).status_code
        == 202
    )
    row = WebhookDelivery.objects.get()
    assert (row.delivery_id, row.external_id, row.topic) == (long_id[:255], long_order[:64], long_topic[:100])
