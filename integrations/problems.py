"""The import log (R40): one entry per store and platform order, counted when seen again."""

from django.db.models import F
from django.utils import timezone

from integrations.models import ImportLog


def problem_record(*, store, external_id: str, reason: str, payload=None) -> ImportLog:
    """Record (or count again) why an order was not imported, with its payload for a retry."""
    external_id = (external_id or "?").replace("\x00", "")[:64]
    reason = reason.replace("\x00", "")  # PostgreSQL text refuses NUL; it may come from a quoted bad value
    updated = ImportLog.objects.filter(store=store, external_id=external_id).update(
        reason=reason, payload=payload, count=F("count") + 1, resolved=False, last_seen_at=timezone.now()
    )
    if updated:
        return ImportLog.objects.get(store=store, external_id=external_id)
    entry, created = ImportLog.objects.get_or_create(
        store=store, external_id=external_id, defaults={"reason": reason, "payload": payload}
    )
    if not created:  # a concurrent worker logged it first
        ImportLog.objects.filter(pk=entry.pk).update(count=F("count") + 1, reason=reason, payload=payload)
    return entry


def problems_resolve(*, store, external_ids) -> int:
    """Mark the entries of orders that have now been imported as resolved."""
    return ImportLog.objects.filter(store=store, external_id__in=list(external_ids), resolved=False).update(
        resolved=True
    )


def guess_external_id(payload) -> str:
    """The platform id of a payload we could not map, for the log (best effort)."""
    if isinstance(payload, dict):
        for key in ("legacyResourceId", "id", "order_id"):
            value = payload.get(key)
            if value is not None and str(value).strip():
                return str(value).rsplit("/", 1)[-1][:64]
    return "?"
