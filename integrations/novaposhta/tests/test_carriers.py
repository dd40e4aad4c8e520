"""R13, R14: carriers are a registry like the platforms. A platform carries a carrier's waybills by naming it in
`waybill_carriers`, delivery.py asks the registry which carrier a delivery belongs to, and a second carrier is one
class and one registry entry (shown here with a carrier that exists only in this test)."""

import copy
import json
from datetime import UTC, datetime

import pytest

from fakes.fixtures import FIXTURES_DIR
from integrations.carrier_base import Carrier, waybill_changes
from integrations.carriers import CARRIERS
from integrations.platforms import PLATFORMS
from integrations.sync import import_payloads
from integrations.tests.factories import StoreFactory
from integrations.tests.nodes import order_node
from orders.models import Event, EventKind, Waybill

from .conftest import TTN, feed, with_tracking

pytestmark = pytest.mark.django_db


def test_R13_every_platform_names_registered_carriers_under_the_keys_waybills_store():
    for platform in PLATFORMS.values():
        assert set(platform.waybill_carriers) <= set(CARRIERS), platform.key
    assert {key: carrier.key for key, carrier in CARRIERS.items()} == {key: key for key in CARRIERS}
    assert Waybill._meta.get_field("carrier").default in CARRIERS  # the key every stored waybill already has
    assert (CARRIERS["novaposhta"].key, str(CARRIERS["novaposhta"].label)) == ("novaposhta", "Nova Poshta")
    assert {key for key, p in PLATFORMS.items() if p.waybill_carriers} == {"shopify"}  # R13: Shopify only, today


def test_R13_the_nova_poshta_carrier_recognizes_its_deliveries_and_their_ttn():
    shopify = PLATFORMS["shopify"]
    nova_poshta = CARRIERS["novaposhta"]
    assert nova_poshta.recognize(shopify.map_order(with_tracking(order_node(1), TTN)).delivery) == TTN
    assert nova_poshta.recognize(shopify.map_order(order_node(1)).delivery) == ""  # Nova Poshta, no number yet
    assert nova_poshta.recognize(shopify.map_order(order_node(1, shipping_title="Укрпошта")).delivery) is None


def cartum_order(**fields) -> dict:
    order = json.loads((FIXTURES_DIR / "cartum" / "cartum_webhook_order_created_payload.json").read_text("utf-8"))
    return {**copy.deepcopy(order), "stat_created": "2026-11-20 12:00:00", **fields}


def test_R13_a_platform_that_declares_nova_poshta_gets_waybills_without_other_changes(monkeypatch):
    now = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)
    store = StoreFactory(platform="cartum", connected_at=now, backfill_since=datetime(2026, 9, 23, tzinfo=UTC))
    nova_poshta = cartum_order(order_id=1, delivery_type={"id": 3, "title": "Нова Пошта"})
    import_payloads(store=store, payloads=[nova_poshta])
    assert not Waybill.objects.exists()  # Cartum declares no carrier today: a comment (R12)
    assert feed(EventKind.DELIVERY) == ["Delivery: Нова Пошта; cost: 0.00 UAH; address: Kyiv"]

    monkeypatch.setattr(PLATFORMS["cartum"], "waybill_carriers", ("novaposhta",))
    import_payloads(store=store, payloads=[{**nova_poshta, "order_id": 2}])
    waybill = Waybill.objects.get()
    assert (waybill.order.external_id, waybill.carrier, waybill.number) == ("2", "novaposhta", "")
    assert (waybill.service, waybill.recipient_phone) == ("Нова Пошта", "+38 (012) 421-42-14")
    assert feed(EventKind.WAYBILL) == [
        "Created: Nova Poshta waybill (no number yet); Нова Пошта; cost: 0.00 UAH; "
        "recipient: sdbgdasgdasg, +38 (012) 421-42-14; address: Kyiv"
    ]
    assert len(feed(EventKind.DELIVERY)) == 1  # the waybill replaces the comment for the declaring platform


class Meest(Carrier):
    """A second carrier, for this test only: everything a carrier needs to provide."""

    key = label = "meest"

    def recognize(self, delivery):
        return delivery.tracking_number if "meest" in delivery.service.casefold() else None

    def current_waybills(self, order_ids):
        return list(Waybill.objects.filter(carrier=self.key, order_id__in=order_ids).exclude(status="gone"))

    def waybills_build(self, items, now):
        rows = [{"order_id": order.pk, "carrier": self.key, **vars(data)} for order, data in items]
        texts = [(order, self.waybill_summary(data, order.currency)) for order, data in items]
        events = [{"order_id": o.pk, "kind": EventKind.WAYBILL, "text": t, "created_at": now} for o, t in texts]
        return rows, events

    def waybill_update(self, *, waybill, data, currency, now):
        changed = waybill_changes(waybill, data)
        Waybill.objects.filter(pk=waybill.pk).update(**changed)
        return bool(changed)

    def waybill_mark_replaced(self, *, waybill, service, now):
        Waybill.objects.filter(pk=waybill.pk).update(status="gone")
        Event.objects.create(order_id=waybill.order_id, kind=EventKind.WAYBILL, text=f"meest gone: {service}")

    def waybill_summary(self, data, currency):
        return f"meest {data.number}"

    def describe_update(self, waybill, data, currency):
        return ", ".join(waybill_changes(waybill, data))


def test_R14_a_switch_between_two_carriers_replaces_the_waybill_and_back_again(store, monkeypatch):
    monkeypatch.setitem(CARRIERS, "meest", Meest())
    monkeypatch.setattr(PLATFORMS["shopify"], "waybill_carriers", ("novaposhta", "meest"))
    meest = with_tracking(order_node(1001, shipping_title="Meest Express"), "MEE123", company="Meest")
    import_payloads(store=store, payloads=[with_tracking(order_node(1001), TTN)])
    import_payloads(store=store, payloads=[{**meest, "updatedAt": "2026-11-21T00:00:00Z"}])
    first, second = Waybill.objects.order_by("id")
    assert (first.carrier, first.status, second.carrier, second.number) == ("novaposhta", "2", "meest", "MEE123")
    assert feed(EventKind.WAYBILL)[1:] == [
        f"Nova Poshta waybill {TTN} deleted: the delivery method changed to Meest Express.",
        "meest MEE123",
    ]
    # The Meest waybill is now the current one: a new number updates it, and no delivery comment is written.
    renumbered = with_tracking(meest, "MEE456", company="Meest")
    import_payloads(store=store, payloads=[{**renumbered, "updatedAt": "2026-11-22T00:00:00Z"}])
    second.refresh_from_db()
    assert (second.number, Waybill.objects.count(), feed(EventKind.DELIVERY)) == ("MEE456", 2, [])
    import_payloads(store=store, payloads=[with_tracking(order_node(1001, updated="2026-11-23T00:00:00Z"), TTN)])
    second.refresh_from_db()
    third = Waybill.objects.order_by("id").last()
    assert (second.status, third.carrier, third.number, Waybill.objects.count()) == ("gone", "novaposhta", TTN, 3)
    assert feed(EventKind.WAYBILL)[-2] == "meest gone: Нова Пошта"


def test_R13_a_page_of_new_orders_of_two_carriers_gives_each_order_its_own_carriers_waybill(store, monkeypatch):
    monkeypatch.setitem(CARRIERS, "meest", Meest())
    monkeypatch.setattr(PLATFORMS["shopify"], "waybill_carriers", ("novaposhta", "meest"))
    meest = with_tracking(order_node(1002, shipping_title="Meest Express"), "MEE123", company="Meest")
    import_payloads(store=store, payloads=[with_tracking(order_node(1001), TTN), meest])
    waybills = {w.order.external_id: (w.carrier, w.number) for w in Waybill.objects.select_related("order")}
    assert waybills == {"1001": ("novaposhta", TTN), "1002": ("meest", "MEE123")}
    events = feed(EventKind.WAYBILL)
    assert len(events) == 2 and "meest MEE123" in events  # and the Nova Poshta waybill's own line
