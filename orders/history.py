"""What an order looked like before and after a change from outside, told in words for its feed (R54).

A manual refresh fetches the order from its platform and imports it; the feed then says what that
changed, or that nothing did. The words are written in the site's language, as the rest of the feed, and
shown in the reader's by orders.feed (the same messages as the import's own change descriptions).
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_noop

from orders.models import Order, OrderItem
from orders.stored_text import site_text

STATUS_CHANGE = gettext_noop("status: %(old)s -> %(new)s")
TOTAL_CHANGE = gettext_noop("total: %(old)s -> %(new)s")
CLIENT_CHANGE = gettext_noop("client: %(old)s -> %(new)s")
NUMBER_CHANGE = gettext_noop("number: %(old)s -> %(new)s")
# The import's own words for line changes (integrations/sync/writing.py describe_changes).
LINE_ADDED = gettext_noop("%(name)s added (x %(qty)s)")
LINE_REMOVED = gettext_noop("%(name)s removed")
LINE_QUANTITY = gettext_noop("%(name)s: quantity %(old)s -> %(new)s")
LINE_PRICE = gettext_noop("%(name)s: price %(old)s -> %(new)s")


@dataclass
class Snapshot:
    number: str
    status: str
    total: Decimal
    client: str
    lines: dict[str, tuple[Decimal, Decimal]] = field(default_factory=dict)  # product -> (quantity, price)


def orders_snapshot(order_ids) -> dict[int, Snapshot]:
    """The parts of these orders a platform can change, read in two queries."""
    orders = Order.objects.filter(pk__in=list(order_ids)).select_related("status", "client")
    shots = {o.pk: Snapshot(o.number, o.status.name, o.total, str(o.client or "")) for o in orders}
    items = OrderItem.objects.filter(order_id__in=list(shots))
    for order_id, name, quantity, price in items.values_list("order_id", "product__name", "quantity", "price"):
        shots[order_id].lines[name] = (quantity, price)
    return shots


def snapshot_changes(before: Snapshot, after: Snapshot) -> list[str]:
    """Plain-words differences in the site's language (the feed translates them when shown); empty if none."""
    changes = []
    for message, old, new in (
        (NUMBER_CHANGE, before.number, after.number),
        (STATUS_CHANGE, before.status, after.status),
        (CLIENT_CHANGE, before.client, after.client),
    ):
        if old != new:
            changes.append(site_text(message) % {"old": old, "new": new})
    for name, (quantity, price) in after.lines.items():
        if name not in before.lines:
            changes.append(site_text(LINE_ADDED) % {"name": name, "qty": quantity_text(quantity)})
            continue
        old_quantity, old_price = before.lines[name]
        if old_quantity != quantity:
            changes.append(
                site_text(LINE_QUANTITY)
                % {"name": name, "old": quantity_text(old_quantity), "new": quantity_text(quantity)}
            )
        if old_price != price:
            changes.append(site_text(LINE_PRICE) % {"name": name, "old": old_price, "new": price})
    changes += [site_text(LINE_REMOVED) % {"name": name} for name in before.lines if name not in after.lines]
    if before.total != after.total:
        changes.append(site_text(TOTAL_CHANGE) % {"old": before.total, "new": after.total})
    return changes


def quantity_text(value: Decimal) -> str:
    """A quantity without trailing zeros: 1, 2.5 (never 1.000, R55)."""
    return f"{value.normalize():f}" if value is not None else ""
