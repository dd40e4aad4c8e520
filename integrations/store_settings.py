"""What follows when staff change a connected store's settings: its health is re-checked at once when a health
setting changed (R44), and a backfill that waited while the store was off goes on when it is switched on (R3).

It sits above the import engine (integrations.services) and the health checks, calling both; neither imports it.
"""

from collections.abc import Iterable

from integrations import task_queue
from integrations.health.alerts import store_check_health
from integrations.models import BackfillState, Store

# The settings a health check reads: a new threshold applies now, not at the next sync.
HEALTH_SETTINGS = frozenset({"health_threshold_minutes", "health_failures_limit", "enabled"})


def store_settings_changed(*, store: Store, changed: Iterable[str]) -> None:
    """React to the store's settings just saved; `changed` names the fields whose values changed."""
    changed = set(changed)
    if HEALTH_SETTINGS & changed:
        store_check_health(store=store)
    if "enabled" in changed and store.enabled and store.backfill_state == BackfillState.PENDING:
        task_queue.enqueue("integrations.tasks.backfill_store", store.pk)  # services.store_backfill_slice goes on
