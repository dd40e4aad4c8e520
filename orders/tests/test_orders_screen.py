"""The orders screen for stores: Store filter and column, Refresh orders, per-order refresh (R30-R33)."""

from datetime import timedelta

import pytest
from django.contrib.admin.sites import site
from django.contrib.auth.models import Permission, User
from django.test import RequestFactory
from django.utils import timezone

from integrations.tests.factories import StoreFactory
from orders.admin import OrderAdmin
from orders.models import Order
from orders.tests.factories import OrderFactory, WaybillFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def orders():
    kyiv = StoreFactory(name="Kyiv Cases", shop_domain="kyiv-cases.myshopify.com")
    lviv = StoreFactory(name="Lviv Parts", shop_domain="lviv-parts.myshopify.com")
    return {
        "back_office": OrderFactory(number="BO-1"),
        "kyiv": OrderFactory(number="#1001", store=kyiv, external_id="450789469"),
        "lviv": OrderFactory(number="#2001", store=lviv, external_id="820982911946154508"),
    }


def changelist(admin_user, params):
    request = RequestFactory().get("/admin/orders/order/", params)
    request.user = admin_user
    return OrderAdmin(Order, site).get_changelist_instance(request)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, {"BO-1", "#1001", "#2001"}),
        ({"store": "back-office"}, {"BO-1"}),
        ({"store": "integrations"}, {"#1001", "#2001"}),
    ],
)
def test_R30_store_filter_choices(admin_user, orders, params, expected):
    assert {o.number for o in changelist(admin_user, params).get_queryset(None)} == expected


def test_R30_store_filter_by_one_connected_store(admin_user, orders):
    store = orders["kyiv"].store
    assert [o.number for o in changelist(admin_user, {"store": str(store.pk)}).get_queryset(None)] == ["#1001"]


def test_R30_filter_offers_each_store_by_name(admin_client, orders):
    html = admin_client.get("/admin/orders/order/").content.decode()
    for label in ("Created in the back-office", "From integrations", "Kyiv Cases", "Lviv Parts"):
        assert label in html


def test_R31_store_column_links_to_the_platform_admin_in_a_new_tab(admin_client, orders):
    html = admin_client.get("/admin/orders/order/").content.decode()
    assert (
        '<a href="https://admin.shopify.com/store/kyiv-cases/orders/450789469" target="_blank" rel="noopener">'
        "Kyiv Cases</a>"
    ) in html


def test_R13_orders_list_marks_orders_with_a_nova_poshta_waybill(admin_client, orders):
    WaybillFactory(order=orders["kyiv"])
    html = admin_client.get("/admin/orders/order/").content.decode()
    assert html.count('class="np-mark"') == 1


def test_R32_refresh_orders_resyncs_imported_skips_back_office_and_refuses_within_10_minutes(
    admin_client, shopify_store, fake_shopify, django_capture_on_commit_callbacks
):
    from integrations.sync import import_payloads
    from integrations.tests.nodes import line, order_node

    node = order_node(450789469, lines=[line(1, qty=1)], created="2026-11-24T10:00:00Z")
    fake_shopify.add_order(node)
    import_payloads(store=shopify_store, payloads=[node])
    imported = Order.objects.get(store=shopify_store)
    back_office = OrderFactory(number="BO-1")
    fake_shopify.update_order(450789469, lineItems=order_node(450789469, lines=[line(1, qty=4)])["lineItems"])
    ids = [imported.pk, back_office.pk]
    with django_capture_on_commit_callbacks(execute=True):
        first = admin_client.post(
            "/admin/orders/order/", {"action": "refresh_orders", "_selected_action": ids}, follow=True
        ).content.decode()
    assert "1 order queued for a refresh" in first
    assert "1 order was created in the back-office" in first
    assert imported.items.get().quantity == 4  # the platform's current state was fetched and applied
    fake_shopify.update_order(450789469, lineItems=order_node(450789469, lines=[line(1, qty=7)])["lineItems"])
    with django_capture_on_commit_callbacks(execute=True):
        second = admin_client.post(
            "/admin/orders/order/", {"action": "refresh_orders", "_selected_action": ids}, follow=True
        ).content.decode()
    assert "1 order was refreshed less than 10 minutes ago; next refresh possible: #450789469 at" in second
    assert imported.items.get().quantity == 4


def test_R32_refresh_is_allowed_again_after_10_minutes(orders):
    from integrations.refresh import orders_refresh

    order, back_office = orders["kyiv"], orders["back_office"]
    now = timezone.now()
    first = orders_refresh(orders=[order, back_office], now=now)
    assert (first.queued, first.refused, first.not_imported) == ([order], [], [back_office])
    refused = orders_refresh(orders=[order], now=now + timedelta(minutes=9))
    assert (refused.queued, refused.refused) == ([], [(order, now + timedelta(minutes=10))])
    assert orders_refresh(orders=[order], now=now + timedelta(minutes=10)).queued == [order]


def test_R33_order_page_shows_the_four_extra_fields_and_a_refresh_button(admin_client, orders):
    html = admin_client.get(f"/admin/orders/order/{orders['kyiv'].pk}/change/").content.decode()
    for label in ("Store", "External ID", "Placed on the platform", "Imported into the back-office", "Last update"):
        assert label in html
    assert 'id="refresh-order"' in html
    back_office = admin_client.get(f"/admin/orders/order/{orders['back_office'].pk}/change/").content.decode()
    assert 'id="refresh-order"' not in back_office


def clerk(client):
    user = User.objects.create_user("clerk", password="x", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="orders").exclude(codename="add_products_without_deduction")
    )
    client.force_login(user)


def test_R11_without_the_permission_refresh_is_not_offered_and_a_crafted_post_is_refused(client, orders):
    clerk(client)
    listing = client.get("/admin/orders/order/").content.decode()
    assert 'value="refresh_orders"' not in listing
    page = client.get(f"/admin/orders/order/{orders['kyiv'].pk}/change/").content.decode()
    assert 'id="refresh-order"' not in page
    crafted = client.post(f"/admin/orders/order/{orders['kyiv'].pk}/refresh/", follow=True).content.decode()
    assert "requires the permission" in crafted
    action = client.post("/admin/orders/order/", {"action": "refresh_orders", "_selected_action": [orders["kyiv"].pk]})
    assert action.status_code in (200, 302)
    assert Order.objects.get(pk=orders["kyiv"].pk).refresh_not_before is None


def test_orders_list_does_not_count_the_whole_table(admin_user, orders, django_assert_max_num_queries):
    cl = changelist(admin_user, {})
    assert cl.paginator.count == 3
    assert cl.paginator.__class__.__name__ == "CappedCountPaginator"
