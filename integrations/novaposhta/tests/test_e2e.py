"""End to end over real HTTP: FakeShopify -> import -> waybill -> FakeNovaPoshta tracking -> status rules (R13, R14)."""

from datetime import UTC, datetime

import pytest
from django.core.management import call_command

from integrations.services import store_fetch_orders
from integrations.tests.nodes import order_node
from orders.models import Event, Order, Status, Waybill

from .conftest import with_tracking

pytestmark = pytest.mark.django_db

TTN = "20450000012345"


def now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def track(capsys) -> str:
    call_command("novaposhta", "track")
    return capsys.readouterr().out


def test_R13_shopify_nova_poshta_order_is_tracked_to_received_and_completed_by_a_rule(
    shopify_store, fake_shopify, fake_np, capsys
):
    Status.objects.create(name="In transit")
    call_command(
        "novaposhta",
        "configure",
        "--enabled",
        "--api-key",
        "np-test-key-0123456789",
        "--rule",
        "5=In transit",
        "--rule",
        "9=Completed",
    )
    fake_np.progression = ("1", "5", "9")  # created -> in transit -> received
    fake_shopify.add_order(with_tracking(order_node(5001, created=now_iso(), shipping_title="Нова Пошта"), TTN))
    assert store_fetch_orders(store=shopify_store, external_ids=["5001"]).created == 1
    order = Order.objects.get(external_id="5001")
    waybill = order.waybills.get()
    assert (waybill.number, waybill.status) == (TTN, "")
    assert not order.events.filter(kind="delivery").exists()  # a waybill instead of a comment

    assert f"{TTN} (order #5001): - -> 1 " in track(capsys)
    out = track(capsys)
    assert "1 -> 5 Відправлення прямує до міста Львів; order status -> In transit" in out
    out = track(capsys)
    assert "5 -> 9 Відправлення отримано; order status -> Completed" in out
    order.refresh_from_db(), waybill.refresh_from_db()
    assert order.status.name == "Completed"
    assert (waybill.status, waybill.status_text) == ("9", "Відправлення отримано")
    assert waybill.np_details.sender == "Сидоренко Сидор Сидорович"  # the recipient's phone unlocked it
    assert "changed 0" in track(capsys) and len(fake_np.calls) == 3  # received is final: not asked again
    feed = list(order.events.order_by("id").values_list("kind", flat=True))
    assert feed == ["import", "waybill", "waybill", "waybill", "status", "waybill", "status"]


def test_R14_switching_delivery_on_shopify_both_ways(shopify_store, fake_shopify, fake_np, np_enabled, capsys):
    fake_shopify.add_order(with_tracking(order_node(5002, created=now_iso()), TTN))
    store_fetch_orders(store=shopify_store, external_ids=["5002"])
    order = Order.objects.get(external_id="5002")
    track(capsys)

    # Nova Poshta -> Ukrposhta: the waybill is deleted, the new details are a comment, tracking stops.
    ukrposhta = order_node(5002, shipping_title="Укрпошта", shipping_price="45.00")
    fake_shopify.update_order(5002, shippingLines=ukrposhta["shippingLines"], fulfillments=[])
    store_fetch_orders(store=shopify_store, external_ids=["5002"])
    first = Waybill.objects.get(order=order)
    assert (first.status, first.status_text) == ("2", "Deleted")
    assert order.events.filter(kind="delivery").get().text.startswith("Delivery: Укрпошта; cost: 45.00 UAH")
    calls = len(fake_np.calls)
    track(capsys)
    assert len(fake_np.calls) == calls

    # Ukrposhta -> Nova Poshta with a new TTN: the comment stays, a new waybill is created and tracked.
    back = with_tracking(order_node(5002, shipping_title="Nova Poshta"), "20450000054321")
    fake_shopify.update_order(5002, shippingLines=back["shippingLines"], fulfillments=back["fulfillments"])
    store_fetch_orders(store=shopify_store, external_ids=["5002"])
    second = Waybill.objects.filter(order=order).latest("id")
    assert second.pk != first.pk and second.number == "20450000054321"
    assert order.events.filter(kind="delivery").count() == 1
    assert "20450000054321 (order #5002): - -> 1" in track(capsys)
    first.refresh_from_db()
    assert first.status == "2"
    assert Event.objects.filter(order=order, kind="waybill").count() == 5  # created, 1, deleted, created, 1
