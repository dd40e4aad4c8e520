"""The store pages in the admin: connecting checks the platform first; the import log's Retry (R1, R2, R40)."""

import pytest

from fakes.shopify import FakeShopify
from integrations.models import ImportLog, Store
from integrations.sync import import_payloads
from integrations.tests.nodes import order_node
from orders.models import Order, OrderType

pytestmark = pytest.mark.django_db


def connect_form(url, **extra):
    return {
        "platform": "shopify",
        "name": "Kyiv Cases",
        "url": url,
        "token": "shpat_test",
        "webhook_secret": "whsec",
        "order_type": OrderType.objects.get(name="Online order").pk,
        "identify_products_by": "sku",
        **extra,
    }


def test_R1_admin_connects_a_store_after_checking_it_with_the_platform(
    admin_client, fake_shopify, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            "/admin/integrations/store/add/", connect_form(fake_shopify.url, backfill="on", confirm="on")
        )
    assert response.status_code == 302, response.content.decode()[:3000]
    store = Store.objects.get()
    assert (store.shop_domain, store.shop_plan, store.shop_currency) == ("kyiv-cases.myshopify.com", "Grow", "UAH")
    assert store.credentials == {"token": "shpat_test"} and store.backfill_state == "done"
    page = admin_client.get(f"/admin/integrations/store/{store.pk}/change/").content.decode()
    assert "shpat_test" not in page and f"/hooks/{store.pk}/" in page


def test_R1_admin_connect_shows_the_platforms_refusal_and_saves_nothing(admin_client, fake_shopify):
    response = admin_client.post("/admin/integrations/store/add/", connect_form(fake_shopify.url, token="wrong"))
    assert response.status_code == 200
    assert "access refused" in response.content.decode()
    assert not Store.objects.exists()


def test_R2_admin_refuses_a_shop_in_another_currency(admin_client):
    with FakeShopify(currency="EUR", token="shpat_test") as shop:
        response = admin_client.post("/admin/integrations/store/add/", connect_form(shop.url))
    assert "EUR" in response.content.decode() and not Store.objects.exists()


def test_admin_connect_asks_for_the_platforms_own_credentials(admin_client, fake_shopify):
    response = admin_client.post("/admin/integrations/store/add/", connect_form(fake_shopify.url, token=""))
    assert "Required for this platform." in response.content.decode()


def test_R40_retry_fetches_the_logged_orders_again(
    admin_client, shopify_store, fake_shopify, django_capture_on_commit_callbacks
):
    node = order_node(5001, currency="USD", created="2026-11-24T10:00:00Z")
    import_payloads(store=shopify_store, payloads=[node])
    entry = ImportLog.objects.get()
    fake_shopify.add_order(order_node(5001, created="2026-11-24T10:00:00Z"))  # the shop fixed its currency
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            "/admin/integrations/importlog/", {"action": "retry", "_selected_action": [entry.pk]}, follow=True
        )
    assert "1 order queued for another try." in response.content.decode()
    assert Order.objects.filter(store=shopify_store, external_id="5001").exists()
    entry.refresh_from_db()
    assert entry.resolved


def test_store_list_shows_problems_with_a_link_to_the_log(admin_client, shopify_store):
    import_payloads(store=shopify_store, payloads=[order_node(5002, currency="USD")])
    html = admin_client.get("/admin/integrations/store/").content.decode()
    assert f"store__id__exact={shopify_store.pk}" in html
