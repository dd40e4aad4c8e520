"""Creating and updating back-office orders from the platform's (R5, R6, R8, R9, R12, R19)."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from integrations.delivery import (
    delivery_apply_new,
    delivery_apply_update,
    delivery_describe_change,
    delivery_load_states,
)
from integrations.dto import RemoteOrder
from integrations.models import StatusMapping
from integrations.sync.matching import client_data
from orders.models import Event, EventKind, Order, OrderItem
from orders.services import SOURCE_PLATFORM, order_set_status
from roapp.bulk import insert_many, insert_rows
from roapp.i18n import site_gettext

IMPORTED_FROM = gettext_noop("Imported from %(store)s")


def order_total(remote: RemoteOrder) -> Decimal:
    """The cost of all goods: sum of quantity x price of the lines; delivery is not in it (R5)."""
    return sum((line.quantity * line.price for line in remote.lines), Decimal("0")).quantize(Decimal("0.01"))


def orders_create(store, platform, remotes, clients, products, digests, now) -> list[tuple[Order, RemoteOrder]]:
    """Create the new orders with their lines, feed and delivery; returns each with the remote order it came from."""
    status = store.order_type.initial_status  # R5
    pairs = [(_order(store, status, r, clients[r.external_id], digests[r.external_id], now), r) for r in remotes]
    orders = insert_many([order for order, _ in pairs])
    insert_rows(OrderItem, [_item(order, line, products) for order, remote in pairs for line in remote.lines])
    insert_rows(Event, [imported_event(o, store, now) for o in orders])  # first in the feed: before delivery's
    delivery_apply_new(platform, pairs, now)
    return pairs


def _order(store, status, r: RemoteOrder, client, sync_digest: str, now) -> Order:
    return Order(
        number=r.number[:64],
        order_type_id=store.order_type_id,
        status=status,
        client=client,
        total=order_total(r),
        created_at=now,
        store=store,
        external_id=r.external_id,
        external_created_at=r.created_at,
        placed_at=r.created_at or now,  # the order's own date, the list's sort key (R53)
        last_synced_at=now,
        sync_digest=sync_digest,
    )


def imported_event(order, store, now) -> dict:
    """The first line of an imported order's story (R54): from where it came. Only on creation, so a sync
    that finds nothing new adds nothing (R7). In the site's language, as the feed's other texts."""
    text = site_gettext(IMPORTED_FROM) % {"store": store.name}
    return {"order_id": order.pk, "kind": EventKind.IMPORT, "text": text, "created_at": now}


def _item(order, line, products) -> dict:
    """A new order line (R19: without deduction), as the row insert_rows writes."""
    return {
        "order_id": order.pk,
        "product_id": products[id(line)].pk,
        "quantity": line.quantity,
        "price": line.price,
        "deducted": False,
        "external_id": line.external_id[:64],
    }


@dataclass
class _History:
    items: list
    delivery: object  # delivery.DeliveryState


def histories_load(orders) -> dict[int, _History]:
    if not orders:
        return {}
    ids = [o.pk for o in orders]
    deliveries = delivery_load_states(ids)
    history = {pk: _History(items=[], delivery=deliveries[pk]) for pk in ids}
    for item in OrderItem.objects.filter(order_id__in=ids).select_related("product"):
        history[item.order_id].items.append(item)
    return history


def order_update(platform, order, remote, client, products, history, digests, now):
    """Apply the platform's changes to an order that is not written off yet (R8, R19)."""
    by_line = {i.external_id: i for i in history.items}
    keep = set()
    for line in remote.lines:
        item = by_line.get(line.external_id)
        product = products[id(line)]
        if item is None:
            OrderItem.objects.create(**_item(order, line, products))
            continue
        keep.add(item.pk)
        if (item.quantity, item.price, item.product_id) != (line.quantity, line.price, product.pk):
            item.quantity, item.price, item.product = line.quantity, line.price, product
            item.save(update_fields=["quantity", "price", "product"])
    removed = [i.pk for i in history.items if i.pk not in keep]
    if removed:
        OrderItem.objects.filter(pk__in=removed).delete()
    delivery_apply_update(platform, order, remote, history.delivery, now)
    order.client = client
    order.total = order_total(remote)
    order.number = remote.number[:64]
    order.last_synced_at = now
    order.sync_digest = digests[remote.external_id]
    order.save(update_fields=["client", "total", "number", "last_synced_at", "sync_digest"])


def order_record_ignored(platform, order, remote, history, digests, now, statuses):
    """After write-off nothing from the platform is applied; the feed says what was ignored (R8)."""
    changes = describe_changes(platform, order, remote, history, statuses)
    if changes:
        text = _("Not applied, the products are already written off. Changes on the platform: %(changes)s") % {
            "changes": "; ".join(changes)
        }
        Event.objects.create(order=order, kind=EventKind.IGNORED_CHANGE, text=text, created_at=now)
    Order.objects.filter(pk=order.pk).update(sync_digest=digests[remote.external_id], last_synced_at=now)


def describe_changes(platform, order, remote, history, statuses) -> list[str]:
    """Plain-words differences between the platform's order and ours (items, client, delivery, status)."""
    changes = []
    by_line = {i.external_id: i for i in history.items}
    for line in remote.lines:
        item = by_line.pop(line.external_id, None)
        if item is None:
            changes.append(_("%(name)s added (x %(qty)s)") % {"name": line.name, "qty": _num(line.quantity)})
            continue
        if item.quantity != line.quantity:
            changes.append(
                _("%(name)s: quantity %(old)s -> %(new)s")
                % {"name": line.name, "old": _num(item.quantity), "new": _num(line.quantity)}
            )
        if item.price != line.price:
            changes.append(
                _("%(name)s: price %(old)s -> %(new)s") % {"name": line.name, "old": item.price, "new": line.price}
            )
    for item in by_line.values():
        changes.append(_("%(name)s removed") % {"name": item.product.name})
    theirs = client_data(remote).normalized()
    ours = order.client
    if (
        ours is not None
        and not ours.is_placeholder
        and ((theirs.phone and theirs.phone != ours.phone) or (theirs.email and theirs.email != ours.email))
    ):
        changes.append(_("client: %(client)s") % {"client": ", ".join(p for p in (theirs.phone, theirs.email) if p)})
    delivery = delivery_describe_change(platform, order, remote, history.delivery)
    if delivery:
        changes.append(delivery)
    mapped = statuses.get(remote.status)
    if mapped is not None and mapped.pk != order.status_id:
        changes.append(_("status: %(status)s") % {"status": mapped.name})
    return changes


def status_mappings(store, platform) -> dict:
    """Platform status -> back-office Status for this store (R9), read once per batch; empty for platforms
    whose statuses do not come in."""
    if not platform.inbound_status_sync:
        return {}
    return {m.platform_status: m.status for m in StatusMapping.objects.filter(store=store).select_related("status")}


def status_from_platform(order, remote, statuses: dict):
    """Platforms that sync statuses move the order through the store's mapping (R9).

    `source=platform` keeps the change from being pushed back to where it came from (no ping-pong).
    """
    status = statuses.get(remote.status)
    if status is not None:  # order_set_status re-reads the order under a row lock: no stale comparison here
        order_set_status(order=order, status=status, source=SOURCE_PLATFORM)


def _num(value: Decimal) -> str:
    return f"{value.normalize():f}"
