"""A store's webhook queue: record a delivery, queue its drain, drain, sweep, prune (docs/webhooks.md).

Webhooks are hints and the API is the truth: a delivery only tells which order changed. Each accepted
delivery is one row, and a store's undone rows are its queue, which a drain empties oldest first by
fetching the orders' current state in batches. The row is the delivery's durable position: once it is
recorded, it is drained, whether or not queuing its drain worked at that moment (the sweep finds it).

A delivery is told apart by its body (R49): the same body on the same topic again is a replay and adds
nothing, whatever delivery id it carries. A delivery that cannot be used (an order id that is no plain
number, an order the platform refuses or no longer has) is marked done with an import problem (R40), and
the drain goes on with the later ones (R51).
"""

import hashlib
import logging
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from integrations import task_queue
from integrations.locks import store_job_lock
from integrations.models import Store, WebhookDelivery
from integrations.platforms import platform_for
from integrations.platforms.base import plain_number
from integrations.platforms.http import PlatformError, TransientError
from integrations.problems import guess_external_id, problem_record
from integrations.services import store_sync_announce, store_sync_failed, store_sync_succeeded
from integrations.sync import import_payloads

logger = logging.getLogger("integrations.webhooks")

DRAIN_GRACE = timedelta(minutes=2)  # a drain queued longer ago than this is presumed lost
BATCH = 100  # deliveries per fetch; the platform clients split it into their own page sizes
# Cartum's answers to a token it will not take, even right after a new login: the store's problem, not an order's.
LOGIN_ANSWERS = frozenset({"UNAUTHORIZED", "AUTHORIZATION_ERROR"})
TABLE = WebhookDelivery._meta.db_table


def body_digest(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


# --- record ------------------------------------------------------------------------------------------------
def storable(text: str) -> str:
    """Text from a webhook as the database can hold it: JSON allows a lone surrogate ("\\ud800") and a NUL, which
    UTF-8 and PostgreSQL refuse; they are written as escapes, so such a delivery is recorded and then refused by the
    drain in plain words (R51) instead of failing the request."""
    return text.encode(errors="backslashreplace").decode().replace("\x00", "\\x00")  # UTF-8 both ways


def delivery_record(*, store: Store, delivery_id: str, topic: str, external_id: str, digest: str) -> bool:
    """Insert the delivery unless it is a replay (the same body on the same topic), in one statement; True
    when it is new. Plain SQL: this is the webhook's hot path (bench.webhooks)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {TABLE} (store_id, delivery_id, topic, external_id, body_digest, received_at) "
            "VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (store_id, topic, body_digest) DO NOTHING RETURNING id",
            [
                store.pk,
                storable(delivery_id)[:255],
                storable(topic)[:100],
                storable(external_id)[:64],
                digest,
                timezone.now(),
            ],
        )
        return cursor.fetchone() is not None


def delivery_waiting(*, store: Store, topic: str, digest: str) -> bool:
    """Is the delivery this replay repeats still undone? Then its drain may never have been queued."""
    return WebhookDelivery.objects.filter(
        store=store, topic=topic[:100], body_digest=digest, processed_at__isnull=True
    ).exists()


def drain_enqueue(*, store: Store, webhook_arrived: bool = True, now=None) -> bool:
    """Queue one drain of the store's deliveries unless one is on its way; True when one was queued.

    The claim on the store and the queued task commit together (with the ORM broker, in one transaction; with
    another broker the claim is taken back), so a failure to queue leaves no claim behind that would hold off
    the next attempt. That failure is logged, not raised: the delivery is recorded, and the store's next
    webhook, a replay of this one or the sweep queues the drain.
    `webhook_arrived` also notes the time for the store's health (R44); the sweep passes False.
    """
    now = now or timezone.now()
    queued = store.webhook_drain_queued_at
    if queued is not None and queued > now - DRAIN_GRACE:
        return False  # a drain is on its way and will see this delivery
    seen = {"last_webhook_at": now} if webhook_arrived else {}
    try:
        with transaction.atomic():
            claimed = (
                Store.objects.filter(pk=store.pk)
                .filter(Q(webhook_drain_queued_at__isnull=True) | Q(webhook_drain_queued_at__lte=now - DRAIN_GRACE))
                .update(webhook_drain_queued_at=now, **seen)
            )
            if claimed:
                task_queue.enqueue("integrations.tasks.drain_webhooks", store.pk)
    except Exception:
        logger.exception("%s: queuing the webhook drain failed; the delivery waits for the sweep", store)
        # A broker outside the database (Redis) is called once the claim has committed: take the claim back.
        Store.objects.filter(pk=store.pk, webhook_drain_queued_at=now).update(webhook_drain_queued_at=None)
        if seen:
            Store.objects.filter(pk=store.pk).update(**seen)
        return False
    return bool(claimed)


# --- drain -------------------------------------------------------------------------------------------------
def _waiting(store: Store):
    return WebhookDelivery.objects.filter(store=store, processed_at__isnull=True).order_by("id")


def deliveries_drain(*, store: Store) -> int:
    """Work off the store's undone deliveries, oldest first, a batch at a time; return how many were done.

    One drain per store at a time: a second one steps aside while the first runs, and the first looks once
    more after letting go, so a delivery recorded while the second stepped aside is not left behind.
    """
    # Cleared first: a delivery that arrives from now on queues the next drain (or is seen by this one).
    Store.objects.filter(pk=store.pk).update(webhook_drain_queued_at=None)
    done = 0
    while True:
        with store_job_lock("drain", store) as taken:
            if not taken:
                return done
            done += _drain_locked(store)
        if not _waiting(store).exists():
            return done


def _drain_locked(store: Store) -> int:
    client = platform_for(store).client(store)
    done = 0
    try:
        while batch := list(_waiting(store).values_list("id", "external_id", "topic", "delivery_id")[:BATCH]):
            _drain_batch(store, client, batch)
            done += len(batch)
    except Exception as exc:
        # The platform is down or refuses the store, or the database is away: the deliveries stay queued.
        store_sync_failed(store, exc)
        store_sync_announce(store, client)
        raise
    if done:
        store_sync_succeeded(store)
        store_sync_announce(store, client)
    return done


def _drain_batch(store: Store, client, batch: list[tuple]) -> None:
    first = {}  # external id -> its first delivery, for the import problem's payload
    for row in batch:
        first.setdefault(row[1], row)
    usable = sorted(external_id for external_id in first if plain_number(external_id))
    payloads, refused = _fetch(client, usable)
    import_payloads(store=store, payloads=payloads)
    found = {guess_external_id(payload) for payload in payloads}
    for external_id, row in first.items():
        if not plain_number(external_id):
            reason = _("The webhook names the order “%(id)s”, which is not an order number: there is nothing to fetch.")
            reason %= {"id": external_id}
        elif external_id in refused:
            reason = _("The platform refused to send this order: %(answer)s") % {"answer": refused[external_id]}
        elif external_id not in found:
            reason = _("The platform no longer has this order.")
        else:
            continue
        problem_record(store=store, external_id=external_id, reason=reason, payload=_webhook_payload(row))
    WebhookDelivery.objects.filter(pk__in=[row[0] for row in batch]).update(processed_at=timezone.now())


def _webhook_payload(row: tuple) -> dict:
    """What the log keeps of a webhook that named an unusable order: the order is fetched again on a retry."""
    _pk, external_id, topic, delivery_id = row
    return {"webhook": {"topic": topic, "delivery_id": delivery_id, "order_id": external_id}}


def _fetch(client, ids: list[str]) -> tuple[list[dict], dict[str, str]]:
    """The payloads of these orders, and the ids the platform refused on their own, with its answer.

    A request the platform refuses is split in halves until the refused orders are found, in a few requests,
    and the rest still come. When it refuses every one of several orders, the fault is the store's, not the
    orders': the error is raised and the deliveries stay queued.
    """
    payloads, refused = _fetch_halves(client, ids)
    if len(ids) > 1 and len(refused) == len(ids):
        answer = refused[ids[0]]
        raise PlatformError(_("The platform refused every order of the batch: %(answer)s") % {"answer": answer})
    return payloads, refused


def _fetch_halves(client, ids: list[str]) -> tuple[list[dict], dict[str, str]]:
    if not ids:
        return [], {}
    try:
        return client.orders_by_ids(ids), {}
    except PlatformError as exc:
        if not _refused_order(exc):
            raise
        if len(ids) == 1:
            return [], {ids[0]: str(exc)[:500]}
    half = len(ids) // 2
    first, first_refused = _fetch_halves(client, ids[:half])
    rest, rest_refused = _fetch_halves(client, ids[half:])
    return first + rest, {**first_refused, **rest_refused}


def _refused_order(exc: PlatformError) -> bool:
    """A refusal of what was asked (a 400, a 404, a GraphQL error), not a platform that is down, busy or
    refusing our credentials: those say nothing about one order."""
    # A 429 never gets here as a status: the HTTP client retries it, and gives up with a TransientError cause.
    if exc.status in (401, 403) or isinstance(exc.__cause__, TransientError):
        return False
    return getattr(exc, "answer", "") not in LOGIN_ANSWERS


# --- sweep and prune (scheduled, migration 0007) ------------------------------------------------------------
def queues_sweep(*, now=None) -> int:
    """Queue a drain for every enabled store whose deliveries have waited past the grace with no drain on its
    way: a drain that could not be queued, or was lost. Returns how many drains were queued (R51)."""
    now = now or timezone.now()
    late = now - DRAIN_GRACE
    waiting = WebhookDelivery.objects.filter(processed_at__isnull=True, received_at__lt=late).values("store_id")
    stores = Store.objects.filter(pk__in=waiting, enabled=True).filter(
        Q(webhook_drain_queued_at__isnull=True) | Q(webhook_drain_queued_at__lte=late)
    )
    return sum(drain_enqueue(store=store, webhook_arrived=False, now=now) for store in stores)


def deliveries_prune(*, now=None) -> int:
    """Delete the deliveries done and received more than ROAPP_WEBHOOK_RETENTION_DAYS ago; never an undone one.

    While a delivery is kept, a replay of its body is recognised; after that, a replay costs one fetch."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.ROAPP_WEBHOOK_RETENTION_DAYS)
    deleted, _counts = WebhookDelivery.objects.filter(processed_at__isnull=False, received_at__lt=cutoff).delete()
    return deleted
