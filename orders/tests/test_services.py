from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission, User
from django.core.exceptions import PermissionDenied, ValidationError

from catalog.models import StockMovement
from integrations.tests.factories import StoreFactory
from orders import services
from orders.models import Event, Order, OrderType, Status
from orders.signals import order_status_changed
from orders.tests.factories import OrderFactory, OrderItemFactory

pytestmark = pytest.mark.django_db


def staff_user(name, *, may_deduct):
    user = User.objects.create_user(name, password="x", is_staff=True)
    perms = Permission.objects.filter(content_type__app_label="orders")
    if not may_deduct:
        perms = perms.exclude(codename="add_products_without_deduction")
    user.user_permissions.set(perms)
    return User.objects.get(pk=user.pk)


@pytest.fixture
def clerk():
    """A staff user with order permissions but without "Can add products without deduction"."""
    return staff_user("clerk", may_deduct=False)


@pytest.fixture
def manager():
    return staff_user("manager", may_deduct=True)


def test_default_order_type_online_order_starts_new_and_completed_status_exists():
    online = OrderType.objects.get(name="Online order")
    assert online.initial_status.name == "New"
    assert Status.objects.get(name="Completed").is_completed


def test_R5_new_order_starts_in_the_types_initial_status():
    order_type = OrderType.objects.get(name="Online order")
    order = services.order_create(order_type=order_type)
    assert order.status.name == "New"
    assert order.number == str(order.pk)


def test_write_off_deducts_stock_marks_items_stamps_and_adds_event():
    item = OrderItemFactory(quantity=Decimal("3"))
    order = services.order_write_off(order=item.order)
    item.refresh_from_db()
    assert item.deducted and order.written_off_at is not None
    movement = StockMovement.objects.get(order_item=item)
    assert movement.quantity == Decimal("-3") and movement.product == item.product
    assert Event.objects.filter(order=order, kind="write_off").count() == 1


def test_writing_off_twice_is_refused_and_deducts_nothing_more():
    item = OrderItemFactory()
    services.order_write_off(order=item.order)
    with pytest.raises(ValidationError, match="already written off"):
        services.order_write_off(order=item.order)
    assert StockMovement.objects.count() == 1


def test_R19_items_cannot_be_added_after_write_off():
    item = OrderItemFactory()
    services.order_write_off(order=item.order)
    with pytest.raises(ValidationError):
        services.order_item_add(order=item.order, product=item.product, quantity=Decimal(1), price=Decimal(1))


def test_R5_total_is_sum_of_quantity_times_price():
    order = OrderFactory()
    OrderItemFactory(order=order, quantity=Decimal("2"), price=Decimal("10.50"))
    OrderItemFactory(order=order, quantity=Decimal("1"), price=Decimal("5.00"))
    assert services.order_recalculate_total(order=order) == Decimal("26.00")


def test_set_status_adds_event_and_sends_signal_once():
    order = OrderFactory()
    done = Status.objects.get(name="Completed")
    heard = []
    order_status_changed.connect(lambda **kw: heard.append(kw["new_status"]), weak=False, dispatch_uid="t")
    try:
        assert services.order_set_status(order=order, status=done) is True
        assert services.order_set_status(order=order, status=done) is False
    finally:
        order_status_changed.disconnect(dispatch_uid="t")
    assert heard == [done]
    assert Event.objects.filter(order=order, kind="status").count() == 1
    assert Order.objects.get(pk=order.pk).status == done


def test_comment_is_added_to_the_feed_and_empty_comment_refused():
    order = OrderFactory()
    services.order_add_comment(order=order, text="Gift wrap")
    with pytest.raises(ValidationError):
        services.order_add_comment(order=order, text="  ")
    assert list(order.events.values_list("kind", "text")) == [("comment", "Gift wrap")]


def test_R11_imported_order_write_off_requires_permission(clerk, manager):
    item = OrderItemFactory(order=OrderFactory(store=StoreFactory(), external_id="1"))
    with pytest.raises(PermissionDenied):
        services.order_write_off(order=item.order, user=clerk)
    with pytest.raises(PermissionDenied):
        services.order_set_status(order=item.order, status=Status.objects.get(name="Completed"), user=clerk)
    services.order_write_off(order=item.order, user=manager)
    assert Order.objects.get(pk=item.order.pk).written_off_at is not None


def test_R11_back_office_orders_do_not_need_the_permission(clerk):
    item = OrderItemFactory()
    services.order_write_off(order=item.order, user=clerk)
