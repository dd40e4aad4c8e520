"""Delivery details of imported orders (R12): a readable feed comment, a new one only when they change.

sync.py calls only the four functions below, so how delivery is shown (comments now; Nova Poshta
waybills, R13) stays in this module.
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from integrations.dto import RemoteDelivery, RemoteOrder
from orders.models import Event, EventKind


@dataclass
class DeliveryState:
    """What an order already shows about its delivery."""

    last_comment: str = ""


def delivery_text(delivery: RemoteDelivery | None, currency: str) -> str:
    """The comment for these details, always in the site language so re-syncs compare equal."""
    if delivery is None or not (delivery.service or delivery.address or delivery.cost is not None):
        return ""
    with translation.override(settings.LANGUAGE_CODE):
        parts = [_("Delivery: %(service)s") % {"service": delivery.service or _("not specified")}]
        if delivery.cost is not None:
            parts.append(_("cost: %(cost)s %(currency)s") % {"cost": f"{delivery.cost:.2f}", "currency": currency})
        if delivery.address:
            parts.append(_("address: %(address)s") % {"address": delivery.address})
        return "; ".join(parts)


def _text(platform, order, remote: RemoteOrder) -> str:
    return delivery_text(remote.delivery, order.currency) if platform.transfers_delivery else ""  # WooCommerce: none


def delivery_load_states(order_ids) -> dict[int, DeliveryState]:
    """The delivery state of these orders, in one query."""
    states = {pk: DeliveryState() for pk in order_ids}
    rows = Event.objects.filter(order_id__in=list(order_ids), kind=EventKind.DELIVERY).order_by("id")
    for order_id, text in rows.values_list("order_id", "text"):
        states[order_id].last_comment = text
    return states


def delivery_apply_new(platform, pairs, now) -> None:
    """Show the delivery of newly created orders: `pairs` is [(order, remote)], written in one insert."""
    events = []
    for order, remote in pairs:
        text = _text(platform, order, remote)
        if text:
            events.append(Event(order=order, kind=EventKind.DELIVERY, text=text, created_at=now))
    Event.objects.bulk_create(events)


def delivery_apply_update(platform, order, remote, state: DeliveryState, now) -> None:
    """A new comment only when the details really changed; unchanged details add nothing (R12)."""
    text = _text(platform, order, remote)
    if text and text != state.last_comment:
        Event.objects.create(order=order, kind=EventKind.DELIVERY, text=text, created_at=now)


def delivery_describe_change(platform, order, remote, state: DeliveryState) -> str:
    """The delivery change a written-off order ignores (R8), or ""."""
    text = _text(platform, order, remote)
    return text if text and text != state.last_comment else ""
