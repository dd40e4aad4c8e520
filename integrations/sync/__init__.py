"""THE platform-neutral import: a page of platform payloads -> back-office orders.

Every rule of RULES.md that is not about talking to a platform lives here, applied the same way
to every platform; platform differences are read from the Platform class (DESIGN.md).

A page is imported in one transaction: its keys are locked (locks.py), existing orders, clients
and products are looked up in batches and new rows are inserted in bulk, so the number of SQL
queries per order stays small and constant. If the batch hits a database error, the page is
replayed one order at a time, each in a savepoint, so one bad order is logged and the rest land.

The package: this module runs a page (locks, batches, isolation); `matching` finds or makes the
clients and products of a page; `writing` creates and updates the orders themselves.
"""

import hashlib
import json
import logging
import math
import re
from dataclasses import dataclass, field, fields
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from integrations import locks, problems
from integrations.dto import RemoteOrder
from integrations.platforms import platform_for
from integrations.platforms.base import MappingError
from integrations.sync.matching import clients_for, lock_keys_for, products_for
from integrations.sync.writing import (
    histories_load,
    order_record_ignored,
    order_total,
    order_update,
    orders_create,
    status_from_platform,
    status_mappings,
)
from orders.models import Order

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
        unsavable = _text_with_lone_surrogate(remote.as_comparable())
        if unsavable is not None:
            reason = _("The order contains text that is not valid Unicode (%(text)s), so it was not imported.")
            refused.append((remote.external_id, reason % {"text": _escaped(unsavable)[:300]}, payload))
            result.failed += 1
            continue
        reason = refusal_reason(platform=platform, remote=remote)
        if reason:
            refused.append((remote.external_id, reason, payload))
            result.skipped += 1
            continue
        remotes[remote.external_id] = remote  # a repeated id: the later payload wins

    with transaction.atomic():
        locks.lock_keys(lock_keys_for(store, remotes.values()))
        for external_id, reason, payload in refused:
            problems.problem_record(
                store=store, external_id=_escaped(external_id), reason=_escaped(reason), payload=_jsonable(payload)
            )
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


def refusal_reason(*, platform, remote: RemoteOrder) -> str:
    """Why this order may not be imported at all, in plain words (R2, R10, R23), or ""."""
    currency = settings.ROAPP_CURRENCY
    if remote.currency and remote.currency != currency:
        return _("The order is in %(theirs)s but the back-office works in %(ours)s, so it was not imported.") % {
            "theirs": remote.currency,
            "ours": currency,
        }
    if any(line.quantity >= MAX_QUANTITY or line.price >= MAX_AMOUNT for line in remote.lines) or (
        order_total(remote) >= MAX_AMOUNT
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

    clients = clients_for(store, platform, [*new, *(r for _, r in changed)])
    products = products_for(store, [*new, *(r for _, r in changed)])
    history = histories_load([o for o, _ in changed + frozen])
    statuses = status_mappings(store, platform)

    if new:
        for order, remote in orders_create(store, platform, new, clients, products, digests, now):
            status_from_platform(order, remote, statuses)
    for order, remote in changed:
        order_update(platform, order, remote, clients[remote.external_id], products, history[order.pk], digests, now)
        status_from_platform(order, remote, statuses)
    for order, remote in frozen:
        order_record_ignored(platform, order, remote, history[order.pk], digests, now, statuses)
    if touched:
        Order.objects.filter(pk__in=touched).update(last_synced_at=now)
    problems.problems_resolve(store=store, external_ids=[r.external_id for r in todo])
    result.created, result.updated, result.frozen, result.unchanged = len(new), len(changed), len(frozen), len(touched)
    return result


def digest(remote: RemoteOrder, platform) -> str:
    """Fingerprint of what the back-office takes from the order; equal means nothing to do (R7)."""
    data = remote.as_comparable()
    if not platform.inbound_status_sync:
        data.pop("status")
    # Sorted keys: the digest is kept with the order, and must not change when a later version of the product
    # builds the same dict in another order (every order would then look changed once).
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def _text_with_lone_surrogate(value) -> str | None:
    """The first text in `value` holding a lone surrogate ("\\ud800": valid JSON, but no database can
    store it as text, R40), or None."""
    if isinstance(value, str):
        return value if _LONE_SURROGATE.search(value) else None
    if isinstance(value, list | tuple):
        return next(filter(None, map(_text_with_lone_surrogate, value)), None)
    if isinstance(value, dict):
        return _text_with_lone_surrogate(list(value.values()))
    return None


def _escaped(text: str) -> str:
    """`text` with its lone surrogates written as escapes (\\ud800), which any database stores."""
    return _LONE_SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


_LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _jsonable(payload):
    """The payload as strict JSON for the log: NaN, infinities, NUL characters (which JSON columns
    refuse) and lone surrogates (which no text column stores) become text the database accepts."""

    def clean(value):
        if isinstance(value, float) and not math.isfinite(value):
            return str(value)
        if isinstance(value, str):
            return _escaped(value.replace("\x00", "\\u0000"))
        if isinstance(value, dict):
            return {clean(str(k)): clean(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [clean(v) for v in value]
        return value

    try:
        return json.loads(json.dumps(clean(payload), default=str))  # clean() leaves no NaN or infinity
    except (TypeError, ValueError, RecursionError):
        return {"unreadable": str(payload)[:10000]}
