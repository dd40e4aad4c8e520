"""A backfill window too large to page runs as one bulk export on the platform (R50).

Shopify's paged API feeds ~10 orders a second on a standard plan (an 842-point page of 20 orders against a
budget restored at 100 points/s), so two months of a busy shop would take hours. A bulk operation exports the
whole window as a file, unbound by the cost budget. The store row keeps each step, so every step resumes:

1. exporting: one operation is started for the window and its id saved at once, so a crash or the task's next
   slice polls that same operation and never starts a second one; `bulkOperation(id:)` is polled (its object
   count is the progress) until it completes. An operation of another process of the app that keeps Shopify
   from starting ours is waited for, never cancelled.
2. importing: the result file is streamed and its orders imported in the usual batches (integrations.sync,
   every rule applies); the checkpoint is the file's last imported line. A crash resumes there while the
   file's address lives (7 days), else a new export starts.

A failed or cancelled operation, or a file not laid out as asked, falls back to paging the window: the import
is idempotent, so orders already imported are found unchanged.
"""

import logging
import time
from contextlib import closing

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from integrations.models import Store
from integrations.platforms import platform_for
from integrations.prefetch import fetched_batches
from integrations.sync import SyncResult, import_payloads
from roapp.collector import long_lived_objects_frozen

logger = logging.getLogger("integrations")

POLL_FIRST_SECONDS = 0.2  # the first look at a new export; the wait doubles up to POLL_MAX_SECONDS
POLL_MAX_SECONDS = 10.0
BUSY_WAIT_SECONDS = 900.0  # without a task's deadline (sync_store), how long another export is waited for
READY = object()  # the file's address is saved: import it
PAUSED = object()  # the slice's time is up: the next task goes on from the store row
EMPTY = object()  # the export found nothing to import


def bulk_backfill(*, store: Store, client, total: SyncResult, progress=None, phase=None, deadline=None):
    """Run (or resume) the window's bulk export and import it. True: done; False: paused at a checkpoint for the
    next task; None: the window is paged instead (small, no bulk export on this platform, or the export failed)."""
    export_class = getattr(platform_for(store), "bulk_export", None)
    if export_class is None:
        return None
    exporter = export_class(client)
    if not store.backfill_bulk_id and not _window_is_large(store, exporter):
        return None
    for _attempt in range(3):  # a second export only when the first one's file is gone
        operation = _exported(store, exporter, client, phase, deadline)
        if operation is PAUSED:
            return False
        if operation is EMPTY:
            _forget(store)
            return True
        if operation is None:
            _forget(store, done=0)
            return None
        try:
            finished = _imported(store, exporter, total, progress, phase, deadline)
        except exporter.ResultGone as exc:
            logger.warning("%s: %s", store, exc)
            _forget(store, done=0)
            continue
        except exporter.Unreadable as exc:
            logger.warning("%s: %s; the window is paged instead", store, exc)
            _forget(store, done=0)
            return None
        if finished:
            _forget(store)
        return finished
    return None


def _window_is_large(store: Store, exporter) -> bool:
    """Above ROAPP_SHOPIFY_BULK_THRESHOLD orders (0: always page). A paged backfill already under way pages on."""
    threshold = settings.ROAPP_SHOPIFY_BULK_THRESHOLD
    if threshold <= 0 or store.backfill_cursor:
        return False
    count = exporter.orders_count(store.backfill_since)
    logger.info("%s: %d orders in the backfill window (bulk export above %d)", store, count, threshold)
    return count > threshold


def _exported(store: Store, exporter, client, phase, deadline):
    """READY once the operation completed and its file's address is saved; PAUSED, EMPTY, or None (failed)."""
    if store.backfill_bulk_url_encrypted:
        if store.backfill_bulk_url_expires and store.backfill_bulk_url_expires > timezone.now():
            return READY
        logger.info("%s: the bulk export's file has expired; a new export starts", store)
        _forget(store, done=0)
    wait = POLL_FIRST_SECONDS
    while True:
        if not store.backfill_bulk_id and not _started(store, exporter, client, phase, deadline):
            return PAUSED
        operation = exporter.operation(store.backfill_bulk_id)
        if operation is None or operation.status == "EXPIRED":
            _forget(store, done=0)  # gone, or its file outlived: start again
            continue
        _save(store, backfill_bulk_objects=operation.objects)
        _tell(phase, store.backfill_phase())
        if operation.status == "COMPLETED":
            if not operation.url:
                return EMPTY
            store.backfill_bulk_url = operation.url
            _save(
                store,
                backfill_bulk_url_encrypted=store.backfill_bulk_url_encrypted,
                backfill_bulk_url_expires=operation.url_expires,
                backfill_total=operation.orders,
            )
            return READY
        if not operation.running:
            logger.warning(
                "%s: the bulk export %s ended %s %s; the window is paged instead",
                store,
                operation.id,
                operation.status,
                operation.error_code,
            )
            return None
        if deadline is not None and time.monotonic() >= deadline:
            return PAUSED
        client.sleep(wait)
        wait = min(wait * 2, POLL_MAX_SECONDS)


def _started(store: Store, exporter, client, phase, deadline) -> bool:
    """Start the export; while Shopify runs as many as it allows for this app, wait (never cancel another's)."""
    give_up = time.monotonic() + BUSY_WAIT_SECONDS if deadline is None else deadline
    wait = POLL_FIRST_SECONDS
    while True:
        try:
            operation = exporter.start(store.backfill_since)
            break
        except exporter.Busy as exc:
            if time.monotonic() >= give_up:
                if deadline is None:
                    raise
                logger.info("%s: %s; the backfill tries again in its next task", store, exc)
                return False
            _tell(phase, str(exc))
            client.sleep(wait)
            wait = min(wait * 2, POLL_MAX_SECONDS)
    # Saved before anything else can fail: this store's one export is this one from now on.
    store.backfill_bulk_id = operation.id
    _save(store, backfill_bulk_id=operation.id, backfill_bulk_line=0, backfill_bulk_objects=0, backfill_done=0)
    logger.info("%s: bulk export %s started", store, operation.id)
    return True


def _imported(store: Store, exporter, total: SyncResult, progress, phase, deadline) -> bool:
    """Import the file's orders after the checkpoint line, batch by batch; False when the deadline came first."""
    pages = exporter.orders(store.backfill_bulk_url, after_line=store.backfill_bulk_line, total=store.backfill_total)
    with long_lived_objects_frozen(), closing(fetched_batches(pages)) as batches:
        for number, page in enumerate(batches):
            if number and deadline is not None and time.monotonic() >= deadline:
                return False
            with transaction.atomic():
                result = import_payloads(store=store, payloads=page.payloads)
                store.backfill_bulk_line = int(page.cursor)
                store.backfill_done += len(page.payloads)
                _save(store, backfill_bulk_line=store.backfill_bulk_line, backfill_done=store.backfill_done)
            total += result
            _tell(phase, store.backfill_phase())
            if progress:
                progress(len(page.payloads), store.backfill_total, total)
    return True


def _forget(store: Store, **extra) -> None:
    """Clear the store's export (done with it, or it cannot be used); `done=0` when the window starts over."""
    fields = {
        "backfill_bulk_id": "",
        "backfill_bulk_url_encrypted": "",
        "backfill_bulk_url_expires": None,
        "backfill_bulk_line": 0,
        "backfill_bulk_objects": None,
    }
    if "done" in extra:
        fields["backfill_done"] = extra["done"]
    _save(store, **fields)


def _save(store: Store, **fields) -> None:
    for name, value in fields.items():
        setattr(store, name, value)
    Store.objects.filter(pk=store.pk).update(**fields)


def _tell(phase, text: str) -> None:
    if phase and text:
        phase(text)
