"""Row-free locks around one import batch, so concurrent workers never duplicate (R7).

On PostgreSQL every key of a batch (its store's orders, its clients, products, categories) is locked
with a transaction-scoped advisory lock, all in one statement in sorted order, so two workers never
deadlock and the second simply waits for the first to commit. SQLite serializes writers itself.
Advisory locks live in PostgreSQL's shared lock table (max_locks_per_transaction x max_connections
entries; README "Running in production" says when to raise it).
"""

import hashlib

from django.db import connection


def _key(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big", signed=True)


def lock_keys(keys) -> None:
    """Hold a lock on every key until the surrounding transaction ends."""
    if connection.vendor != "postgresql":
        return
    ids = sorted({_key(k) for k in keys})
    if not ids:
        return
    with connection.cursor() as cursor:
        # PostgreSQL evaluates volatile output expressions after ORDER BY, so locks are taken in order.
        cursor.execute("SELECT pg_advisory_xact_lock(k) FROM unnest(%s::bigint[]) AS k ORDER BY k", [ids])
