"""After write-off the platform's changes are not applied, and the feed says what they were (R8): a Nova
Poshta waybill's fields (R13), a switch of delivery method (R14), a changed delivery comment (R12), another
client (R20, R22) and a status the platform changed (R9)."""

from decimal import Decimal

import pytest

from integrations.sync import import_payloads
from integrations.tests.factories import StoreFactory
from integrations.tests.nodes import line, order_node
from orders.models import Event, Order, Waybill
from orders.services import order_write_off

pytestmark = pytest.mark.django_db

NOT_APPLIED = "Not applied, the products are already written off. Changes on the platform: "
LATER = "2026-11-21T10:00:00Z"


def ignored_after_write_off(store, before: dict, after: dict) -> list[str]:
    """Import `before`, write the order off, import `after`: the feed's ignored changes, in order."""
    import_payloads(store=store, payloads=[before])
    order = Order.objects.get(external_id=before["legacyResourceId"])
    order_write_off(order=order)
    assert import_payloads(store=store, payloads=[after]).frozen == 1
    return list(Event.objects.filter(order=order, kind="ignored_change").order_by("id").values_list("text", flat=True))


def test_R8_R13_a_changed_waybill_of_a_written_off_order_is_reported_and_not_applied(store):
    changes = ignored_after_write_off(store, order_node(1001), order_node(1001, shipping_price="85.00", updated=LATER))
    assert changes == [NOT_APPLIED + "Nova Poshta waybill: cost: 85.00 UAH"]
    assert Waybill.objects.get().cost == Decimal("70.00")


def test_R8_R13_an_unchanged_waybill_is_not_mentioned_among_the_ignored_changes(store):
    after = order_node(1001, lines=[line(1, qty=3)], updated=LATER)
    assert ignored_after_write_off(store, order_node(1001), after) == [NOT_APPLIED + "Case: quantity 1 -> 3"]


def test_R8_R14_a_switch_to_nova_poshta_after_write_off_is_reported_with_the_waybill_it_would_start(store):
    changes = ignored_after_write_off(
        store, order_node(1001, shipping_title="Укрпошта"), order_node(1001, shipping_title="Нова Пошта", updated=LATER)
    )
    assert changes == [
        NOT_APPLIED + "delivery method: Nova Poshta waybill (no number yet); Нова Пошта; cost: 70.00 UAH; "
        "recipient: Olena Shevchenko, +380671234567; address: Khreshchatyk 1, Kyiv, 01001, Ukraine"
    ]
    assert not Waybill.objects.exists()


def test_R8_R14_nova_poshta_dropped_after_write_off_is_reported_as_a_method_not_specified(store):
    changes = ignored_after_write_off(store, order_node(1001), order_node(1001, shipping_title=None, updated=LATER))
    assert changes == [NOT_APPLIED + "delivery method: not specified"]
    assert not Waybill.objects.get().status_text  # not marked Deleted, as a switch before write-off would


def test_R8_R12_a_delivery_comment_is_mentioned_only_when_the_platform_changed_it(store):
    before = order_node(1001, shipping_title="Укрпошта")
    same = order_node(1001, shipping_title="Укрпошта", lines=[line(1, qty=3)], updated=LATER)
    assert ignored_after_write_off(store, before, same) == [NOT_APPLIED + "Case: quantity 1 -> 3"]
    moved = order_node(1001, shipping_title="Укрпошта", address1="Sahaidachnoho 5", updated="2026-11-22T10:00:00Z")
    import_payloads(store=store, payloads=[moved])
    assert Event.objects.filter(kind="ignored_change").order_by("id").last().text == (
        NOT_APPLIED + "Delivery: Укрпошта; cost: 70.00 UAH; address: Sahaidachnoho 5, Kyiv, 01001, Ukraine"
    )
    assert Event.objects.filter(kind="delivery").count() == 1  # the comment of the import only


def test_R8_R20_a_new_phone_with_the_same_email_is_reported_as_a_change_of_client(store):
    before = order_node(1001, shipping_title="Укрпошта")  # no waybill: its recipient phone would change too
    after = order_node(1001, shipping_title="Укрпошта", phone="+380501112233", updated=LATER)
    changes = ignored_after_write_off(store, before, after)
    assert changes == [NOT_APPLIED + "client: +380501112233, olena@example.com"]
    assert Order.objects.get().client.phone == "+380671234567"


def test_R8_R22_a_basic_plan_orders_not_specified_client_is_not_reported_as_changed(store):
    store.shop_plan = "Basic"
    store.save()
    before = order_node(1001, shipping_title="Укрпошта")
    after = order_node(1001, shipping_title="Укрпошта", phone="+380501112233", lines=[line(1, qty=3)], updated=LATER)
    assert ignored_after_write_off(store, before, after) == [NOT_APPLIED + "Case: quantity 1 -> 3"]


def test_R8_R9_a_status_cartum_changed_after_write_off_is_reported_and_not_applied(db):
    from fakes.cartum import FakeCartum
    from integrations.tests.test_cartum import CARTUM, NOW, cartum_order

    store = StoreFactory(platform="cartum", name="Kharkiv Gadgets", connected_at=NOW, poll_cursor=NOW)
    with FakeCartum() as shop:  # on_connect reads the shop's statuses (R9)
        store.url, store.credentials = shop.url, shop.credentials
        store.save()
        CARTUM.on_connect(store)
    import_payloads(store=store, payloads=[cartum_order(115, status=1)])
    order = Order.objects.get()
    order_write_off(order=order)
    assert import_payloads(store=store, payloads=[cartum_order(115, status=6)]).frozen == 1
    assert Event.objects.get(order=order, kind="ignored_change").text == NOT_APPLIED + "status: Shipping"
    assert Order.objects.get().status.name == "New"


def test_R8_R54_the_ignored_change_is_dated_at_the_import_that_saw_it(store):
    after = order_node(1001, lines=[line(1, qty=3)], updated=LATER)
    ignored_after_write_off(store, order_node(1001), after)
    order = Order.objects.get()
    assert Event.objects.get(order=order, kind="ignored_change").created_at == order.last_synced_at
