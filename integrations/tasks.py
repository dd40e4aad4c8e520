"""django-q2 task functions: thin wrappers that load the store, call a service and report what it did.

Services queue these by dotted path through integrations.task_queue.enqueue (after the surrounding transaction
commits) and never import this module, so the dependencies run one way: tasks -> services.
With ROAPP_TASKS_SYNC they run inline (tests, scripts).
"""

import logging

from django.conf import settings
from django_q.tasks import async_task

from integrations import services, status_push, webhook_queue, webhook_subscriptions
from integrations.health.alerts import stores_check_health
from integrations.health.reconcile import store_reconcile
from integrations.models import Store
from orders.models import Order

logger = logging.getLogger("integrations.tasks")


def _store(store_id) -> Store | None:
    store = Store.objects.select_related("order_type__initial_status").filter(pk=store_id).first()
    if store is None or not store.enabled:
        logger.info("store %s is gone or disabled; task skipped", store_id)
        return None
    return store


def slice_seconds() -> float:
    """How long one backfill or poll task imports before it stops at a checkpoint for the next to go on: half
    the worker's timeout, so the batch in progress (a slow platform's page, its retries) ends well before the
    worker is killed."""
    return settings.Q_CLUSTER["timeout"] / 2


def backfill_store(store_id: int) -> str:
    """One slice of a store's backfill; it queues the next slice while the backfill is not done (R3)."""
    store = Store.objects.select_related("order_type__initial_status").filter(pk=store_id).first()
    if store is None:
        return "skipped: no such store"
    return services.store_backfill_slice(store=store, seconds=slice_seconds())


def poll_store(store_id: int) -> str:
    """A store's poll, unless one is still running: after an outage a poll can outlast the 5-minute schedule,
    and a second one on the same store would only import the same orders again and keep a worker busy."""
    store = _store(store_id)
    if store is None:
        return "skipped"
    try:
        return services.store_poll(store=store, seconds=slice_seconds()).as_text()
    except services.AlreadyRunning:
        logger.info("%s: a poll of this store is still running; this one is skipped", store)
        return "skipped: a poll of this store is still running"


def poll_all_stores() -> int:
    """The safety net of R4: every enabled store is polled, so a lost webhook never loses an order."""
    ids = list(Store.objects.filter(enabled=True).values_list("pk", flat=True))
    for store_id in ids:
        async_task("integrations.tasks.poll_store", store_id, group="poll")
    return len(ids)


def drain_webhooks(store_id: int) -> str:
    """Import the orders named by the store's undone webhook deliveries, a batch at a time (R51)."""
    store = _store(store_id)
    if store is None:
        return "skipped"
    return f"{webhook_queue.deliveries_drain(store=store)} deliveries"


def sweep_webhook_queues() -> str:
    """Every minute: a drain for each store whose deliveries wait with none on its way (R51)."""
    return f"{webhook_queue.queues_sweep()} drains queued"


def prune_webhook_deliveries() -> str:
    """Daily: delete deliveries done longer ago than ROAPP_WEBHOOK_RETENTION_DAYS (docs/webhooks.md)."""
    return f"{webhook_queue.deliveries_prune()} deliveries pruned"


def sync_orders(store_id: int, external_ids: list[str]) -> str:
    store = _store(store_id)
    return services.store_fetch_orders(store=store, external_ids=external_ids).as_text() if store else "skipped"


def push_status(order_id: int) -> str:
    """Tell the order's platform about its current status (R9, integrations.status_push)."""
    order = Order.objects.select_related("store", "status").filter(pk=order_id).first()
    return status_push.order_status_push(order=order) if order is not None else "skipped"


def reconcile_store(store_id: int, import_missing: bool = True) -> str:
    """R43: compare the last 14 days with the platform and, unless told otherwise, import what is missing."""
    store = _store(store_id)
    if store is None:
        return "skipped"
    result = store_reconcile(store=store, import_missing=import_missing)
    fetched = f"; imported missing: {result.fetched.as_text()}" if result.fetched else ""
    return f"{len(result.flagged)} of {len(result.days)} days differ, {len(result.missing_ids)} missing{fetched}"


def reconcile_all_stores() -> int:
    """The daily reconciliation of every enabled store (R43), one task each so one slow shop delays no other."""
    ids = list(Store.objects.filter(enabled=True).values_list("pk", flat=True))
    for store_id in ids:
        async_task("integrations.tasks.reconcile_store", store_id, group="reconcile")
    return len(ids)


def check_all_stores_health() -> str:
    """R44 on a schedule: catches the stores whose syncs stopped running at all, not only failing ones."""
    counts = stores_check_health()
    return f"alerted {counts['alerted']}, recovered {counts['recovered']}"


def check_all_webhook_subscriptions() -> str:
    """Hourly (R48): ask every store's platform which webhook subscriptions it still holds; a missing one
    becomes a health alert (R44) until "Repair webhooks" puts it back."""
    return f"{webhook_subscriptions.stores_webhooks_check()} stores miss a webhook subscription"
