"""Backfill preview (R45): what a store's first backfill would do, counted from the platform, writing nothing.

It reads the same pages the backfill would (`orders_created_since(backfill_since)`) and asks the same
questions the import asks, in the same order: can the payload be read (`map_order`), is it refused
(`refusal_reason`: currency, no products, no contact), was it finished before connecting
(`skip_in_backfill`). Clients and products are only looked up, page by page in batches, the way
`clients_match_or_create` and `products_match_or_create` would match them; nothing is created, not
even the "Not specified" placeholder.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from catalog.models import Product
from catalog.services import MATCH_FIELDS
from contacts.models import Client
from contacts.services import ClientData
from integrations.models import Store
from integrations.platforms import platform_for
from integrations.platforms.base import MappingError
from integrations.sync import refusal_reason

SKIP_LABELS = {
    "finished": lambda: _("finished before connecting (fulfilled, cancelled, refunded, delivered…)"),
    "currency": lambda: _("in another currency than %(currency)s") % {"currency": settings.ROAPP_CURRENCY},
    "no_contact": lambda: _("no client email or phone"),
    "no_products": lambda: _("no products"),
    "unreadable": lambda: _("unreadable"),
}


@dataclass
class BackfillPreview:
    since: datetime
    orders: int = 0  # created in the window
    to_import: int = 0
    skipped: Counter = field(default_factory=Counter)  # reason code -> orders
    clients_new: int = 0
    clients_matched: int = 0
    clients_not_specified: int = 0  # hidden by the shop's plan (R22) or not given: "Not specified"
    products_new: int = 0
    products_matched: int = 0

    def rows(self) -> list[tuple[str, int]]:
        """(label, count) lines, for the command and the admin form."""
        since = formats.date_format(timezone.localtime(self.since), "DATETIME_FORMAT")
        rows = [
            (_("Orders created since %(since)s") % {"since": since}, self.orders),
            (_("Would be imported"), self.to_import),
        ]
        rows += [(_("Skipped: %(why)s") % {"why": SKIP_LABELS[code]()}, n) for code, n in sorted(self.skipped.items())]
        rows += [
            (_("Clients: new"), self.clients_new),
            (_("Clients: already in the back-office"), self.clients_matched),
        ]
        if self.clients_not_specified:
            rows.append(
                (
                    _("Orders whose client is “Not specified” (hidden by the shop's plan or not given)"),
                    self.clients_not_specified,
                )
            )
        rows += [
            (_("Products: new"), self.products_new),
            (_("Products: already in the catalog"), self.products_matched),
        ]
        return rows

    def as_text(self) -> str:
        width = max(len(label) for label, _n in self.rows())
        return "\n".join(f"{label.ljust(width)}  {n:>6}" for label, n in self.rows())


def store_backfill_preview(*, store: Store) -> BackfillPreview:
    """Count what `store_backfill` would do for this (connected or only prepared) store."""
    platform = platform_for(store)
    client = platform.client(store)
    since = store.backfill_since
    preview = BackfillPreview(since=since)
    seen = _Seen()
    for page in client.orders_created_since(since):
        todo = []
        for payload in page.payloads:
            preview.orders += 1
            try:
                remote = platform.map_order(payload)
            except MappingError:
                preview.skipped["unreadable"] += 1
                continue
            if refusal_reason(platform=platform, remote=remote):
                preview.skipped[_refusal_code(remote)] += 1
            elif store.connected_at and remote.created_at < store.connected_at and platform.skip_in_backfill(remote):
                preview.skipped["finished"] += 1
            else:
                todo.append(remote)
        preview.to_import += len(todo)
        if platform.hides_client_data(store):
            preview.clients_not_specified += len(todo)
        else:
            _count_clients(preview, seen, todo, by_email=platform.match_clients_by_email)
        _count_products(preview, seen, todo, identify_by=store.identify_products_by)
    return preview


def _refusal_code(remote) -> str:
    """Which of refusal_reason's rules refused it, checked in the same order (R2, then R10)."""
    if remote.currency and remote.currency != settings.ROAPP_CURRENCY:
        return "currency"
    if not remote.lines:
        return "no_products"
    return "no_contact"


@dataclass
class _Seen:
    """Keys already counted on earlier pages: a client or product new in page 1 is not new again in page 2."""

    phones: set = field(default_factory=set)
    emails: set = field(default_factory=set)
    clients: set = field(default_factory=set)  # ids of matched existing clients
    products: set = field(default_factory=set)  # (field, value) of matched or new products


def _count_clients(preview: BackfillPreview, seen: _Seen, remotes, *, by_email: bool) -> None:
    data = []
    for remote in remotes:
        c = remote.client
        raw = ClientData(first_name=c.first_name, last_name=c.last_name, phone=c.phone, email=c.email) if c else None
        data.append(raw.normalized() if raw else ClientData())
    phones = {d.phone for d in data if d.phone}
    emails = {d.email for d in data if d.email and by_email}
    by_phone, by_mail = {}, {}
    if phones or emails:
        query = Q(phone__in=phones) | Q(email__in=emails)
        for pk, phone, email in Client.objects.filter(query).order_by("pk").values_list("pk", "phone", "email"):
            if phone:
                by_phone.setdefault(phone, pk)
            if email:
                by_mail.setdefault(email, pk)
    for d in data:
        existing = by_phone.get(d.phone) or (by_mail.get(d.email) if by_email else None)
        if existing is not None:
            if existing not in seen.clients:
                seen.clients.add(existing)
                preview.clients_matched += 1
        elif (d.phone and d.phone in seen.phones) or (by_email and d.email and d.email in seen.emails):
            pass  # the same new client as an earlier order of the window
        elif d.phone or (d.email and by_email) or d.first_name or d.last_name:
            preview.clients_new += 1  # a contact without phone or email is created per order, as the import does
            seen.phones |= {d.phone} - {""}
            seen.emails |= {d.email} - {""}
        else:
            preview.clients_not_specified += 1  # nothing known about the client


def _count_products(preview: BackfillPreview, seen: _Seen, remotes, *, identify_by: str) -> None:
    wanted_field = MATCH_FIELDS[identify_by]
    keys = set()
    for remote in remotes:
        for line in remote.lines:
            value = {"name": line.name, "sku": line.sku, "code": line.product_id}[wanted_field].strip()
            # An empty key falls back to the name, as products_match_or_create does.
            keys.add((wanted_field, value) if value else ("name", line.name.strip()))
    keys -= seen.products
    existing = set()
    for name in {f for f, _v in keys}:
        values = {v for f, v in keys if f == name}
        existing |= {(name, v) for v in Product.objects.filter(**{f"{name}__in": values}).values_list(name, flat=True)}
    preview.products_matched += len(keys & existing)
    preview.products_new += len(keys - existing)
    seen.products |= keys
