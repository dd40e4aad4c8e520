"""How one page of orders is imported (R6, R7, R40): an order the platform has not changed only has its "Last
update" moved, a page naming an order twice imports the later payload, and an unsavable text is shown cut to
what an import problem holds. An order is known by its store and its number, and by a fingerprint that does
not depend on how its fields are listed (R7)."""

import pytest

from integrations.dto import RemoteOrder
from integrations.models import ImportLog
from integrations.sync import import_payloads
from integrations.tests.factories import StoreFactory
from integrations.tests.nodes import line, order_node
from orders.models import Event, Order, OrderItem

pytestmark = pytest.mark.django_db


def test_R6_R7_an_unchanged_order_only_has_its_last_update_moved(store):
    import_payloads(store=store, payloads=[order_node(1001), order_node(1002)])
    before = {o.external_id: o.last_synced_at for o in Order.objects.all()}
    events, items = Event.objects.count(), list(OrderItem.objects.values_list("pk", "quantity"))
    result = import_payloads(store=store, payloads=[order_node(1001, updated="2026-11-21T10:00:00Z")])
    assert (result.unchanged, result.updated, result.created) == (1, 0, 0)
    after = {o.external_id: o.last_synced_at for o in Order.objects.all()}
    assert after["1001"] > before["1001"] and after["1002"] == before["1002"]  # only the order read again
    assert Event.objects.count() == events and list(OrderItem.objects.values_list("pk", "quantity")) == items


def test_R7_a_page_naming_an_order_twice_imports_its_later_payload_once(store):
    first = order_node(1001, lines=[line(1, name="Case", qty=1)])
    later = order_node(1001, lines=[line(1, name="Case", qty=3)], updated="2026-11-21T10:00:00Z")
    result = import_payloads(store=store, payloads=[first, later])
    assert result.created == 1 and Order.objects.get().items.get().quantity == 3


def test_R40_an_unsavable_text_is_shown_in_the_import_problem_cut_at_300_characters(store):
    address = "\ud800" + "Khreshchatyk street " * 20
    import_payloads(store=store, payloads=[order_node(1002, address1=address)])
    reason = ImportLog.objects.get().reason
    shown = reason.removeprefix("The order contains text that is not valid Unicode (").removesuffix(
        "), so it was not imported."
    )
    assert shown.startswith("\\ud800Khreshchatyk street") and len(shown) == 300


def test_R2_an_order_that_states_no_currency_is_in_the_back_offices(store, settings):
    node = order_node(1001)
    node["totalPriceSet"]["shopMoney"]["currencyCode"] = ""
    import_payloads(store=store, payloads=[node | {"currencyCode": None}])
    assert Order.objects.get().currency == settings.ROAPP_CURRENCY == "UAH"


def test_R5_a_line_id_longer_than_its_column_is_kept_to_64_characters(store):
    long_id = "9" * 100
    node = order_node(1001, lines=[line(1, name="Case")])
    node["lineItems"]["edges"][0]["node"]["id"] = f"gid://shopify/LineItem/{long_id}"
    import_payloads(store=store, payloads=[node])
    assert OrderItem.objects.get().external_id == long_id[:64]


def test_R7_the_same_order_number_in_two_stores_is_two_orders(store):
    other = StoreFactory(platform="shopify", name="Lviv Cases", order_type=store.order_type)
    import_payloads(store=store, payloads=[order_node(1001, lines=[line(1, name="Case", qty=1)])])
    result = import_payloads(store=other, payloads=[order_node(1001, lines=[line(1, name="Case", qty=5)])])
    assert (result.created, result.updated) == (1, 0)
    quantities = dict(Order.objects.values_list("store__name", "items__quantity"))
    assert quantities == {"Kyiv Cases": 1, "Lviv Cases": 5}


def test_R7_an_orders_fingerprint_does_not_depend_on_the_order_its_fields_are_listed_in(store, monkeypatch):
    """The fingerprint is kept with each order: a later version of the product that lists the same fields in
    another order must still see the order unchanged, not import every order again."""
    import_payloads(store=store, payloads=[order_node(1001)])
    listed = RemoteOrder.as_comparable

    def listed_backwards(remote):
        return {key: value for key, value in reversed(listed(remote).items())}

    monkeypatch.setattr(RemoteOrder, "as_comparable", listed_backwards)
    assert import_payloads(store=store, payloads=[order_node(1001)]).unchanged == 1


def test_R54_a_new_order_its_first_event_and_its_last_update_share_the_moment_of_its_import(store):
    import_payloads(store=store, payloads=[order_node(1001)])
    order = Order.objects.get()
    imported = Event.objects.get(order=order, kind="import")
    assert order.created_at == imported.created_at == order.last_synced_at
