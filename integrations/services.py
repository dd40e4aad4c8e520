"""Runs on connected stores: backfill (R3), poll (R4), fetch by id (webhooks, refresh); connecting is
integrations.connecting."""

import functools
import logging
import time
from contextlib import closing
from datetime import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from integrations import task_queue
from integrations.backfill_bulk import bulk_backfill
from integrations.locks import store_job_lock
from integrations.models import BackfillState, ConnectionState, Store
from integrations.platforms import platform_for
from integrations.platforms.base import plain_number
from integrations.prefetch import fetched_batches
from integrations.problems import guess_external_id, problem_record
from integrations.signals import store_synced
from integrations.sync import SyncResult, import_payloads
from roapp.collector import long_lived_objects_frozen

logger = logging.getLogger("integrations")


class AlreadyRunning(Exception):
    """Another worker is running this store's poll or backfill right now."""


def _one_run_per_store(job: str):
    """Run the decorated `store_<job>` only while no other session runs the same job for the same store: a poll
    that outlasts its 5-minute schedule, a backfill slice handed out twice, or an operator's `sync_store` beside
    a worker would only import the same orders again. Raises AlreadyRunning otherwise (integrations.locks)."""

    def decorate(func):
        @functools.wraps(func)
        def run(*, store: Store, **kwargs):
            with store_job_lock(job, store) as taken:
                if not taken:
                    raise AlreadyRunning(f"A {job} of {store.name} is running in a worker now; try again when it ends.")
                return func(store=store, **kwargs)

        return run

    return decorate


@_one_run_per_store("backfill")
def store_backfill(*, store: Store, progress=None, seconds: float | None = None, phase=None) -> SyncResult:
    """Import the two-month window batch by batch; the checkpoint commits with each batch (resumable).

    With `seconds`, stop at the first batch after that many seconds and leave the backfill "running" at
    its checkpoint: the slice then queues its own continuation (store_backfill_slice), so a shop of any
    size finishes, each task well within the worker's timeout (the deadline is checked between batches).
    A large Shopify window runs as one bulk export instead of pages (R50, integrations.backfill_bulk);
    `phase(text)` hears which of its phases runs.
    """
    client = platform_for(store).client(store)
    Store.objects.filter(pk=store.pk).update(backfill_state=BackfillState.RUNNING)
    deadline = None if seconds is None else time.monotonic() + seconds
    total = SyncResult()
    try:
        finished = bulk_backfill(
            store=store, client=client, total=total, progress=progress, phase=phase, deadline=deadline
        )
        if finished is None:  # a window to page
            pages = client.orders_created_since(store.backfill_since, cursor=store.backfill_cursor)
            # closing(): the fetching thread stops before a failure is recorded, not when the exception is freed.
            with long_lived_objects_frozen(), closing(fetched_batches(pages)) as batches:
                finished = _backfill_batches(store, batches, total, progress, deadline)
    except Exception as exc:
        store_sync_failed(store, exc, backfill_state=BackfillState.FAILED)
        store_sync_announce(store, client)
        raise
    if finished:
        store_sync_succeeded(store, backfill_state=BackfillState.DONE)
        logger.info("%s: backfill finished: %s", store, total.as_text())
    else:
        store_sync_succeeded(store)
        done = f"{store.backfill_done}" + (f" of {store.backfill_total}" if store.backfill_total else "")
        logger.info("%s: backfill paused at its checkpoint after %s orders: %s", store, done, total.as_text())
    store_sync_announce(store, client)
    return total


def _backfill_batches(store, batches, total: SyncResult, progress, deadline: float | None) -> bool:
    """Import and checkpoint batch after batch; False when the deadline has passed and more of the window
    has come in. The batch in hand is then left for the next task, which reads it again from the checkpoint;
    every task imports at least one batch, so a backfill always moves on."""
    for number, page in enumerate(batches):
        if number and deadline is not None and time.monotonic() >= deadline:
            return False
        with transaction.atomic():
            result = import_payloads(store=store, payloads=page.payloads)
            store.backfill_cursor = page.cursor
            store.backfill_done += len(page.payloads)
            if page.total is not None:
                store.backfill_total = page.total
            Store.objects.filter(pk=store.pk).update(
                backfill_cursor=store.backfill_cursor,
                backfill_done=store.backfill_done,
                backfill_total=store.backfill_total,
            )
        total += result
        if progress:
            progress(len(page.payloads), store.backfill_total, total)
    return True


def store_backfill_slice(*, store: Store, seconds: float) -> str:
    """One task's share of a store's backfill; the next slice is queued while the backfill is not done.

    One slice at a time per store: a slice the broker hands out twice (it waited past Q_RETRY) steps aside.
    A disabled store's backfill waits ("pending") and goes on when the store is enabled again
    (integrations.store_settings). Returns what happened, in the task's words.
    """
    if not store.enabled:
        Store.objects.filter(pk=store.pk, backfill_state=BackfillState.RUNNING).update(
            backfill_state=BackfillState.PENDING
        )
        return "skipped: the store is disabled; its backfill goes on when it is enabled again"
    try:
        text = store_backfill(store=store, seconds=seconds).as_text()
    except AlreadyRunning:
        return "skipped: a backfill of this store is already running"
    # Queued once the slice has released its lock, so the next slice never finds it still held.
    if Store.objects.filter(pk=store.pk, backfill_state=BackfillState.RUNNING).exists():
        task_queue.enqueue("integrations.tasks.backfill_store", store.pk)
        return f"{text}; continued in a new task"
    return text


@_one_run_per_store("poll")
def store_poll(*, store: Store, progress=None, seconds: float | None = None) -> SyncResult:
    """Import every order changed since the last cursor (R4).

    Not every platform pages in order of change (WooCommerce pages by creation date), so in general the
    cursor moves only once the whole poll is done and a crash mid-way re-reads from the old cursor. A
    platform that does (`polls_in_change_order`) moves it after every batch, and with `seconds` the poll
    stops at the first batch after that many seconds once the cursor has moved: the next poll goes on from
    there, so a backlog of any size is worked off however long the task may run.
    """
    platform = platform_for(store)
    client = platform.client(store)
    since = store.poll_cursor or store.connected_at or timezone.now()
    deadline = None if seconds is None or not platform.polls_in_change_order else time.monotonic() + seconds
    started = timezone.now()
    total = SyncResult()
    try:
        with long_lived_objects_frozen(), closing(fetched_batches(client.orders_updated_since(since))) as batches:
            for page in batches:
                moved = store.poll_cursor is not None and store.poll_cursor > since
                if deadline is not None and moved and time.monotonic() >= deadline:
                    logger.info("%s: poll paused at its checkpoint %s: %s", store, store.poll_cursor, total.as_text())
                    break
                result = import_payloads(store=store, payloads=page.payloads)
                total += result
                if platform.polls_in_change_order:
                    _poll_cursor_advance(store, result.latest_update)
                if progress:
                    progress(len(page.payloads), None, total)
    except Exception as exc:
        store_sync_failed(store, exc)
        store_sync_announce(store, client, poll_created=total.created, poll_started=started)
        raise
    _poll_cursor_advance(store, total.latest_update)
    store_sync_succeeded(store)
    store_sync_announce(store, client, poll_created=total.created, poll_started=started)
    return total


def _poll_cursor_advance(store: Store, moment: datetime | None) -> None:
    if moment and (store.poll_cursor is None or moment > store.poll_cursor):
        store.poll_cursor = moment
        Store.objects.filter(pk=store.pk).update(poll_cursor=moment)


def store_fetch_orders(*, store: Store, external_ids: list[str]) -> SyncResult:
    """Fetch these orders' current state from the platform and import it (webhooks, refresh)."""
    ids = sorted({str(i).strip() for i in external_ids if plain_number(str(i).strip())})  # "²" is no order id (R51)
    if not ids:
        return SyncResult()
    client = platform_for(store).client(store)
    try:
        payloads = client.orders_by_ids(ids)
    except Exception as exc:
        store_sync_failed(store, exc)
        store_sync_announce(store, client)
        raise
    result = import_payloads(store=store, payloads=payloads)
    found = {guess_external_id(p) for p in payloads}
    for missing in set(ids) - found:
        problem_record(store=store, external_id=missing, reason=_("The platform no longer has this order."))
        result.failed += 1
    store_sync_succeeded(store)
    store_sync_announce(store, client)
    return result


def store_sync_announce(store: Store, client, **poll):
    """Tell the listeners that a sync ran (integrations.signals: the health check, R44, records the API budget and
    re-checks the store). A failing listener never fails a sync."""
    try:
        with transaction.atomic():  # a savepoint: a database error here must not poison the caller's transaction
            store_synced.send(sender=Store, store=store, client=client, **poll)
    except Exception:
        logger.exception("%s: the health check after a sync failed", store)


def store_sync_succeeded(store: Store, **extra):
    Store.objects.filter(pk=store.pk).update(
        last_sync_at=timezone.now(), consecutive_failures=0, last_error="", state=ConnectionState.CONNECTED, **extra
    )


def store_sync_failed(store: Store, exc: Exception, **extra):
    # The message names the platform and the problem, never a credential (the client never puts one in).
    logger.warning("%s: sync failed: %s", store, exc)
    Store.objects.filter(pk=store.pk).update(
        last_error=str(exc)[:1000],
        consecutive_failures=F("consecutive_failures") + 1,  # counted in the database: two failing workers add two
        state=ConnectionState.FAILING,
        **extra,
    )
