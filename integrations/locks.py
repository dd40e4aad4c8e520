"""Row-free locks around one import batch, so concurrent workers never duplicate (R7).

On PostgreSQL every key of a batch (its store's orders, its clients, products, categories) is locked
with a transaction-scoped advisory lock, all in one statement in sorted order, so two workers never
deadlock and the second simply waits for the first to commit. SQLite serializes writers itself.
Advisory locks live in PostgreSQL's shared lock table (max_locks_per_transaction x max_connections
entries; docs/operations.md says when to raise it).

`taken_unless_held` is the other kind: one session-level lock held across a job's many transactions, so
that a second run of the same job (a store's poll or backfill) sees the first still going and steps aside.
"""

import hashlib
import logging
from contextlib import contextmanager

from django.db import DatabaseError, connection

logger = logging.getLogger("integrations")


def _key(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big", signed=True)


def lock_keys(keys) -> None:
    """Hold a lock on every key until the surrounding transaction ends."""
    if connection.vendor == "postgresql":
        _advisory_xact_locks(keys)


def _advisory_xact_locks(keys) -> None:
    ids = sorted({_key(k) for k in keys})
    if not ids:
        return
    with connection.cursor() as cursor:
        # PostgreSQL evaluates volatile output expressions after ORDER BY, so locks are taken in order.
        cursor.execute("SELECT pg_advisory_xact_lock(k) FROM unnest(%s::bigint[]) AS k ORDER BY k", [ids])


@contextmanager
def taken_unless_held(key: str):
    """Lock `key` for as long as the block runs, across its transactions, unless another session holds it;
    yields whether it was taken. A session lock: it ends with the block or, should the worker die, with its
    connection, so it can never be left behind. SQLite (one writer, development): always taken."""
    if connection.vendor != "postgresql":
        yield True
        return
    lock_id = _key(key)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [lock_id])
        taken = cursor.fetchone()[0]
    try:
        yield taken
    finally:
        if taken:
            try:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s)", [lock_id])
            except DatabaseError:  # broken, or in a failed transaction: closing it is what ends the lock
                logger.warning("could not release the lock on %s; closing its connection to end it", key)
                connection.close()


def store_job_lock(job: str, store):
    """Held while a store's `job` ("poll", "backfill") runs; yields whether this run may go ahead."""
    return taken_unless_held(f"{job}:{store.pk}")
