"""How the orders screens show an order (R53-R55): its date, a status badge, the total, whole quantities,
and the event feed in the reader's language. Display only; nothing here writes."""

from django import forms
from django.contrib import admin
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from orders.feed import feed_text
from orders.history import quantity_text
from orders.models import Event, OrderItem
from orders.status_meaning import CANCELLED, COMPLETED, IN_PROGRESS, NEW, SHIPPING, status_key

BADGES = {NEW: "new", IN_PROGRESS: "progress", SHIPPING: "shipping", COMPLETED: "done", CANCELLED: "cancelled"}


def short_moment(moment) -> str:
    """The locale's short date and a 24-hour time: "12/02/2026 10:05", "02.12.2026 10:05". Not the locale's
    short date-time, whose English time ("10 a.m.") ends in a period that a sentence would double."""
    if not moment:
        return "—"
    local = timezone.localtime(moment)
    return f"{formats.date_format(local, 'SHORT_DATE_FORMAT')} {formats.time_format(local, 'H:i')}"


@admin.display(description=_("date"), ordering="placed_at")
def order_date(order):
    """The order's own date (R53): placed on the platform, or created here; the title says which."""
    title = _("Placed on the platform") if order.store_id else _("Created in the back-office")
    return format_html('<span class="order-date" title="{}">{}</span>', title, short_moment(order.placed_at))


@admin.display(description=_("status"), ordering="status__position")
def status_badge(order):
    status = order.status
    kind = "done" if status.is_completed else BADGES.get(status_key(status.name), "other")
    return format_html('<span class="status-badge status-{}">{}</span>', kind, status)


@admin.display(description=_("total"), ordering="total")
def total_with_currency(order):
    return format_html(
        '<span class="order-total">{}&nbsp;{}</span>',
        formats.number_format(order.total, 2, use_l10n=True),
        order.currency,
    )


@admin.display(description=_("imported into the back-office"))
def arrived_at(order):
    return short_moment(order.created_at)


class OrderItemForm(forms.ModelForm):
    """Order lines with whole quantities shown as whole numbers: 1, not 1.000 (R55)."""

    class Meta:
        model = OrderItem
        fields = ["product", "quantity", "price"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None and "quantity" in self.fields:
            self.initial["quantity"] = quantity_text(self.instance.quantity)


@admin.display(description=_("quantity"))
def quantity_shown(item):
    return quantity_text(item.quantity)


def feed_rows(order) -> list[dict]:
    """The order's events, oldest first, each with its kind and text in the active language."""
    if order is None or order.pk is None:
        return []
    events = Event.objects.filter(order=order).select_related("user").order_by("created_at", "id")
    return [
        {
            "when": short_moment(event.created_at),
            "kind": event.kind,
            "kind_label": event.get_kind_display(),
            "text": feed_text(event.text),
            "user": (event.user.get_full_name() or event.user.get_username()) if event.user else "",
        }
        for event in events
    ]
