"""Delivery details of imported orders: a feed comment (R12) or a carrier's waybill (R13, R14).

The import (integrations/sync/) calls only the four functions below, so how delivery is shown stays in this module:
- a delivery no carrier of the platform recognizes: a readable comment, a new one only when the details
  really change (compared in a normalized form, so re-syncs and refreshes add nothing); WooCommerce
  transfers no delivery at all;
- a delivery one of the platform's `waybill_carriers` recognizes (integrations/carriers.py; Nova Poshta on
  Shopify today): a `Waybill` instead of a comment, updated as the platform changes it (a number that comes
  later fills in). The carrier decides what counts as its delivery and writes its own waybills and feed texts;
- a switch of method: carrier -> other marks the waybill replaced (Nova Poshta: "2" / Deleted) and the new
  details arrive as a comment; other -> carrier keeps the old comments and starts a new waybill, as does a
  switch from one carrier to another (R14);
- after write-off nothing is applied; `delivery_describe_change` says what was ignored (R8).
"""

from dataclasses import dataclass

from integrations.carrier_base import Carrier, WaybillData
from integrations.carriers import CARRIERS, carrier_for
from integrations.dto import RemoteDelivery, RemoteOrder
from orders.models import Event, EventKind, Waybill
from roapp.bulk import insert_rows
from roapp.i18n import site_gettext

_ = site_gettext  # every text here goes into an order's feed, in the site language


@dataclass
class DeliveryState:
    """What an order already shows about its delivery."""

    last_comment: str = ""
    waybill: Waybill | None = None  # the current waybill, of any carrier (not replaced by another method)


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


def _text(platform, order, remote: RemoteOrder) -> str:
    return delivery_text(remote.delivery, order.currency) if platform.transfers_delivery else ""  # WooCommerce: none


def _waybill_data(platform, remote: RemoteOrder) -> tuple[Carrier, WaybillData] | None:
    """The carrier and waybill this order should have, or None when none of the platform's carriers
    recognizes its delivery."""
    if not platform.transfers_delivery or remote.delivery is None:
        return None
    for key in platform.waybill_carriers:
        carrier = CARRIERS[key]
        number = carrier.recognize(remote.delivery)
        if number is not None:
            return carrier, WaybillData.of(remote.delivery, number)
    return None


def _is_current(state: DeliveryState, carrier: Carrier) -> bool:
    """Does the order already have a current waybill of this carrier?"""
    return state.waybill is not None and state.waybill.carrier == carrier.key


def _service(remote: RemoteOrder) -> str:
    return remote.delivery.service if remote.delivery else ""


def delivery_load_states(order_ids) -> dict[int, DeliveryState]:
    """The delivery state of these orders: one query for the comments and one per carrier."""
    ids = list(order_ids)
    states = {pk: DeliveryState() for pk in ids}
    rows = Event.objects.filter(order_id__in=ids, kind=EventKind.DELIVERY).order_by("id")
    for order_id, text in rows.values_list("order_id", "text"):
        states[order_id].last_comment = text
    for carrier in CARRIERS.values():  # a switch of carrier replaces the old waybill: one is current at most
        for waybill in carrier.current_waybills(ids):
            states[waybill.order_id].waybill = waybill
    return states


def delivery_apply_new(platform, pairs, now) -> None:
    """Show the delivery of newly created orders: `pairs` is [(order, remote)], written in bulk."""
    comments, by_carrier = [], {}
    for order, remote in pairs:
        found = _waybill_data(platform, remote)
        if found is not None:
            carrier, data = found
            by_carrier.setdefault(carrier.key, []).append((order, data))
            continue
        text = _text(platform, order, remote)
        if text:
            comments.append({"order_id": order.pk, "kind": EventKind.DELIVERY, "text": text, "created_at": now})
    waybills, waybill_events = [], []
    for key, items in by_carrier.items():
        rows, events = CARRIERS[key].waybills_build(items, now)
        waybills += rows
        waybill_events += events
    insert_rows(Waybill, waybills)
    insert_rows(Event, comments + waybill_events)


def delivery_apply_update(platform, order, remote, state: DeliveryState, now) -> None:
    """Follow the platform's delivery: update the waybill, switch methods, or comment on a change. `state` is
    what the order showed before this import; each order is applied once per import, so it is not updated."""
    found = _waybill_data(platform, remote)
    if found is not None:
        carrier, data = found
        if _is_current(state, carrier):
            carrier.waybill_update(waybill=state.waybill, data=data, currency=order.currency, now=now)
            return
        if state.waybill is not None:  # one carrier -> another: the old waybill is replaced (R14)
            carrier_for(state.waybill).waybill_mark_replaced(waybill=state.waybill, service=data.service, now=now)
        # other -> carrier: the old comments stay, a new waybill starts (R14)
        carrier.waybill_create(order=order, data=data, now=now)
        return
    text = _text(platform, order, remote)
    switched = state.waybill is not None
    if switched:  # carrier -> other: the waybill is replaced and the details arrive as a comment (R14)
        carrier_for(state.waybill).waybill_mark_replaced(waybill=state.waybill, service=_service(remote), now=now)
    if text and (switched or not same_details(text, state.last_comment)):
        Event.objects.create(order=order, kind=EventKind.DELIVERY, text=text, created_at=now)


def delivery_describe_change(platform, order, remote, state: DeliveryState) -> str:
    """The delivery change a written-off order ignores (R8), or ""."""
    found = _waybill_data(platform, remote)
    if found is not None:
        carrier, data = found
        if _is_current(state, carrier):
            return carrier.describe_update(state.waybill, data, order.currency)
        return _("delivery method: %(details)s") % {"details": carrier.waybill_summary(data, order.currency)}
    text = _text(platform, order, remote)
    if state.waybill is not None:
        return _("delivery method: %(details)s") % {"details": text or _service(remote) or _("not specified")}
    return text if text and not same_details(text, state.last_comment) else ""
