"""One tracking pass: ask Nova Poshta for the status of every active waybill and apply it (R13).

Active = carrier novaposhta, with a number, not in a final status (models.FINAL_STATUSES). They are
asked in batches of at most 100 (the API's limit per getStatusDocuments call), longest-unchecked first.
A batch Nova Poshta refuses (HTTP 200 with `success: false`, PROTOCOLS.md 4) is logged and its
waybills are simply asked again next time; when the API cannot be reached at all the pass stops.

What is fetched is applied under a row lock against the waybill as it is *now*, so two passes at
once, or an import marking the waybill deleted meanwhile, never add an event twice or resurrect it.
A changed status code adds a `waybill` event and, where the user has a rule for that code, moves the
order with order_set_status(source=platform): a tracking change needs no user and is pushed nowhere.
"""

import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from integrations.novaposhta.client import MAX_DOCUMENTS, Document, NovaPoshtaClient, NovaPoshtaError, tracking_phone
from integrations.novaposhta.models import CARRIER, FINAL_STATUSES, NovaPoshtaSettings, WaybillDetails
from integrations.platforms.http import PlatformError
from orders.models import Event, EventKind, Order, Waybill
from orders.services import SOURCE_PLATFORM, order_set_status

logger = logging.getLogger("integrations.novaposhta")


@dataclass
class Change:
    number: str
    order: str
    old: str
    new: str
    text: str
    order_status: str = ""  # the order's new status, when a rule moved it

    def as_text(self) -> str:
        line = f"{self.number} (order {self.order}): {self.old or '-'} -> {self.new} {self.text}"
        return line + (f"; order status -> {self.order_status}" if self.order_status else "")


@dataclass
class TrackingResult:
    enabled: bool = True
    asked: int = 0  # waybill numbers sent to Nova Poshta
    requests: int = 0
    changes: list[Change] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def as_text(self) -> str:
        if not self.enabled:
            return "disabled"
        return f"asked {self.asked}, requests {self.requests}, changed {len(self.changes)}, errors {len(self.errors)}"


def active_waybills():
    """Waybills worth asking about, longest-unchecked first."""
    current = Q(np_details__isnull=True) | Q(np_details__replaced_at__isnull=True)
    return (
        Waybill.objects.filter(current, carrier=CARRIER)
        .exclude(number="")
        .exclude(status__in=FINAL_STATUSES)
        .order_by(F("last_checked_at").asc(nulls_first=True), "id")
    )


def track_waybills(*, client: NovaPoshtaClient | None = None, now=None) -> TrackingResult:
    """Run one tracking pass; nothing is asked while the integration is disabled."""
    conf = NovaPoshtaSettings.load()
    if not conf.enabled:
        return TrackingResult(enabled=False)
    client = client or NovaPoshtaClient(api_key=conf.api_key)  # tracking works without a key too (PROTOCOLS 4)
    rules = conf.rules()
    result = TrackingResult()
    phones: dict[str, str] = {}
    for number, phone in active_waybills().values_list("number", "recipient_phone"):
        if number.isdigit():  # anything else would make NP refuse the whole batch
            phones.setdefault(number, tracking_phone(phone))
    numbers = list(phones)
    for start in range(0, len(numbers), MAX_DOCUMENTS):
        batch = numbers[start : start + MAX_DOCUMENTS]
        result.requests += 1
        try:
            documents = client.status_documents([(n, phones[n]) for n in batch])
        except NovaPoshtaError as exc:
            logger.warning("Nova Poshta refused tracking %d waybills (kept for the next pass): %s", len(batch), exc)
            result.errors.append(str(exc))
            continue
        except PlatformError as exc:
            logger.warning("Nova Poshta cannot be reached; tracking stops until the next pass: %s", exc)
            result.errors.append(str(exc))
            break
        result.asked += len(batch)
        result.changes += apply_documents(batch, documents, rules, now or timezone.now())
    return result


def apply_documents(numbers: list[str], documents: list[Document], rules: dict, now) -> list[Change]:
    """Store what Nova Poshta said about these numbers; return the status changes."""
    by_number = {d.number: d for d in documents if d.number and d.status_code}
    changes, events, moved, details = [], [], [], []
    with transaction.atomic():
        # Locked in id order, so two passes at once queue up instead of deadlocking.
        mine = Waybill.objects.filter(carrier=CARRIER, number__in=numbers).exclude(status__in=FINAL_STATUSES)
        waybills = list(mine.select_for_update().order_by("id"))
        replaced = WaybillDetails.objects.filter(waybill__in=waybills, replaced_at__isnull=False)
        replaced = set(replaced.values_list("waybill", flat=True))
        waybills = [w for w in waybills if w.pk not in replaced and w.number in by_number]
        orders = Order.objects.in_bulk([w.order_id for w in waybills])
        for waybill in waybills:
            doc = by_number[waybill.number]
            old = waybill.status
            waybill.status, waybill.status_text, waybill.last_checked_at = doc.status_code, doc.status_text[:255], now
            details.append(_details(waybill, doc.raw))
            if doc.status_code == old:
                continue
            order = orders[waybill.order_id]
            change = Change(waybill.number, str(order), old, doc.status_code, doc.status_text)
            changes.append(change)
            events.append(Event(order=order, kind=EventKind.WAYBILL, text=_event_text(waybill), created_at=now))
            if doc.status_code in rules:
                moved.append((order, rules[doc.status_code], change))
        Waybill.objects.bulk_update(waybills, ["status", "status_text", "last_checked_at"])
        WaybillDetails.objects.bulk_create(
            details,
            update_conflicts=True,
            unique_fields=["waybill"],
            update_fields=[
                "sender",
                "sender_address",
                "scheduled_delivery",
                "actual_delivery",
                "document_cost",
                "updated_at",
            ],
        )
        Event.objects.bulk_create(events)
        for order, status, change in moved:
            if order_set_status(order=order, status=status, source=SOURCE_PLATFORM):
                change.order_status = status.name
    return changes


def _event_text(waybill: Waybill) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return _("Nova Poshta waybill %(number)s: %(text)s (status %(code)s)") % {
            "number": waybill.number,
            "text": waybill.status_text,
            "code": waybill.status,
        }


def _details(waybill: Waybill, raw: dict) -> WaybillDetails:
    """The sender and dates from a getStatusDocuments item (field names as in the fixture response)."""

    def text(*keys) -> str:
        return next((str(raw[k]).strip() for k in keys if raw.get(k) not in (None, "")), "")

    where = ", ".join(p for p in (text("CitySender"), text("WarehouseSender")) if p)
    return WaybillDetails(
        waybill=waybill,
        sender=text("SenderFullNameEW", "CounterpartySenderDescription")[:255],
        sender_address=text("SenderAddress") or where,
        scheduled_delivery=text("ScheduledDeliveryDate")[:32],
        actual_delivery=text("ActualDeliveryDate", "RecipientDateTime")[:32],
        document_cost=text("DocumentCost")[:32],
    )
