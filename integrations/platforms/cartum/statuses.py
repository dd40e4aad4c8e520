"""Cartum order statuses and the per-store mapping to back-office statuses (R3, R9).

`orders/get_available_statuses` answers `{id, title: {lang: text}, is_successful}` per status
(fixture cartum_orders_get_available_statuses_response.json, keyed by id; https://horoshop.atlassian.net/wiki/x/AgDB4w).
Titles are per-language and editable by the merchant, so "finished" is read from `is_successful`, never
from a title. The documented defaults (1 New, 2 Processing, 3 Delivered, 4 Canceled, 6 Shipping) stand in
when a shop cannot list its statuses (the function needs Horoshop 4.0+).
"""

from dataclasses import dataclass

from integrations.platforms.cartum.mapping import title_text
from orders.models import Status
from orders.status_meaning import status_get_or_create_like


@dataclass(frozen=True)
class CartumStatus:
    id: str
    title: str
    is_successful: bool = False


DEFAULT_STATUSES = (
    CartumStatus("1", "New"),
    CartumStatus("2", "Processing"),
    CartumStatus("3", "Delivered", is_successful=True),
    CartumStatus("4", "Canceled"),
    CartumStatus("6", "Shipping"),
)
COMPLETED_NAME = "Completed"  # the back-office completed status of the default mapping (orders migration)


def parse_statuses(response) -> tuple[CartumStatus, ...]:
    """Statuses in Cartum's own order (by id, so the first is New); documented defaults if unreadable."""
    raw = (response or {}).get("statuses") if isinstance(response, dict) else None
    items = raw.values() if isinstance(raw, dict) else raw if isinstance(raw, list) else []
    found = {}
    for item in items:
        if isinstance(item, dict) and str(item.get("id", "")).strip().isdigit():
            status_id = str(item["id"]).strip()
            successful = item.get("is_successful", item.get("success"))
            found[status_id] = CartumStatus(
                status_id, title_text(item.get("title")) or status_id, str(successful).lower() in ("1", "true")
            )
    return tuple(sorted(found.values(), key=lambda s: int(s.id))) or DEFAULT_STATUSES


def create_default_mapping(*, store, statuses: tuple[CartumStatus, ...]) -> list:
    """R9's default mapping; rows the merchant already has (or edited) are left alone.

    A Cartum status maps to the back-office status of the same meaning when there is one ("Processing"
    to "In progress", "Canceled" to "Cancelled"); only a status with no such match is created. The rows are
    reached through the store (`store.status_mappings`): platform packages import no integrations models, which
    read the platform registry for Store.platform's choices.
    """
    rows = []
    for position, status in enumerate(statuses):
        if status.is_successful:
            target, _ = Status.objects.get_or_create(name=COMPLETED_NAME, defaults={"is_completed": True})
        elif position == 0:
            target = store.order_type.initial_status
        else:
            target = status_get_or_create_like(status.title)
        row, _ = store.status_mappings.get_or_create(
            platform_status=status.id,
            defaults={"platform_title": status.title[:255], "status": target},
        )
        rows.append(row)
    return rows


def platform_status_for(*, store, status):
    """The Cartum status a back-office status maps back to (the oldest row wins if several do)."""
    return store.status_mappings.filter(status=status).order_by("id").first()
