"""Reconciliation (R43): per day, the ids the platform has beside the ids the back-office accounts for.

The platform's list is light (ids and creation times only, see each client's
`order_ids_created_between`). An order counts as accounted for when we imported it OR logged it in the
import log for that store: orders our rules deliberately leave out (R2 another currency, R10 no contact)
are logged when refused, and those finished before connecting (R3), which the import does not log, are
logged here the first time "Import missing" meets them. Without that they would be "missing" forever.

"Import missing" fetches exactly the difference of the id sets through the normal import
(`store_fetch_orders`), so every rule still applies. It never starts a new backfill.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from integrations.health.alerts import record_budget
from integrations.models import BackfillState, ImportLog, ReconcileDay, Store
from integrations.platforms import platform_for
from integrations.services import store_fetch_orders
from integrations.sync import SyncResult
from orders.models import Order

DAYS = 14
CHUNK = 500  # ids per IN (...) query: well under SQLite's variable limit
KEEP_DAYS = 90  # older snapshots are dropped
SHOWN_MISSING_IDS = 50


@dataclass
class Reconciliation:
    store: Store
    days: list[ReconcileDay]
    checked_at: datetime
    missing_ids: list[str] = field(default_factory=list)
    fetched: SyncResult | None = None  # what "Import missing" did, when asked

    @property
    def flagged(self) -> list[ReconcileDay]:
        return [d for d in self.days if d.flagged]


def window(days: int, now: datetime) -> tuple[datetime, list[date]]:
    """The start of the first of the last `days` local calendar days (today included), and those days."""
    today = timezone.localtime(now).date()
    dates = [today - timedelta(days=n) for n in range(days - 1, -1, -1)]
    return timezone.make_aware(datetime.combine(dates[0], time.min)), dates


def store_reconcile(*, store: Store, days: int = DAYS, import_missing: bool = False, now=None) -> Reconciliation:
    """Compare the last `days` days with the platform, import the missing orders if asked, keep the result."""
    now = now or timezone.now()
    start, dates = window(days, now)
    client = platform_for(store).client(store)
    on_platform = dict(client.order_ids_created_between(start, now))
    record_budget(store=store, client=client)
    result = _compare(store, on_platform, start, now, dates)
    if import_missing and result.missing_ids:
        fetched = store_fetch_orders(store=store, external_ids=result.missing_ids)
        _log_left_out(store, result.missing_ids)
        result = _compare(store, on_platform, start, now, dates)
        result.fetched = fetched
    _keep(store, result, dates[0])
    return result


def _compare(store, on_platform: dict[str, datetime], start, now, dates) -> Reconciliation:
    rows = {d: ReconcileDay(store=store, day=d, checked_at=now) for d in dates}
    ours = dict(
        Order.objects.filter(store=store, external_created_at__gte=start, external_created_at__lt=now).values_list(
            "external_id", "external_created_at"
        )
    )
    ids = list(on_platform)
    imported = set(ours) & set(ids)
    logged: dict[str, bool] = {}
    for chunk in _chunks([i for i in ids if i not in imported]):
        imported |= set(Order.objects.filter(store=store, external_id__in=chunk).values_list("external_id", flat=True))
    for chunk in _chunks([i for i in ids if i not in imported]):
        entries = ImportLog.objects.filter(store=store, external_id__in=chunk)
        logged.update(entries.values_list("external_id", "resolved"))
    import_start = _import_start(store)
    missing = []
    for external_id, created in sorted(on_platform.items(), key=lambda item: (item[1], item[0])):
        row = rows.get(timezone.localtime(created).date())
        if row is None:
            continue
        row.on_platform += 1
        if external_id in imported:
            row.imported += 1
        elif external_id in logged:
            if logged[external_id]:
                row.not_imported += 1  # logged and settled: a rule left it out on purpose (R3)
            else:
                row.refused += 1
        elif import_start is not None and created < import_start:
            row.before_window += 1
        else:
            row.missing += 1
            missing.append(external_id)
            if len(row.missing_ids) < SHOWN_MISSING_IDS:
                row.missing_ids.append(external_id)
    for external_id, created in ours.items():
        row = rows.get(timezone.localtime(created).date())
        if row is not None:
            row.in_backoffice += 1
            row.extra += external_id not in on_platform
    return Reconciliation(store=store, days=list(rows.values()), checked_at=now, missing_ids=missing)


def _import_start(store: Store) -> datetime | None:
    """Orders created before this moment are not the store's to import (R3: two months; none without backfill)."""
    if store.backfill_state == BackfillState.SKIPPED:
        return store.connected_at
    return store.backfill_since or store.connected_at


def _log_left_out(store: Store, ids: list[str]) -> None:
    """Log the fetched orders the import left out without logging them, so they stop counting as missing.

    After `store_fetch_orders` an asked-for order is imported, or logged (refused, failed, gone), or was
    finished before connecting (R3), the one outcome the import does not log. Logged as settled
    (resolved), since it is not a problem to fix.
    """
    for chunk in _chunks(ids):
        done = set(Order.objects.filter(store=store, external_id__in=chunk).values_list("external_id", flat=True))
        done |= set(ImportLog.objects.filter(store=store, external_id__in=chunk).values_list("external_id", flat=True))
        reason = _("Finished on the platform before the store was connected, so it is not imported (R3).")
        for external_id in sorted(set(chunk) - done):
            ImportLog.objects.get_or_create(
                store=store, external_id=external_id, defaults={"reason": reason, "resolved": True}
            )


def _keep(store: Store, result: Reconciliation, first: date) -> None:
    with transaction.atomic():
        old = Q(day__gte=first) | Q(day__lt=first - timedelta(days=KEEP_DAYS))
        ReconcileDay.objects.filter(store=store).filter(old).delete()
        ReconcileDay.objects.bulk_create(result.days)


def _chunks(ids: list[str]):
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def day_summary(row: ReconcileDay) -> str:
    """One day in words: "3 on the platform, 2 imported, 1 refused — see import problems"."""
    parts = [
        ngettext("%(n)d on the platform", "%(n)d on the platform", row.on_platform) % {"n": row.on_platform},
        ngettext("%(n)d imported", "%(n)d imported", row.imported) % {"n": row.imported},
    ]
    extra = [
        (
            row.refused,
            ngettext("%(n)d refused — see import problems", "%(n)d refused — see import problems", row.refused),
        ),
        (
            row.not_imported,
            ngettext(
                "%(n)d finished before connecting, not imported",
                "%(n)d finished before connecting, not imported",
                row.not_imported,
            ),
        ),
        (
            row.before_window,
            ngettext(
                "%(n)d created before the import window", "%(n)d created before the import window", row.before_window
            ),
        ),
        (row.missing, ngettext("%(n)d missing", "%(n)d missing", row.missing)),
        (
            row.extra,
            ngettext(
                "%(n)d in the back-office but no longer on the platform",
                "%(n)d in the back-office but no longer on the platform",
                row.extra,
            ),
        ),
    ]
    parts += [text % {"n": n} for n, text in extra if n]
    return ", ".join(parts)
