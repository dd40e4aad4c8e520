"""Manual refresh of imported orders from their platforms, at most once per 10 minutes per order (R32).

The limit is enforced by one conditional UPDATE per order: the database re-checks the condition
under the row lock, so two clicks at the same moment, two staff members or a crafted POST can never
both pass. Counting it per order keeps one manager's refresh from blocking another's orders.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from integrations import tasks
from integrations.models import Store
from orders.models import Order


@dataclass
class RefreshOutcome:
    queued: list[Order] = field(default_factory=list)
    refused: list[tuple[Order, datetime]] = field(default_factory=list)  # with the next allowed time
    not_imported: list[Order] = field(default_factory=list)


def interval() -> timedelta:
    return timedelta(seconds=settings.ROAPP_REFRESH_INTERVAL_SECONDS)


def orders_refresh(*, orders, now: datetime | None = None) -> RefreshOutcome:
    """Queue a re-sync of these orders from their platforms, one fetch per store for all its orders."""
    now = now or timezone.now()
    outcome = RefreshOutcome()
    by_store: dict[int, list[str]] = {}
    for order in orders:
        if not order.store_id:
            outcome.not_imported.append(order)
            continue
        claimed = (
            Order.objects.filter(pk=order.pk)
            .filter(Q(refresh_not_before__isnull=True) | Q(refresh_not_before__lte=now))
            .update(refresh_not_before=now + interval())
        )
        if claimed:
            outcome.queued.append(order)
            by_store.setdefault(order.store_id, []).append(order.external_id)
        else:
            next_at = Order.objects.values_list("refresh_not_before", flat=True).get(pk=order.pk)
            outcome.refused.append((order, next_at))
    for store_id, ids in by_store.items():
        tasks.enqueue("integrations.tasks.sync_orders", store_id, ids)
    return outcome


def store_sync_now(*, store: Store, now: datetime | None = None) -> datetime | None:
    """Queue an incremental sync of a store now; None if queued, else when it is next allowed."""
    now = now or timezone.now()
    claimed = (
        Store.objects.filter(pk=store.pk)
        .filter(Q(sync_not_before__isnull=True) | Q(sync_not_before__lte=now))
        .update(sync_not_before=now + interval())
    )
    if not claimed:
        return Store.objects.values_list("sync_not_before", flat=True).get(pk=store.pk)
    tasks.enqueue("integrations.tasks.poll_store", store.pk)
    return None
