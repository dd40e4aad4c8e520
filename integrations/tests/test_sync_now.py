"""A store's "Sync now": the poll of R4 on demand, at most once per 10 minutes per store (as R32 limits a
refresh), refused with the time the next one is possible."""

from datetime import timedelta

import pytest
from django.utils import timezone

from integrations.models import Store
from integrations.tests.nodes import order_node
from orders.admin_display import short_moment
from orders.models import Order

pytestmark = pytest.mark.django_db


def sync_now(admin_client, store, capture) -> str:
    with capture(execute=True):
        page = admin_client.post(
            "/admin/integrations/store/", {"action": "sync_now", "_selected_action": [store.pk]}, follow=True
        )
    return page.content.decode()


def new_order(fake_shopify, order_id):
    moment = (timezone.now() + timedelta(seconds=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    fake_shopify.add_order(order_node(order_id, created=moment, updated=moment))


def imported(store) -> list[str]:
    return sorted(Order.objects.filter(store=store).values_list("external_id", flat=True))


def test_R4_R32_sync_now_polls_the_store_at_once_and_at_most_once_per_10_minutes(
    admin_client, shopify_store, fake_shopify, django_capture_on_commit_callbacks
):
    new_order(fake_shopify, 1001)
    first = sync_now(admin_client, shopify_store, django_capture_on_commit_callbacks)
    assert "Kyiv Cases: sync queued." in first
    assert imported(shopify_store) == ["1001"]

    new_order(fake_shopify, 1002)
    second = sync_now(admin_client, shopify_store, django_capture_on_commit_callbacks)
    next_at = Store.objects.get(pk=shopify_store.pk).sync_not_before
    assert timedelta(minutes=9) < next_at - timezone.now() <= timedelta(minutes=10)
    assert f"Kyiv Cases was synced less than 10 minutes ago; next sync possible at {short_moment(next_at)}." in second
    assert "sync queued" not in second
    assert imported(shopify_store) == ["1001"]

    Store.objects.filter(pk=shopify_store.pk).update(sync_not_before=timezone.now())  # the 10 minutes are over
    third = sync_now(admin_client, shopify_store, django_capture_on_commit_callbacks)
    assert "Kyiv Cases: sync queued." in third
    assert imported(shopify_store) == ["1001", "1002"]
