"""What a manual refresh writes in each order's feed (R54, R32): who refreshed, and what changed, that
nothing did, that the platform's changes were not applied (R8), or that the refresh failed."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from fakes.server import json_response
from fakes.shopify import FakeShopify
from integrations.models import Store
from integrations.refresh import refresh_run
from integrations.sync import import_payloads
from integrations.tests.nodes import line, order_node
from orders.models import Event, EventKind, Order
from orders.services import order_write_off

pytestmark = pytest.mark.django_db

CREATED = "2026-11-24T10:00:00Z"


def imported(store, fake_shopify, *ids) -> list[Order]:
    nodes = [order_node(n, lines=[line(1, name="Case", qty=1)], created=CREATED) for n in ids]
    for node in nodes:
        fake_shopify.add_order(node)
    import_payloads(store=store, payloads=nodes)
    return [Order.objects.get(store=store, external_id=str(n)) for n in ids]


def refresh(admin_client, capture, *orders) -> None:
    Order.objects.filter(pk__in=[o.pk for o in orders]).update(refresh_not_before=None)  # ten minutes on
    with capture(execute=True):
        selected = [o.pk for o in orders]
        admin_client.post("/admin/orders/order/", {"action": "refresh_orders", "_selected_action": selected})


def feed(order) -> list[str]:
    return list(Event.objects.filter(order=order, kind="refresh").order_by("id").values_list("text", flat=True))


def test_R54_R8_a_refresh_of_a_written_off_order_says_the_platforms_changes_were_not_applied(
    admin_client, shopify_store, fake_shopify, django_capture_on_commit_callbacks
):
    written_off, untouched = imported(shopify_store, fake_shopify, 4701, 4702)
    order_write_off(order=written_off)
    fake_shopify.update_order(4701, lineItems=order_node(4701, lines=[line(1, name="Case", qty=4)])["lineItems"])
    refresh(admin_client, django_capture_on_commit_callbacks, written_off, untouched)
    assert feed(written_off) == [
        "Refreshed from Kyiv Cases by admin: the platform's changes were not applied, the products are written off."
    ]
    assert feed(untouched) == ["Refreshed from Kyiv Cases by admin: nothing has changed."]
    refresh(admin_client, django_capture_on_commit_callbacks, written_off)  # the platform has changed nothing since
    assert feed(written_off)[1] == "Refreshed from Kyiv Cases by admin: nothing has changed."


def test_R54_a_refresh_that_fails_says_so_in_the_feed_of_each_of_its_orders(
    admin_client, admin_user, shopify_store, fake_shopify, django_capture_on_commit_callbacks
):
    orders = imported(shopify_store, fake_shopify, 4801, 4802)
    Store.objects.filter(pk=shopify_store.pk).update(enabled=False)
    refresh(admin_client, django_capture_on_commit_callbacks, *orders)
    for order in orders:
        event = Event.objects.get(order=order, kind="refresh")
        assert event.text == "Refresh from Kyiv Cases by admin failed: the store is disabled"
        assert event.user == admin_user


def test_R54_a_refresh_asked_by_someone_since_removed_names_no_one(shopify_store, fake_shopify):
    [order] = imported(shopify_store, fake_shopify, 4901)
    gone = User.objects.create_user("temp")
    gone_id = gone.pk
    gone.delete()
    refresh_run(shopify_store.pk, [order.pk], gone_id)  # what the worker runs, after the account was removed
    assert feed(order) == ["Refreshed from Kyiv Cases by -: nothing has changed."]


def test_R32_a_refresh_task_touches_only_the_orders_it_names_of_its_own_store(shopify_store, fake_shopify):
    named, other = imported(shopify_store, fake_shopify, 5001, 5002)
    refresh_run(shopify_store.pk, [named.pk])
    assert (len(feed(named)), feed(other)) == (1, [])
    elsewhere = Store.objects.create(name="Lviv Parts", platform="shopify", order_type=shopify_store.order_type)
    result = refresh_run(elsewhere.pk, [named.pk])
    assert result == "skipped: the store or its orders are gone"  # the task's result, as django-q2 shows it
    assert len(feed(named)) == 1


class ShopWithALongRefusal(FakeShopify):
    """A shop refusing every order query with an error message of 2,000 characters."""

    def handle(self, method, path, headers, body):
        if b"Order/" in (body or b""):
            message = "Invalid id: " + "the order cannot be read " * 80
            return json_response(200, {"errors": [{"message": message, "extensions": {"code": "BAD_REQUEST"}}]})
        return super().handle(method, path, headers, body)


def test_R54_a_failed_refresh_keeps_the_first_500_characters_of_the_platforms_answer(shopify_store, fake_shopify):
    [order] = imported(shopify_store, fake_shopify, 4811)
    with ShopWithALongRefusal(token="shpat_test", myshopify_domain="kyiv-cases.myshopify.com") as shop:
        Store.objects.filter(pk=shopify_store.pk).update(url=shop.url)
        refresh_run(shopify_store.pk, [order.pk])
    [text] = feed(order)
    prefix = "Refresh from Kyiv Cases by - failed: "
    assert text.startswith(prefix + "Shopify GraphQL error: Invalid id: the order cannot be read")
    assert len(text) == len(prefix) + 500  # the rest of a long answer is in the worker's log


def test_R54_R8_only_an_ignored_change_of_the_refreshed_order_itself_says_not_applied(shopify_store, fake_shopify):
    refreshed, other = imported(shopify_store, fake_shopify, 5101, 5102)
    meanwhile = timezone.now() + timedelta(seconds=30)  # written while the refresh runs: by a webhook, by staff
    Event.objects.create(order=other, kind=EventKind.IGNORED_CHANGE, text="Not applied", created_at=meanwhile)
    Event.objects.create(order=refreshed, kind=EventKind.COMMENT, text="Called the client", created_at=meanwhile)
    refresh_run(shopify_store.pk, [refreshed.pk])
    assert feed(refreshed) == ["Refreshed from Kyiv Cases by -: nothing has changed."]
