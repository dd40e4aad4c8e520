"""Delivery details of imported orders: a feed comment (R12) or a Nova Poshta waybill (R13, R14).

The import (integrations/sync/) calls only the four functions below, so how delivery is shown stays in this module:
- other services: a readable comment, a new one only when the details really change (compared in a
  normalized form, so re-syncs and refreshes add nothing); WooCommerce transfers no delivery at all;
- Nova Poshta (Ukraine) on platforms that use waybills (integrations.novaposhta.recognize decides
  what counts as Nova Poshta and where the TTN comes from): a `Waybill` instead of a comment, updated
  as the platform changes it (a number that comes later fills in);
- a switch of method: Nova Poshta -> other marks the waybill "2" / Deleted and the new details arrive
  as a comment; other -> Nova Poshta keeps the old comments and starts a new waybill (R14);
- after write-off nothing is applied; `delivery_describe_change` says what was ignored (R8).
"""

from dataclasses import dataclass

from django.db.models import Q

from integrations.dto import RemoteDelivery, RemoteOrder
from integrations.novaposhta.models import CARRIER
from integrations.novaposhta.recognize import recognize
from integrations.novaposhta.services import (
    WaybillData,
    describe_changes,
    waybill_changes,
    waybill_create,
    waybill_mark_replaced,
    waybill_summary,
    waybill_update,
    waybills_build,
)
from orders.models import Event, EventKind, Waybill
from roapp.bulk import insert_rows
from roapp.i18n import site_gettext

_ = site_gettext  # every text here goes into an order's feed, in the site language


@dataclass
class DeliveryState:
    """What an order already shows about its delivery."""

    last_comment: str = ""
    waybill: Waybill | None = None  # the current Nova Poshta waybill (not replaced by another method)


def delivery_text(delivery: RemoteDelivery | None, currency: str) -> str:
    """The comment for these details, always in the site language so re-syncs compare equal."""
    if delivery is None or not (delivery.service or delivery.address or delivery.cost is not None):
        return ""
    parts = [_("Delivery: %(service)s") % {"service": delivery.service or _("not specified")}]
    if delivery.cost is not None:
        parts.append(_("cost: %(cost)s %(currency)s") % {"cost": f"{delivery.cost:.2f}", "currency": currency})
    if delivery.address:
        parts.append(_("address: %(address)s") % {"address": delivery.address})
    return "; ".join(parts)


def same_details(a: str, b: str) -> bool:
    """Equal once case and runs of spaces are ignored: "Khreshchatyk  1" is no new address."""
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def uses_waybills(platform) -> bool:
    return platform.nova_poshta_waybills


def _text(platform, order, remote: RemoteOrder) -> str:
    return delivery_text(remote.delivery, order.currency) if platform.transfers_delivery else ""  # WooCommerce: none


def _waybill_data(platform, remote: RemoteOrder) -> WaybillData | None:
    """The waybill this order should have, or None when its delivery is not Nova Poshta (Ukraine)."""
    if not (platform.transfers_delivery and uses_waybills(platform)) or remote.delivery is None:
        return None
    found = recognize(remote.delivery)
    return WaybillData.of(remote.delivery, found.number) if found.is_nova_poshta else None


def _service(remote: RemoteOrder) -> str:
    return remote.delivery.service if remote.delivery else ""


def delivery_load_states(order_ids) -> dict[int, DeliveryState]:
    """The delivery state of these orders, in two queries."""
    ids = list(order_ids)
    states = {pk: DeliveryState() for pk in ids}
    rows = Event.objects.filter(order_id__in=ids, kind=EventKind.DELIVERY).order_by("id")
    for order_id, text in rows.values_list("order_id", "text"):
        states[order_id].last_comment = text
    current = Q(np_details__isnull=True) | Q(np_details__replaced_at__isnull=True)
    for waybill in Waybill.objects.filter(current, order_id__in=ids, carrier=CARRIER).order_by("id"):
        states[waybill.order_id].waybill = waybill
    return states


def delivery_apply_new(platform, pairs, now) -> None:
    """Show the delivery of newly created orders: `pairs` is [(order, remote)], written in bulk."""
    comments, waybill_items = [], []
    for order, remote in pairs:
        data = _waybill_data(platform, remote)
        if data is not None:
            waybill_items.append((order, data))
            continue
        text = _text(platform, order, remote)
        if text:
            comments.append({"order_id": order.pk, "kind": EventKind.DELIVERY, "text": text, "created_at": now})
    waybills, waybill_events = waybills_build(waybill_items, now)
    insert_rows(Waybill, waybills)
    insert_rows(Event, comments + waybill_events)


def delivery_apply_update(platform, order, remote, state: DeliveryState, now) -> None:
    """Follow the platform's delivery: update the waybill, switch methods, or comment on a change."""
    data = _waybill_data(platform, remote)
    if data is not None:
        if state.waybill is not None:
            waybill_update(waybill=state.waybill, data=data, currency=order.currency, now=now)
        else:  # other -> Nova Poshta: the old comments stay, a new waybill starts (R14)
            state.waybill = waybill_create(order=order, data=data, now=now)
        return
    text = _text(platform, order, remote)
    switched = state.waybill is not None
    if switched:  # Nova Poshta -> other: the waybill is deleted and the details arrive as a comment (R14)
        waybill_mark_replaced(waybill=state.waybill, service=_service(remote), now=now)
        state.waybill = None
    if text and (switched or not same_details(text, state.last_comment)):
        Event.objects.create(order=order, kind=EventKind.DELIVERY, text=text, created_at=now)
        state.last_comment = text


def delivery_describe_change(platform, order, remote, state: DeliveryState) -> str:
    """The delivery change a written-off order ignores (R8), or ""."""
    data = _waybill_data(platform, remote)
    if data is not None and state.waybill is not None:
        changed = waybill_changes(state.waybill, data)
        if not changed:
            return ""
        return _("Nova Poshta waybill: %(changes)s") % {"changes": describe_changes(changed, order.currency)}
    if data is not None:
        return _("delivery method: %(details)s") % {"details": waybill_summary(data, order.currency)}
    text = _text(platform, order, remote)
    if state.waybill is not None:
        return _("delivery method: %(details)s") % {"details": text or _service(remote) or _("not specified")}
    return text if text and not same_details(text, state.last_comment) else ""
