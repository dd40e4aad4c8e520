"""An imported order follows its platform until write-off (R8, R6, R13): each line is updated in place,
every changed line is applied, the waybill's changes are told in the feed with the order's currency, and
"Last update" moves."""

from decimal import Decimal

import pytest

from integrations.sync import import_payloads
from integrations.tests.nodes import line, order_node
from orders.models import Event, Order

pytestmark = pytest.mark.django_db


def test_R8_R6_an_update_changes_each_line_in_place_applies_every_line_and_moves_last_update(store):
    import_payloads(store=store, payloads=[order_node(1001, lines=[line(1, name="Case"), line(2, name="Glass")])])
    order = Order.objects.get()
    before = dict(order.items.values_list("product__name", "pk"))
    lines = [line(3, name="Cable"), line(1, name="Case", qty=2), line(2, name="Glass", qty=5)]  # a new line first
    import_payloads(store=store, payloads=[order_node(1001, lines=lines, updated="2026-11-21T10:00:00Z")])
    items = {i.product.name: i for i in order.items.all()}
    assert {name: i.quantity for name, i in items.items()} == {"Cable": 1, "Case": 2, "Glass": 5}
    assert {name: items[name].pk for name in before} == before  # the same items, changed in place
    assert Order.objects.get().last_synced_at > order.last_synced_at


def test_R8_R13_a_changed_waybill_cost_is_told_in_the_feed_with_the_orders_currency(store):
    import_payloads(store=store, payloads=[order_node(1001)])
    import_payloads(store=store, payloads=[order_node(1001, shipping_price="85.00", updated="2026-11-21T10:00:00Z")])
    texts = list(Event.objects.filter(kind="waybill").order_by("id").values_list("text", flat=True))
    assert texts[-1] == "Nova Poshta waybill (no number yet) updated: cost: 85.00 UAH"
    assert Order.objects.get().waybills.get().cost == Decimal("85.00")


def test_R5_R8_an_order_number_longer_than_its_column_is_kept_to_64_characters_on_import_and_update(store):
    long_name = "#" + "1001-gift-wrapped-" * 6
    import_payloads(store=store, payloads=[order_node(1001) | {"name": long_name}])
    assert Order.objects.get().number == long_name[:64]
    renamed = "#" + "1001-renamed-" * 8
    import_payloads(store=store, payloads=[order_node(1001, updated="2026-11-21T10:00:00Z") | {"name": renamed}])
    assert Order.objects.get().number == renamed[:64]
