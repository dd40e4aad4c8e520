"""The import problems list as staff read it (R40, R55): which order, whose, how much, where it is on the
platform, why it was not imported, and what to do about it, in the reader's language.

The reason is stored in English when the import refuses an order (a worker speaks no one's language);
REASONS knows the messages it is made from, with a hint in plain words for each. The order's number,
client and total are read from the payload kept for the retry, with the platform's own mapper.
"""

from django.contrib import admin
from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from integrations.platforms import platform_for
from integrations.sync.writing import order_total
from orders.admin_display import short_moment
from orders.models import Order
from orders.stored_text import StoredTexts

# Reason message -> what the staff member can do about it.
HINTS = {
    gettext_noop("The client has neither an email nor a phone number, so the order was not imported."): gettext_noop(
        "Ask the customer for a phone number or an email, add it to the order on the platform, then choose Retry."
    ),
    gettext_noop("The order has no client, so it was not imported."): gettext_noop(
        "Add the customer to the order on the platform, then choose Retry."
    ),
    gettext_noop("The order has no products, so it was not imported."): gettext_noop(
        "Add the products to the order on the platform, then choose Retry."
    ),
    gettext_noop(
        "The order is in %(theirs)s but the back-office works in %(ours)s, so it was not imported."
    ): gettext_noop(
        "Orders in another currency are not imported. If the currency is a mistake, correct it on the platform and "
        "choose Retry; otherwise enter the order here by hand and choose Mark as handled."
    ),
    gettext_noop("The order's quantities or amounts are too large to be real, so it was not imported."): gettext_noop(
        "Correct the quantities or prices on the platform, then choose Retry."
    ),
    gettext_noop("The platform no longer has this order."): gettext_noop(
        "The order was deleted on the platform, so there is nothing to import: choose Mark as handled."
    ),
    gettext_noop("The order could not be saved: %(error)s"): gettext_noop(
        "Choose Retry. If it fails again, send this entry to the back-office's support."
    ),
}
# Reasons the platforms' mappers give for data they cannot read: the order has to be corrected there.
UNREADABLE = [
    gettext_noop("The order is not a JSON object."),
    gettext_noop("The order has no id."),
    gettext_noop("Order %(id)s has an unexpected shape: %(error)s"),
    gettext_noop("The order's line items have an unexpected shape."),
    gettext_noop("The order's products have an unexpected shape."),
    gettext_noop("A line item has no product name."),
    gettext_noop("A product line has an unexpected shape."),
    gettext_noop("A product line has neither a title nor an article."),
    gettext_noop("The line %(name)s has quantity %(qty)s; it must be greater than zero."),
    gettext_noop("The price of %(name)s is negative."),
    gettext_noop("The order's %(field)s is missing."),
]
REASONS = StoredTexts(*HINTS, *UNREADABLE)
UNREADABLE_HINT = gettext_noop(
    "The platform sent data the back-office cannot read. Open the order on the platform, correct it, then choose "
    "Retry; if it looks right there, send this entry to the back-office's support."
)


def problem_hint(reason: str) -> str:
    """What to do about a stored reason, in the active language."""
    found = REASONS.first_match(reason)
    return gettext(HINTS.get(found[0], UNREADABLE_HINT) if found else UNREADABLE_HINT)


def with_order_link(queryset):
    """The back-office order of each problem, if the order was imported before (a later update failed)."""
    order = Order.objects.filter(store_id=OuterRef("store_id"), external_id=OuterRef("external_id")).values("pk")[:1]
    return queryset.annotate(order_pk=Subquery(order))


def _remote(entry):
    """The platform's order as the importer reads it from the kept payload; None when it cannot be read."""
    if not hasattr(entry, "_remote"):
        try:
            entry._remote = platform_for(entry.store).map_order(entry.payload)
        except Exception:  # any unreadable payload: the columns then say what they can from it
            entry._remote = None
    return entry._remote


@admin.display(description=_("order"), ordering="external_id")
def problem_order(entry):
    """The platform's order number (a link to the back-office order, when one was imported before), and under it
    the store, opening the order on the platform in a new tab."""
    remote = _remote(entry)
    number = (remote.number if remote else "") or entry.external_id
    if entry.order_pk:
        number = format_html('<a href="{}">{}</a>', reverse("admin:orders_order_change", args=[entry.order_pk]), number)
    url = platform_for(entry.store).admin_order_url(entry.store, entry.external_id)
    if not url:
        return format_html("{}<br><small>{}</small>", number, entry.store.name)
    return format_html(
        '{}<br><small><a class="platform-link" href="{}" target="_blank" rel="noopener" title="{}">{} ↗</a></small>',
        number,
        url,
        _("Open the order on the platform"),
        entry.store.name,
    )


@admin.display(description=_("client"))
def problem_client(entry):
    remote = _remote(entry)
    client = remote.client if remote else None
    if client is None:
        return "—"
    name = " ".join(p for p in (client.first_name, client.last_name) if p)
    contact = client.phone or client.email or gettext("no phone or email")
    return format_html("{}<br><small>{}</small>", name or "—", contact)


@admin.display(description=_("total"))
def problem_total(entry):
    remote = _remote(entry)
    if remote is None:
        return "—"
    return f"{order_total(remote)} {remote.currency}".strip()


@admin.display(description=_("reason and what to do"), ordering="reason")
def problem_reason(entry):
    return format_html(
        '<span class="problem-reason">{}</span><br><span class="problem-hint">{}</span>',
        REASONS.translate(entry.reason),
        problem_hint(entry.reason),
    )


@admin.display(description=_("seen"), ordering="last_seen_at")
def problem_seen(entry):
    return format_html("{}<br><small>× {}</small>", short_moment(entry.last_seen_at), entry.count)
