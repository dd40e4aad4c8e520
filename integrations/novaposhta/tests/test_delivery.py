"""R12, R13, R14, R8: how an imported order's delivery shows — comments, waybills, switches, write-off."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from integrations.delivery import delivery_apply_new
from integrations.platforms import PLATFORMS
from integrations.sync import import_payloads
from integrations.tests.nodes import order_node
from orders.models import Event, Order, Waybill
from orders.services import order_write_off

from .conftest import TTN, feed, with_tracking

pytestmark = pytest.mark.django_db


def test_R12_other_service_is_one_comment_added_again_only_when_it_really_changes(store):
    import_payloads(store=store, payloads=[order_node(1001, shipping_title="Укрпошта")])
    assert feed("delivery") == ["Delivery: Укрпошта; cost: 70.00 UAH; address: Khreshchatyk 1, Kyiv, 01001, Ukraine"]
    import_payloads(store=store, payloads=[order_node(1001, shipping_title="Укрпошта", updated="2026-11-21T00:00:00Z")])
    # Another field changed (items), the delivery did not: no new comment.
    import_payloads(
        store=store,
        payloads=[
            order_node(1001, shipping_title="Укрпошта", updated="2026-11-22T00:00:00Z", email="other@example.com")
        ],
    )
    # The same address typed with other spacing and case is not a change either (normalized comparison).
    import_payloads(store=store, payloads=[order_node(1001, shipping_title="Укрпошта", address1="KHRESHCHATYK   1")])
    assert len(feed("delivery")) == 1
    import_payloads(store=store, payloads=[order_node(1001, shipping_title="Укрпошта", address1="Sahaidachnoho 5")])
    assert len(feed("delivery")) == 2 and "Sahaidachnoho 5" in feed("delivery")[-1]
    assert not Waybill.objects.exists()


def test_R13_nova_poshta_order_gets_a_waybill_instead_of_a_comment(store):
    import_payloads(store=store, payloads=[with_tracking(order_node(1001, shipping_title="Нова Пошта"), TTN)])
    waybill = Waybill.objects.get()
    assert (waybill.number, waybill.carrier, waybill.service, waybill.cost) == (
        TTN,
        "novaposhta",
        "Нова Пошта",
        Decimal("70.00"),
    )
    assert (waybill.recipient_name, waybill.recipient_phone) == ("Olena Shevchenko", "+380671234567")
    assert waybill.recipient_address == "Khreshchatyk 1, Kyiv, 01001, Ukraine"
    assert waybill.status == "" and waybill.last_checked_at is None
    assert feed("delivery") == []
    assert feed("waybill") == [
        f"Created: Nova Poshta waybill {TTN}; Нова Пошта; cost: 70.00 UAH; recipient: Olena Shevchenko, "
        "+380671234567; address: Khreshchatyk 1, Kyiv, 01001, Ukraine"
    ]


@pytest.mark.parametrize("title", ["Nova Poshta Global", "Укрпошта", "Meest Express", "Самовивіз"])
def test_R13_nova_poshta_global_and_every_other_service_stay_comments(store, title):
    import_payloads(
        store=store, payloads=[with_tracking(order_node(1001, shipping_title=title), "RR123456789UA", company="Other")]
    )
    assert not Waybill.objects.exists()
    assert feed("delivery") == [f"Delivery: {title}; cost: 70.00 UAH; address: Khreshchatyk 1, Kyiv, 01001, Ukraine"]


def test_R13_a_waybill_without_a_number_yet_fills_it_in_later(store):
    import_payloads(store=store, payloads=[order_node(1001)])  # "Нова Пошта", not fulfilled yet
    waybill = Waybill.objects.get()
    assert waybill.number == ""
    assert "(no number yet)" in feed("waybill")[0]
    import_payloads(store=store, payloads=[with_tracking(order_node(1001, updated="2026-11-21T00:00:00Z"), TTN)])
    waybill.refresh_from_db()
    assert Waybill.objects.count() == 1 and waybill.number == TTN
    assert feed("waybill")[-1] == f"Nova Poshta waybill {TTN} updated: number: {TTN}"
    # Re-syncing the same platform state adds nothing (R7); an address change updates the waybill in place.
    import_payloads(store=store, payloads=[with_tracking(order_node(1001, updated="2026-11-22T00:00:00Z"), TTN)])
    assert len(feed("waybill")) == 2
    import_payloads(store=store, payloads=[with_tracking(order_node(1001, address1="Sahaidachnoho 5"), TTN)])
    waybill.refresh_from_db()
    assert waybill.recipient_address.startswith("Sahaidachnoho 5") and Waybill.objects.count() == 1
    assert feed("delivery") == []


def test_R13_a_corrected_ttn_restarts_tracking_of_the_same_waybill(store):
    import_payloads(store=store, payloads=[with_tracking(order_node(1001), TTN)])
    Waybill.objects.update(status="3", status_text="Номер не найден")
    import_payloads(store=store, payloads=[with_tracking(order_node(1001), "20450000000002")])
    waybill = Waybill.objects.get()
    assert (waybill.number, waybill.status, waybill.last_checked_at) == ("20450000000002", "", None)


def test_R12_woocommerce_transfers_no_delivery_at_all(store):
    order = Order.objects.create(order_type=store.order_type, status=store.order_type.initial_status, store=store)
    nova_poshta = PLATFORMS["shopify"].map_order(with_tracking(order_node(1001), TTN))
    delivery_apply_new(PLATFORMS["woocommerce"], [(order, nova_poshta)], order.created_at)
    assert not Event.objects.exists() and not Waybill.objects.exists()


def test_R14_nova_poshta_to_other_service_deletes_the_waybill_and_comments_the_new_details(store):
    import_payloads(store=store, payloads=[with_tracking(order_node(1001), TTN)])
    import_payloads(store=store, payloads=[order_node(1001, shipping_title="Укрпошта")])
    waybill = Waybill.objects.get()
    assert (waybill.status, waybill.status_text) == ("2", "Deleted")
    assert feed("waybill")[-1] == f"Nova Poshta waybill {TTN} deleted: the delivery method changed to Укрпошта."
    assert feed("delivery") == ["Delivery: Укрпошта; cost: 70.00 UAH; address: Khreshchatyk 1, Kyiv, 01001, Ukraine"]
    # Later changes of the new service are comments again (R12).
    import_payloads(store=store, payloads=[order_node(1001, shipping_title="Укрпошта", shipping_price="90.00")])
    assert len(feed("delivery")) == 2 and Waybill.objects.count() == 1


def test_R14_other_service_to_nova_poshta_keeps_the_comments_and_starts_a_new_waybill(store):
    import_payloads(store=store, payloads=[order_node(1001, shipping_title="Укрпошта")])
    import_payloads(store=store, payloads=[order_node(1001, shipping_title="Nova Poshta")])
    assert len(feed("delivery")) == 1
    waybill = Waybill.objects.get()
    assert (waybill.number, waybill.status, waybill.service) == ("", "", "Nova Poshta")
    import_payloads(store=store, payloads=[with_tracking(order_node(1001, shipping_title="Nova Poshta"), TTN)])
    assert Waybill.objects.get().number == TTN  # updated from then on


def test_R14_there_and_back_again_starts_a_second_waybill_and_repeats_the_comment(store):
    np_node = with_tracking(order_node(1001), TTN)
    import_payloads(store=store, payloads=[np_node])
    import_payloads(store=store, payloads=[order_node(1001, shipping_title="Укрпошта")])
    import_payloads(store=store, payloads=[{**np_node, "updatedAt": "2026-11-21T00:00:00Z"}])
    import_payloads(store=store, payloads=[order_node(1001, shipping_title="Укрпошта", updated="2026-11-22T00:00:00Z")])
    old, new = Waybill.objects.order_by("id")
    assert (old.status, new.status, new.number) == ("2", "2", TTN)
    # Each switch away announces the new details, even when they equal an older comment.
    assert len(feed("delivery")) == 2


def test_R8_after_write_off_delivery_changes_are_not_applied_but_recorded(store):
    import_payloads(store=store, payloads=[order_node(1001)])
    order_write_off(order=Order.objects.get())
    import_payloads(store=store, payloads=[with_tracking(order_node(1001, address1="Sahaidachnoho 5"), TTN)])
    waybill = Waybill.objects.get()
    assert (waybill.number, waybill.recipient_address[:15]) == ("", "Khreshchatyk 1,")
    ignored = feed("ignored_change")
    assert len(ignored) == 1
    assert f"Nova Poshta waybill: number: {TTN}; address: Sahaidachnoho 5" in ignored[0]
    import_payloads(store=store, payloads=[order_node(1001, shipping_title="Укрпошта")])
    assert Waybill.objects.get().status == "" and feed("delivery") == []
    assert "delivery method: Delivery: Укрпошта" in feed("ignored_change")[-1]


def test_R8_a_frozen_order_switching_to_nova_poshta_records_the_would_be_waybill(store):
    import_payloads(store=store, payloads=[order_node(1001, shipping_title="Укрпошта")])
    order_write_off(order=Order.objects.get())
    import_payloads(store=store, payloads=[with_tracking(order_node(1001), TTN)])
    assert not Waybill.objects.exists()
    assert f"delivery method: Nova Poshta waybill {TTN}; Нова Пошта" in feed("ignored_change")[-1]


def test_R13_new_orders_write_waybills_and_comments_in_constant_queries(store):
    def page(start):
        return [
            with_tracking(order_node(n), f"2045000000{n:04d}") if n % 2 else order_node(n, shipping_title="Meest")
            for n in range(start, start + 20)
        ]

    with CaptureQueriesContext(connection) as small:
        import_payloads(store=store, payloads=page(1000)[:4])
    with CaptureQueriesContext(connection) as large:
        import_payloads(store=store, payloads=page(2000))
    assert Waybill.objects.count() == 12 and Event.objects.filter(kind="delivery").count() == 12
    assert len(large.captured_queries) <= len(small.captured_queries) + 2


def test_R12_R13_feed_texts_are_in_the_site_language_whoever_imports(store, settings):
    """A worker or a manager browsing in another language writes the same feed words: the site's."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "uk"
    with translation.override("en"):  # the importing thread's own language differs from the site's
        import_payloads(store=store, payloads=[order_node(1001, shipping_title="Укрпошта")])
        import_payloads(store=store, payloads=[with_tracking(order_node(1002, shipping_title="Нова Пошта"), TTN)])
    assert feed("delivery")[0].startswith("Доставка: Укрпошта;")
    assert feed("waybill")[0].startswith(f"Створено: ТТН «Нова Пошта» {TTN};")
