"""Manual refresh of imported orders from their platforms, at most once per 10 minutes per order (R32).

The limit is enforced by one conditional UPDATE per order: the database re-checks the condition
under the row lock, so two clicks at the same moment, two staff members or a crafted POST can never
both pass. Counting it per order keeps one manager's refresh from blocking another's orders.
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_noop

from integrations import services, task_queue
from integrations.models import Store
from orders.history import orders_snapshot, snapshot_changes
from orders.models import Event, EventKind, Order
from orders.stored_text import site_text

logger = logging.getLogger("integrations.refresh")

# The feed's words for a refresh (R54), stored in the site's language and translated when shown (orders.feed).
REFRESHED = gettext_noop("Refreshed from %(store)s by %(user)s: %(changes)s")
REFRESHED_UNCHANGED = gettext_noop("Refreshed from %(store)s by %(user)s: nothing has changed.")
REFRESHED_NOT_APPLIED = gettext_noop(
    "Refreshed from %(store)s by %(user)s: the platform's changes were not applied, the products are written off."
)
REFRESH_FAILED = gettext_noop("Refresh from %(store)s by %(user)s failed: %(error)s")
STORE_DISABLED = gettext_noop("the store is disabled")


@dataclass
class RefreshOutcome:
    queued: list[Order] = field(default_factory=list)
    refused: list[tuple[Order, datetime]] = field(default_factory=list)  # with the next allowed time
    not_imported: list[Order] = field(default_factory=list)


def interval() -> timedelta:
    return timedelta(seconds=settings.ROAPP_REFRESH_INTERVAL_SECONDS)


def orders_refresh(*, orders, user=None, now: datetime | None = None) -> RefreshOutcome:
    """Queue a re-sync of these orders from their platforms, one fetch per store for all its orders.

    Each refreshed order's feed then says who refreshed it and what changed (refresh_run)."""
    now = now or timezone.now()
    outcome = RefreshOutcome()
    by_store: dict[int, list[int]] = {}
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
            by_store.setdefault(order.store_id, []).append(order.pk)
        else:
            next_at = Order.objects.values_list("refresh_not_before", flat=True).get(pk=order.pk)
            outcome.refused.append((order, next_at))
    user_id = getattr(user, "pk", None)
    for store_id, ids in by_store.items():
        task_queue.enqueue("integrations.refresh.refresh_run", store_id, ids, user_id)
    return outcome


def refresh_run(store_id: int, order_ids: list[int], user_id: int | None = None) -> str:
    """The queued half of a manual refresh: fetch the orders, import them, tell each order's feed (R54).

    The feed compares each order before and after, so it says what the refresh changed even when the
    change came in through the import's bulk paths, which write no events of their own.
    """
    store = Store.objects.filter(pk=store_id).first()
    orders = list(Order.objects.filter(pk__in=order_ids, store_id=store_id))
    user = get_user_model().objects.filter(pk=user_id).first()  # None: asked by no one, or by an account since removed
    if store is None or not orders:
        return "skipped: the store or its orders are gone"
    who = {"store": store.name, "user": (user.get_full_name() or user.get_username()) if user else "-"}
    before = orders_snapshot([o.pk for o in orders])
    started = timezone.now()
    try:
        if not store.enabled:
            raise RuntimeError(site_text(STORE_DISABLED))
        result = services.store_fetch_orders(store=store, external_ids=[o.external_id for o in orders])
    except Exception as exc:
        logger.warning("%s: refresh of %d orders failed: %s", store, len(orders), exc)
        text = site_text(REFRESH_FAILED) % {**who, "error": str(exc)[:500]}
        Event.objects.bulk_create(Event(order=o, kind=EventKind.REFRESH, text=text, user=user) for o in orders)
        return f"failed: {exc}"
    after = orders_snapshot([o.pk for o in orders])
    ignored = set(
        Event.objects.filter(order__in=orders, kind=EventKind.IGNORED_CHANGE, created_at__gte=started).values_list(
            "order_id", flat=True
        )
    )
    events = []
    for order in orders:
        changes = snapshot_changes(before[order.pk], after[order.pk]) if order.pk in after else []
        if changes:
            text = site_text(REFRESHED) % {**who, "changes": "; ".join(changes)}
        elif order.pk in ignored:
            text = site_text(REFRESHED_NOT_APPLIED) % who
        else:
            text = site_text(REFRESHED_UNCHANGED) % who
        events.append(Event(order=order, kind=EventKind.REFRESH, text=text, user=user))
    Event.objects.bulk_create(events)
    return result.as_text()


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
    task_queue.enqueue("integrations.tasks.poll_store", store.pk)
    return None
