import pytest
from django.contrib.auth.models import Permission, User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from integrations.tests.factories import StoreFactory
from orders.models import Event, Order, OrderType, Status
from orders.tests.factories import EventFactory, OrderFactory, OrderItemFactory

pytestmark = pytest.mark.django_db


def staff(client, *, with_deduction_permission):
    user = User.objects.create_user("staff", password="x", is_staff=True)
    perms = Permission.objects.filter(content_type__app_label__in=["orders", "catalog", "contacts"])
    if not with_deduction_permission:
        perms = perms.exclude(codename="add_products_without_deduction")
    user.user_permissions.set(perms)
    client.force_login(user)
    return user


def test_orders_list_shows_columns_and_makes_no_query_per_row(admin_client):
    for _ in range(3):
        OrderItemFactory(order=OrderFactory(store=StoreFactory()))
    with CaptureQueriesContext(connection) as few:
        admin_client.get("/admin/orders/order/")
    for _ in range(20):
        OrderItemFactory(order=OrderFactory(store=StoreFactory()))
    with CaptureQueriesContext(connection) as many:
        response = admin_client.get("/admin/orders/order/")
    assert response.status_code == 200
    assert len(many) == len(few)
    html = response.content.decode()
    for header in ("Number", "Date", "Client", "Status", "Total", "UAH"):
        assert header in html


def test_orders_list_search_by_number(admin_client):
    OrderFactory(number="SH-1001")
    OrderFactory(number="SH-2002")
    html = admin_client.get("/admin/orders/order/", {"q": "SH-1001"}).content.decode()
    assert "SH-1001" in html and "SH-2002" not in html


def test_R33_order_page_shows_items_and_the_event_feed(admin_client):
    item = OrderItemFactory()
    EventFactory(order=item.order, text="Call before delivery")
    html = admin_client.get(f"/admin/orders/order/{item.order.pk}/change/").content.decode()
    assert item.product.name in html
    assert "Call before delivery" in html


def test_status_change_in_admin_goes_through_the_service_and_the_feed(admin_client):
    order = OrderFactory()
    done = Status.objects.get(name="Completed")
    url = f"/admin/orders/order/{order.pk}/change/"
    data = {
        "number": order.number,
        "status": done.pk,
        "client": order.client.pk,
        "currency": "UAH",
        "new_comment": "Paid in cash",
        "items-TOTAL_FORMS": 0,
        "items-INITIAL_FORMS": 0,
        "waybills-TOTAL_FORMS": 0,
        "waybills-INITIAL_FORMS": 0,
        "events-TOTAL_FORMS": 0,
        "events-INITIAL_FORMS": 0,
    }
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Order.objects.get(pk=order.pk).status == done
    kinds = list(Event.objects.filter(order=order).values_list("kind", flat=True))
    assert kinds == ["status", "comment"]


@pytest.mark.parametrize("chosen", [None, "In progress"])
def test_R5_an_order_added_in_the_admin_starts_in_its_types_initial_status_unless_one_is_chosen(admin_client, chosen):
    online = OrderType.objects.get(name="Online order")
    form = {
        "order_type": online.pk,
        "status": Status.objects.get(name=chosen).pk if chosen else "",
        "currency": "UAH",
        "created_at_0": "2026-12-02",
        "created_at_1": "10:00:00",
        "items-TOTAL_FORMS": 0,
        "items-INITIAL_FORMS": 0,
        "waybills-TOTAL_FORMS": 0,
        "waybills-INITIAL_FORMS": 0,
        "events-TOTAL_FORMS": 0,
        "events-INITIAL_FORMS": 0,
    }
    response = admin_client.post("/admin/orders/order/add/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    order = Order.objects.get()
    assert order.status.name == (chosen or online.initial_status.name) == (chosen or "New")
    page = admin_client.get(f"/admin/orders/order/{order.pk}/change/").content.decode()
    assert f'<option value="{order.status.pk}" selected>' in page


def test_R11_imported_order_is_read_only_without_the_permission(client):
    staff(client, with_deduction_permission=False)
    order = OrderFactory(store=StoreFactory(), external_id="55")
    page = client.get(f"/admin/orders/order/{order.pk}/change/")
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    forged = client.post(f"/admin/orders/order/{order.pk}/change/", {"number": "HACK"})
    assert forged.status_code == 403
    assert Order.objects.get(pk=order.pk).number == order.number


def test_R11_imported_order_is_editable_with_the_permission(client):
    staff(client, with_deduction_permission=True)
    order = OrderFactory(store=StoreFactory(), external_id="55")
    page = client.get(f"/admin/orders/order/{order.pk}/change/")
    assert 'name="_save"' in page.content.decode()


def test_R11_write_off_action_explains_refusal_without_the_permission(client):
    staff(client, with_deduction_permission=False)
    order = OrderItemFactory(order=OrderFactory(store=StoreFactory(), external_id="7")).order
    response = client.post("/admin/orders/order/", {"action": "write_off", "_selected_action": [order.pk]}, follow=True)
    assert "Can add products without deduction" in response.content.decode()
    assert Order.objects.get(pk=order.pk).written_off_at is None
