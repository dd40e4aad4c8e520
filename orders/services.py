"""Writes on orders: create, items, write-off, status changes and the event feed."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from catalog.services import stock_move
from orders.models import ADD_WITHOUT_DEDUCTION, Event, EventKind, Order, OrderItem, OrderType, Status
from orders.signals import order_status_changed
from orders.stored_text import site_text

SOURCE_BACK_OFFICE = "back-office"
SOURCE_PLATFORM = "platform"

# The feed's own words, stored in the site's language and shown in each reader's (orders.feed, R54).
STATUS_CHANGED = gettext_noop("Status changed: %(old)s -> %(new)s")
FROM_THE_STORE = gettext_noop("(from the online store)")
WRITTEN_OFF = gettext_noop("Products written off: %(lines)s")
NO_ITEMS = gettext_noop("no items")


def may_work_with(*, order: Order | None, user) -> bool:
    """Imported orders need "Can add products without deduction" to be worked with (R11)."""
    return user is None or order is None or not order.is_imported or user.has_perm(ADD_WITHOUT_DEDUCTION)


def ensure_may_work_with(*, order: Order, user) -> None:
    """Refuse a user without "Can add products without deduction" on an imported order (R11)."""
    if not may_work_with(order=order, user=user):
        raise PermissionDenied(
            _('Working with orders from online stores requires the permission "Can add products without deduction".')
        )


def event_add(*, order: Order, kind: str, text: str, user=None) -> Event:
    return Event.objects.create(order=order, kind=kind, text=text, user=user)


def order_add_comment(*, order: Order, text: str, user=None) -> Event:
    """Add a comment to the order's feed."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("A comment cannot be empty.")})
    return event_add(order=order, kind=EventKind.COMMENT, text=text, user=user)


def order_initial_status(*, order_type: OrderType, chosen: Status | None = None) -> Status:
    """The status a new order starts in: the one chosen for it, else its type's initial status."""
    return chosen or order_type.initial_status


@transaction.atomic
def order_create(*, order_type: OrderType, client=None, user=None, **fields) -> Order:
    """Create a back-office order in its type's initial status."""
    status = order_initial_status(order_type=order_type)
    return Order.objects.create(order_type=order_type, status=status, client=client, **fields)


def order_recalculate_total(*, order: Order) -> Decimal:
    """Set the total to the cost of all goods: the sum of quantity x price of its lines (R5)."""
    total = order.items.aggregate(t=Sum(F("quantity") * F("price")))["t"] or Decimal("0")
    order.total = Decimal(total).quantize(Decimal("0.01"))
    Order.objects.filter(pk=order.pk).update(total=order.total)
    return order.total


@transaction.atomic
def order_item_add(*, order: Order, product, quantity: Decimal, price: Decimal, user=None) -> OrderItem:
    """Add a line "without deduction" to an order that is not written off yet."""
    ensure_may_work_with(order=order, user=user)
    if order.is_written_off:
        raise ValidationError(_("The order is written off; its items can no longer change."))
    if quantity <= 0:
        raise ValidationError({"quantity": _("The quantity must be greater than zero.")})
    item = OrderItem.objects.create(order=order, product=product, quantity=quantity, price=price)
    order_recalculate_total(order=order)
    return item


@transaction.atomic
def order_write_off(*, order: Order, user=None) -> Order:
    """Deduct every item from stock, mark the items deducted and freeze the order (R8, R19)."""
    ensure_may_work_with(order=order, user=user)
    locked = Order.objects.select_for_update().get(pk=order.pk)
    if locked.written_off_at is not None:
        raise ValidationError(_("The order %(number)s is already written off.") % {"number": locked})
    items = list(locked.items.select_related("product").filter(deducted=False))
    for item in items:
        stock_move(
            product=item.product,
            quantity=-item.quantity,
            reason=_("Order %(number)s") % {"number": locked},
            order_item=item,
        )
    OrderItem.objects.filter(pk__in=[i.pk for i in items]).update(deducted=True)
    locked.written_off_at = timezone.now()
    locked.save(update_fields=["written_off_at"])
    lines = ", ".join(f"{i.product.name} x {i.quantity.normalize():f}" for i in items) or site_text(NO_ITEMS)
    event_add(order=locked, kind=EventKind.WRITE_OFF, text=site_text(WRITTEN_OFF) % {"lines": lines}, user=user)
    order.written_off_at = locked.written_off_at
    return locked


@transaction.atomic
def order_set_status(*, order: Order, status: Status, user=None, source: str = SOURCE_BACK_OFFICE) -> bool:
    """Move the order to `status` with an event; return False when it already was there.

    `source="platform"` marks a change that came from the store itself, so integrations does not
    push it back (no ping-pong, R9).
    """
    if source == SOURCE_BACK_OFFICE:
        ensure_may_work_with(order=order, user=user)
    locked = Order.objects.select_for_update().select_related("status").get(pk=order.pk)
    old = locked.status
    if old.pk == status.pk:
        return False
    locked.status = status
    locked.save(update_fields=["status"])
    order.status = status
    text = site_text(STATUS_CHANGED) % {"old": old.name, "new": status.name}
    if source == SOURCE_PLATFORM:
        text += " " + site_text(FROM_THE_STORE)
    event_add(order=locked, kind=EventKind.STATUS, text=text, user=user)
    order_status_changed.send(sender=Order, order=locked, old_status=old, new_status=status, user=user, source=source)
    return True
