"""THE platform-neutral import: a page of platform payloads -> back-office orders.

Every rule of RULES.md that is not about talking to a platform lives here, applied the same way
to every platform; platform differences are read from the Platform class (DESIGN.md).

A page is imported in one transaction: its keys are locked (locks.py), existing orders, clients
and products are looked up in batches and new rows are inserted in bulk, so the number of SQL
queries per order stays small and constant. If the batch hits a database error, the page is
replayed one order at a time, each in a savepoint, so one bad order is logged and the rest land.
"""

import hashlib
import json
import logging
import math
from dataclasses import dataclass, field, fields
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.services import ProductData, product_key, products_match_or_create
from contacts.services import ClientData, client_create_without_contact, client_placeholder, clients_match_or_create
from integrations import locks, problems
from integrations.delivery import (
    delivery_apply_new,
    delivery_apply_update,
    delivery_describe_change,
    delivery_load_states,
)
from integrations.dto import RemoteClient, RemoteOrder
from integrations.models import StatusMapping
from integrations.platforms import platform_for
from integrations.platforms.base import MappingError
from orders.models import Event, EventKind, Order, OrderItem
from orders.services import SOURCE_PLATFORM, order_set_status

logger = logging.getLogger("integrations.sync")

# What the order columns can hold (OrderItem.quantity 12,3; money 14,2).
MAX_QUANTITY = Decimal("1e9")
MAX_AMOUNT = Decimal("1e12")


@dataclass
class SyncResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    frozen: int = 0  # written off: platform changes recorded as ignored (R8)
    skipped: int = 0  # refused by a rule and logged (R2, R10)
    finished: int = 0  # finished before connecting, not imported (R3)
    failed: int = 0  # unreadable or failed to save, logged (R40)
    latest_update: datetime | None = field(default=None, compare=False)  # newest platform change seen

    def __iadd__(self, other: "SyncResult"):
        for f in fields(self):
            if f.name != "latest_update":
                setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))
        self.latest_update = max(filter(None, [self.latest_update, other.latest_update]), default=None)
        return self

    @property
    def seen(self) -> int:
        return sum(getattr(self, f.name) for f in fields(self) if f.name != "latest_update")

    def as_text(self) -> str:
        return ", ".join(f"{f.name} {getattr(self, f.name)}" for f in fields(self) if f.name != "latest_update")


def import_payloads(*, store, payloads: list[dict]) -> SyncResult:
    """Import one page of raw platform orders into the back-office."""
    platform = platform_for(store)
    result = SyncResult()
    refused: list[tuple[str, str, dict]] = []
    remotes: dict[str, RemoteOrder] = {}
    for payload in payloads:
        try:
            remote = platform.map_order(payload)
        except MappingError as exc:
            refused.append((problems.guess_external_id(payload), str(exc), payload))
            result.failed += 1
            continue
        result.latest_update = max(filter(None, [result.latest_update, remote.updated_at]))
        reason = refusal_reason(store=store, platform=platform, remote=remote)
        if reason:
            refused.append((remote.external_id, reason, payload))
            result.skipped += 1
            continue
        remotes[remote.external_id] = remote  # a repeated id: the later payload wins

    with transaction.atomic():
        locks.lock_keys(_lock_keys(store, remotes.values()))
        for external_id, reason, payload in refused:
            problems.problem_record(store=store, external_id=external_id, reason=reason, payload=_jsonable(payload))
        existing = {o.external_id: o for o in Order.objects.filter(store=store, external_id__in=list(remotes))}
        todo = []
        for remote in remotes.values():
            if remote.external_id not in existing and _finished_before_connecting(store, platform, remote):
                result.finished += 1
            else:
                todo.append(remote)
        try:
            with transaction.atomic():
                batch = _apply(store, platform, todo, existing)
            result += batch
        except DatabaseError:
            logger.warning("%s: a page failed as a batch; importing its orders one by one", store, exc_info=True)
            result += _apply_one_by_one(store, platform, todo, existing)
    return result


def refusal_reason(*, store, platform, remote: RemoteOrder) -> str:
    """Why this order may not be imported at all, in plain words (R2, R10, R23), or ""."""
    currency = settings.ROAPP_CURRENCY
    if remote.currency and remote.currency != currency:
        return _("The order is in %(theirs)s but the back-office works in %(ours)s, so it was not imported.") % {
            "theirs": remote.currency,
            "ours": currency,
        }
    if any(line.quantity >= MAX_QUANTITY or line.price >= MAX_AMOUNT for line in remote.lines) or (
        _total(remote) >= MAX_AMOUNT
    ):
        return _("The order's quantities or amounts are too large to be real, so it was not imported.")
    if platform.requires_lines and not remote.lines:
        return _("The order has no products, so it was not imported.")
    if platform.requires_client_contact:
        if remote.client is None:
            return _("The order has no client, so it was not imported.")
        if not (remote.client.phone.strip() or remote.client.email.strip()):
            return _("The client has neither an email nor a phone number, so the order was not imported.")
    return ""


def _finished_before_connecting(store, platform, remote: RemoteOrder) -> bool:
    """Finished orders from before the connection are not imported (R3); new orders always are (R4)."""
    connected = store.connected_at
    return bool(connected and remote.created_at < connected and platform.skip_in_backfill(remote))


def _apply_one_by_one(store, platform, todo, existing) -> SyncResult:
    result = SyncResult()
    for remote in todo:
        try:
            with transaction.atomic():
                result += _apply(store, platform, [remote], existing)
        except DatabaseError as exc:
            result.failed += 1
            problems.problem_record(
                store=store,
                external_id=remote.external_id,
                reason=_("The order could not be saved: %(error)s") % {"error": str(exc).splitlines()[0][:300]},
                payload=_jsonable(remote.raw),
            )
    return result


def _apply(store, platform, todo: list[RemoteOrder], existing: dict[str, Order]) -> SyncResult:
    result = SyncResult()
    now = timezone.now()
    digests = {r.external_id: digest(r, platform) for r in todo}
    new, changed, frozen, touched = [], [], [], []
    for remote in todo:
        order = existing.get(remote.external_id)
        if order is None:
            new.append(remote)
        elif order.sync_digest == digests[remote.external_id]:
            touched.append(order.pk)
        elif order.written_off_at is not None:
            frozen.append((order, remote))
        else:
            changed.append((order, remote))

    clients = _clients(store, platform, [*new, *(r for _, r in changed)])
    products = _products(store, [*new, *(r for _, r in changed)])
    history = _history([o for o, _ in changed + frozen])

    if new:
        created = _create(store, platform, new, clients, products, digests, now)
        if platform.inbound_status_sync:
            for order, remote in zip(created, new, strict=True):
                _status_from_platform(store, order, remote)
    for order, remote in changed:
        _update(platform, order, remote, clients[remote.external_id], products, history[order.pk], digests, now)
        if platform.inbound_status_sync:
            _status_from_platform(store, order, remote)
    for order, remote in frozen:
        _record_ignored(platform, order, remote, history[order.pk], digests, now)
    if touched:
        Order.objects.filter(pk__in=touched).update(last_synced_at=now)
    problems.problems_resolve(store=store, external_ids=[r.external_id for r in todo])
    result.created, result.updated, result.frozen, result.unchanged = len(new), len(changed), len(frozen), len(touched)
    return result


# --- clients and products, in batches ---------------------------------------------------------
def _client_data(remote: RemoteOrder) -> ClientData:
    c = remote.client or RemoteClient()
    return ClientData(first_name=c.first_name, last_name=c.last_name, phone=c.phone, email=c.email, address=c.address)


def _clients(store, platform, remotes: list[RemoteOrder]) -> dict:
    if not remotes:
        return {}
    if platform.hides_client_data(store):  # Shopify Basic: "Not specified" (R22)
        placeholder = client_placeholder()
        return {r.external_id: placeholder for r in remotes}
    data = [_client_data(r) for r in remotes]
    matched = clients_match_or_create(items=data, by_email=platform.match_clients_by_email)
    result = {}
    for remote, d, client in zip(remotes, data, matched, strict=True):
        if client is None:
            client = client_create_without_contact(data=d) or client_placeholder()
        result[remote.external_id] = client
    return result


def _product_data(line) -> ProductData:
    return ProductData(
        name=line.name,
        description=line.description,
        sku=line.sku,
        code=line.product_id,
        category_path=line.category_path,
    )


def _products(store, remotes: list[RemoteOrder]) -> dict:
    lines = [line for r in remotes for line in r.lines]
    if not lines:
        return {}
    matched = products_match_or_create(items=[_product_data(x) for x in lines], identify_by=store.identify_products_by)
    return {(id(line)): product for line, product in zip(lines, matched, strict=True)}


# --- writing orders ---------------------------------------------------------------------------
def _total(remote: RemoteOrder) -> Decimal:
    """The cost of all goods: sum of quantity x price of the lines; delivery is not in it (R5)."""
    return sum((line.quantity * line.price for line in remote.lines), Decimal("0")).quantize(Decimal("0.01"))


def _create(store, platform, remotes, clients, products, digests, now):
    status = store.order_type.initial_status  # R5
    orders = [
        Order(
            number=r.number[:64],
            order_type_id=store.order_type_id,
            status=status,
            client=clients[r.external_id],
            total=_total(r),
            currency=r.currency or settings.ROAPP_CURRENCY,
            created_at=now,
            store=store,
            external_id=r.external_id,
            external_created_at=r.created_at,
            last_synced_at=now,
            sync_digest=digests[r.external_id],
        )
        for r in remotes
    ]
    Order.objects.bulk_create(orders)
    items = []
    for order, remote in zip(orders, remotes, strict=True):
        items += [_item(order, line, products) for line in remote.lines]  # R19: without deduction
    OrderItem.objects.bulk_create(items)
    delivery_apply_new(platform, list(zip(orders, remotes, strict=True)), now)
    return orders


def _item(order, line, products) -> OrderItem:
    return OrderItem(
        order=order,
        product=products[id(line)],
        quantity=line.quantity,
        price=line.price,
        deducted=False,
        external_id=line.external_id[:64],
    )


@dataclass
class _History:
    items: list
    delivery: object  # delivery.DeliveryState


def _history(orders) -> dict[int, _History]:
    if not orders:
        return {}
    ids = [o.pk for o in orders]
    deliveries = delivery_load_states(ids)
    history = {pk: _History(items=[], delivery=deliveries[pk]) for pk in ids}
    for item in OrderItem.objects.filter(order_id__in=ids).select_related("product"):
        history[item.order_id].items.append(item)
    return history


def _update(platform, order, remote, client, products, history, digests, now):
    """Apply the platform's changes to an order that is not written off yet (R8, R19)."""
    by_line = {i.external_id: i for i in history.items}
    keep = set()
    for line in remote.lines:
        item = by_line.get(line.external_id)
        product = products[id(line)]
        if item is None:
            _item(order, line, products).save()
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
    order.total = _total(remote)
    order.number = remote.number[:64]
    order.last_synced_at = now
    order.sync_digest = digests[remote.external_id]
    order.save(update_fields=["client", "total", "number", "last_synced_at", "sync_digest"])


def _record_ignored(platform, order, remote, history, digests, now):
    """After write-off nothing from the platform is applied; the feed says what was ignored (R8)."""
    changes = describe_changes(platform, order, remote, history)
    if changes:
        text = _("Not applied, the products are already written off. Changes on the platform: %(changes)s") % {
            "changes": "; ".join(changes)
        }
        Event.objects.create(order=order, kind=EventKind.IGNORED_CHANGE, text=text, created_at=now)
    Order.objects.filter(pk=order.pk).update(sync_digest=digests[remote.external_id], last_synced_at=now)


def describe_changes(platform, order, remote, history) -> list[str]:
    """Plain-words differences between the platform's order and ours (items, client, delivery)."""
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
    theirs = _client_data(remote).normalized()
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
    if platform.inbound_status_sync:
        mapped = _mapped_status(order.store, remote)
        if mapped is not None and mapped.pk != order.status_id:
            changes.append(_("status: %(status)s") % {"status": mapped.name})
    return changes


def _mapped_status(store, remote):
    mapping = StatusMapping.objects.filter(store=store, platform_status=remote.status).select_related("status").first()
    return mapping.status if mapping is not None else None


def _status_from_platform(store, order, remote):
    """Platforms that sync statuses move the order through the store's mapping (R9).

    `source=platform` keeps the change from being pushed back to where it came from (no ping-pong).
    """
    status = _mapped_status(store, remote)
    if status is not None:
        order_set_status(order=order, status=status, source=SOURCE_PLATFORM)


# --- helpers ----------------------------------------------------------------------------------
def digest(remote: RemoteOrder, platform) -> str:
    """Fingerprint of what the back-office takes from the order; equal means nothing to do (R7)."""
    data = remote.as_comparable()
    if not platform.inbound_status_sync:
        data.pop("status")
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def _lock_keys(store, remotes):
    keys = []
    for r in remotes:
        keys.append(f"order:{store.pk}:{r.external_id}")
        if r.client is not None:
            d = _client_data(r).normalized()
            keys += [f"client:phone:{d.phone}"] if d.phone else []
            keys += [f"client:email:{d.email}"] if d.email else []
        for line in r.lines:
            data = _product_data(line)
            keys.append(f"product:{store.identify_products_by}:{product_key(data, store.identify_products_by)}")
            keys.append(f"product:name:{data.name.strip()}")
            keys += [f"category:{name}" for name in line.category_path]
    return keys


def _num(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _jsonable(payload):
    """The payload as strict JSON for the log: NaN, infinities and NUL characters (which JSON columns
    refuse) become text the database accepts."""

    def clean(value):
        if isinstance(value, float) and not math.isfinite(value):
            return str(value)
        if isinstance(value, str):
            return value.replace("\x00", "\\u0000")
        if isinstance(value, dict):
            return {clean(str(k)): clean(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [clean(v) for v in value]
        return value

    try:
        return json.loads(json.dumps(clean(payload), default=str, allow_nan=False))
    except (TypeError, ValueError, RecursionError):
        return {"unreadable": str(payload)[:10000]}
