"""Queuing a background task (django-q2), with nothing else to import: services queue their tasks here by
dotted path ("integrations.tasks.backfill_store"), so they never import the task module that calls them.

With ROAPP_TASKS_SYNC the tasks run inline (tests, scripts).
"""

from django.conf import settings
from django.db import connection, transaction
from django_q.tasks import async_task


def enqueue(func: str, *args, **kwargs) -> None:
    """Queue a task once the current transaction commits, so no worker looks for rows not there yet.

    With django-q2's ORM broker on this same database the task row is simply written inside the
    transaction: it commits (or rolls back) with the work that asked for it, in one commit instead of
    two — the webhook endpoint's hot path. Other brokers (Redis) and inline mode wait for the commit.
    """
    cluster = settings.Q_CLUSTER
    if cluster.get("orm") == "default" and not cluster.get("sync") and connection.in_atomic_block:
        async_task(func, *args, **kwargs)
    else:
        transaction.on_commit(lambda: async_task(func, *args, **kwargs))
