"""The Carrier interface: how one delivery carrier's waybills are recognized and written (R13, R14).

A carrier is a company whose waybills the back-office keeps as `orders.Waybill` rows, with the carrier's
key in `Waybill.carrier`. delivery.py decides *when* a waybill is created, updated or replaced; a Carrier
says *whether* a delivery is its own and *how* its waybills are written and told in the feed. The carriers
are listed in integrations/carriers.py, and a platform names those whose waybills it carries in
`Platform.waybill_carriers`.

This module stays free of the registry and of every carrier, so that a carrier's own modules can import it.
"""

from abc import ABC, abstractmethod
from dataclasses import dataclass, fields
from decimal import Decimal

from integrations.dto import RemoteDelivery
from orders.models import Event, Waybill


@dataclass(frozen=True)
class WaybillData:
    """What the platform says about a delivery with a carrier; "" number = not known yet."""

    number: str
    service: str
    cost: Decimal | None
    recipient_name: str
    recipient_phone: str
    recipient_address: str

    @classmethod
    def of(cls, delivery: RemoteDelivery, number: str) -> "WaybillData":
        return cls(
            number=number[:64],
            service=delivery.service[:255],
            cost=delivery.cost,
            recipient_name=delivery.recipient_name[:255],
            recipient_phone=delivery.recipient_phone[:32],
            recipient_address=delivery.address,
        )


def waybill_changes(waybill: Waybill, data: WaybillData) -> dict:
    """The fields the platform changed; an empty platform number never erases a known one."""
    changed = {}
    for f in fields(WaybillData):
        new = getattr(data, f.name)
        if f.name == "number" and not new:
            continue
        if new != getattr(waybill, f.name):
            changed[f.name] = new
    return changed


class Carrier(ABC):
    # The `Waybill.carrier` value of this carrier's waybills. Stored in every row: never renamed.
    key: str = ""
    label: str = ""

    @abstractmethod
    def recognize(self, delivery: RemoteDelivery) -> str | None:
        """The waybill number this delivery carries ("" when none is known yet), or None when the delivery is not
        this carrier's."""

    @abstractmethod
    def current_waybills(self, order_ids) -> list[Waybill]:
        """This carrier's waybills of these orders that no switch of delivery method has replaced, oldest first."""

    @abstractmethod
    def waybills_build(self, items: list[tuple], now) -> tuple[list[dict], list[dict]]:
        """New waybills and their "created" feed events for [(order, WaybillData)], as rows to insert in bulk."""

    def waybill_create(self, *, order, data: WaybillData, now) -> Waybill:
        [row], [event] = self.waybills_build([(order, data)], now)
        waybill = Waybill.objects.create(**row)
        Event.objects.create(**event)
        return waybill

    @abstractmethod
    def waybill_update(self, *, waybill: Waybill, data: WaybillData, currency: str, now) -> bool:
        """Apply what the platform changed and tell the feed. False when nothing changed."""

    @abstractmethod
    def waybill_mark_replaced(self, *, waybill: Waybill, service: str, now) -> None:
        """The order's delivery method is no longer this carrier (now `service`): the waybill becomes history (R14)."""

    @abstractmethod
    def waybill_summary(self, data: WaybillData, currency: str) -> str:
        """One line about a waybill as the platform describes it, for the feed and for ignored changes (R8)."""

    @abstractmethod
    def describe_update(self, waybill: Waybill, data: WaybillData, currency: str) -> str:
        """What an update would change on the waybill, for an order that ignores it (R8); "" when nothing."""
