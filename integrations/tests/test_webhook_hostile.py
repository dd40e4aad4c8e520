"""Hostile webhooks (R51, R42, R49): one unusable delivery never blocks a store's queue, a forged header is a
401 and never a 500, and a replayed body adds nothing while two orders in one WooCommerce second both land."""

import json
import uuid
from datetime import UTC, datetime

import pytest

from fakes.cartum import FakeCartum
from fakes.server import json_response
from fakes.shopify import FakeShopify
from fakes.woocommerce import FakeWooCommerce
from integrations import tasks
from integrations.models import ConnectionState, ImportLog, Store, WebhookDelivery
from integrations.platforms import PLATFORMS
from integrations.platforms.signatures import hmac_sha256_base64
from integrations.tests.factories import StoreFactory
from integrations.tests.nodes import order_node
from integrations.tests.test_cartum import cartum_order
from integrations.tests.test_woocommerce import wc_order
from orders.models import Order

pytestmark = pytest.mark.django_db

SECRET = "whsec_test"
CONNECTED = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)
CREATED = "2026-11-24T10:00:00Z"
REFUSED = "666"  # an order id the refusing shop below answers with a GraphQL error, as Shopify does a bad id


class RefusingShopify(FakeShopify):
    """Shopify answering a query that names one particular order with an error, not with data."""

    def handle(self, method, path, headers, body):
        if f'Order/{REFUSED}"'.encode() in (body or b""):
            return json_response(
                200,
                {
                    "errors": [
                        {"message": f"Invalid id: gid://shopify/Order/{REFUSED}", "extensions": {"code": "BAD_REQUEST"}}
                    ]
                },
            )
        return super().handle(method, path, headers, body)


@pytest.fixture
def fake_shopify():
    """The conftest's fake shop (and so `shopify_store`), refusing order 666."""
    with RefusingShopify(token="shpat_test", myshopify_domain="kyiv-cases.myshopify.com", restore_rate=100000) as shop:
        yield shop


@pytest.fixture
def woo_store(db):
    with FakeWooCommerce() as shop:
        store = StoreFactory(platform="woocommerce", name="Lviv Tees", url=shop.url, connected_at=CONNECTED)
        store.credentials = shop.credentials
        store.webhook_secret = SECRET
        store.save()
        yield store, shop


@pytest.fixture
def cartum_store(db):
    with FakeCartum() as shop:
        store = StoreFactory(platform="cartum", name="Kharkiv Gadgets", url=shop.url, connected_at=CONNECTED)
        store.credentials = shop.credentials
        store.webhook_secret = SECRET
        store.save()
        PLATFORMS["cartum"].on_connect(store)
        yield store, shop


def deliver(client, store, order_id, *, delivery_id=None, body=None, **extra):
    """A webhook naming `order_id` the way the store's platform sends it, signed (or keyed) with SECRET."""
    delivery_id = delivery_id or uuid.uuid4().hex
    if store.platform == "cartum":
        body = body or json.dumps(cartum_order(0) | {"order_id": order_id}).encode()
        return client.put(f"/hooks/{store.pk}/?key={SECRET}", data=body, content_type="application/json")
    body = body or json.dumps({"id": order_id}).encode()
    signature = hmac_sha256_base64(secret=SECRET, body=body)
    if store.platform == "shopify":
        headers = {
            "HTTP_X_SHOPIFY_HMAC_SHA256": signature,
            "HTTP_X_SHOPIFY_WEBHOOK_ID": delivery_id,
            "HTTP_X_SHOPIFY_TOPIC": "orders/updated",
        }
    else:
        headers = {
            "HTTP_X_WC_WEBHOOK_SIGNATURE": signature,
            "HTTP_X_WC_WEBHOOK_DELIVERY_ID": delivery_id,
            "HTTP_X_WC_WEBHOOK_TOPIC": "order.updated",
            "HTTP_X_WC_WEBHOOK_RESOURCE": "order",
        }
    return client.post(f"/hooks/{store.pk}/", data=body, content_type="application/json", **(headers | extra))


@pytest.fixture(params=["shopify", "woocommerce", "cartum"])
def any_store(request, db):
    """A store of each platform on its fake, and a function that adds an importable order there."""
    if request.param == "shopify":
        store, shop = request.getfixturevalue("shopify_store"), request.getfixturevalue("fake_shopify")
        return store, lambda n: shop.add_order(order_node(n, created=CREATED))
    store, shop = request.getfixturevalue(f"{'woo' if request.param == 'woocommerce' else 'cartum'}_store")
    return store, lambda n: shop.add_order(wc_order(n) if request.param == "woocommerce" else cartum_order(n))


# --- R51: one unusable delivery never blocks the others -----------------------------------------------------
@pytest.mark.parametrize("bad_id", ["²", "٣", "-5"])
def test_R51_a_webhook_whose_order_id_is_no_plain_number_is_logged_and_later_ones_are_imported(
    client, any_store, bad_id
):
    store, add_order = any_store
    add_order(3)  # "٣" is Arabic-Indic three: str.isdigit() and int() take it, and would fetch order 3
    add_order(4101)
    assert deliver(client, store, bad_id).status_code == 202  # authentic: recorded, then logged by the drain
    assert deliver(client, store, 4101).status_code == 202

    assert tasks.drain_webhooks(store.pk) == "2 deliveries"
    assert list(Order.objects.filter(store=store).values_list("external_id", flat=True)) == ["4101"]
    problem = ImportLog.objects.get(store=store)
    assert problem.external_id == bad_id and "not an order number" in problem.reason
    assert problem.payload["webhook"]["order_id"] == bad_id
    assert not WebhookDelivery.objects.filter(store=store, processed_at__isnull=True).exists()
    tasks.sync_orders(store.pk, [bad_id])  # the problem's "Retry" action: nothing to ask the platform for
    assert Store.objects.get(pk=store.pk).state == ConnectionState.CONNECTED


@pytest.mark.parametrize("bad_id", ["\ud800", "41\x0001"])
def test_R51_a_webhook_whose_order_id_the_database_cannot_hold_is_logged_not_a_500(client, any_store, bad_id):
    """JSON allows a lone surrogate and a NUL in a string; UTF-8 and PostgreSQL do not."""
    store, add_order = any_store
    add_order(4101)
    assert deliver(client, store, bad_id).status_code == 202  # authentic: recorded (escaped), then refused
    assert deliver(client, store, 4101).status_code == 202

    assert tasks.drain_webhooks(store.pk) == "2 deliveries"
    assert list(Order.objects.filter(store=store).values_list("external_id", flat=True)) == ["4101"]
    problem = ImportLog.objects.get(store=store)
    assert "not an order number" in problem.reason
    # The staff read the id as it came, its unstorable character written as an escape.
    assert problem.external_id == {"\ud800": "\\ud800", "41\x0001": "41\\x0001"}[bad_id]
    assert not WebhookDelivery.objects.filter(store=store, processed_at__isnull=True).exists()


def test_R51_orders_the_platform_refuses_or_no_longer_has_are_logged_and_the_rest_imported(
    client, shopify_store, fake_shopify
):
    for n in (4201, 4203):
        fake_shopify.add_order(order_node(n, created=CREATED))
    for n in (4201, int(REFUSED), 4202, 4203):  # 4202 was deleted on the platform
        assert deliver(client, shopify_store, n).status_code == 202

    assert tasks.drain_webhooks(shopify_store.pk) == "4 deliveries"
    assert sorted(Order.objects.values_list("external_id", flat=True)) == ["4201", "4203"]
    reasons = dict(ImportLog.objects.values_list("external_id", "reason"))
    assert set(reasons) == {REFUSED, "4202"}
    assert reasons[REFUSED].startswith("The platform refused to send this order") and "Invalid id" in reasons[REFUSED]
    assert reasons["4202"] == "The platform no longer has this order."
    assert not WebhookDelivery.objects.filter(processed_at__isnull=True).exists()
    assert Store.objects.get(pk=shopify_store.pk).state == ConnectionState.CONNECTED


def test_R51_a_platform_that_is_down_keeps_the_deliveries_queued(client, shopify_store, fake_shopify, settings):
    settings.ROAPP_PLATFORM_BACKOFF_SECONDS = 0.001
    fake_shopify.add_order(order_node(4301, created=CREATED))
    assert deliver(client, shopify_store, 4301).status_code == 202
    fake_shopify.fail_next("5xx", times=6)  # every attempt of the drain's one request
    with pytest.raises(Exception, match="gave up"):
        tasks.drain_webhooks(shopify_store.pk)
    assert WebhookDelivery.objects.filter(processed_at__isnull=True).count() == 1 and not ImportLog.objects.exists()
    assert Store.objects.get(pk=shopify_store.pk).state == ConnectionState.FAILING
    assert tasks.drain_webhooks(shopify_store.pk) == "1 deliveries"  # the platform is back
    assert Order.objects.filter(external_id="4301").exists()


# --- R42: a forged signature header is refused, never a 500 -----------------------------------------------
@pytest.mark.parametrize(
    "signature",
    ["sïgnature", "✓".encode().decode("latin-1"), "=" * 43 + "é"],  # as WSGI hands over UTF-8 bytes: latin-1 text
)
@pytest.mark.parametrize("platform", ["shopify", "woocommerce"])
def test_R42_a_non_ascii_signature_header_is_refused_with_401(client, shopify_store, woo_store, platform, signature):
    store = shopify_store if platform == "shopify" else woo_store[0]
    header = "HTTP_X_SHOPIFY_HMAC_SHA256" if platform == "shopify" else "HTTP_X_WC_WEBHOOK_SIGNATURE"
    assert deliver(client, store, 4401, **{header: signature}).status_code == 401
    assert not WebhookDelivery.objects.exists()


# --- R49 and replays: a delivery is its body ------------------------------------------------------------------
def test_R49_two_woocommerce_orders_in_one_second_share_a_delivery_id_and_both_are_imported(client, woo_store):
    store, shop = woo_store
    shop.add_order(wc_order(801))
    shop.add_order(wc_order(802))
    # WooCommerce derives the delivery id from the webhook and the second: one id for both deliveries.
    assert deliver(client, store, 801, delivery_id="same-second").status_code == 202
    assert deliver(client, store, 802, delivery_id="same-second").status_code == 202
    assert deliver(client, store, 802, delivery_id="same-second").status_code == 204  # this one is a replay
    tasks.drain_webhooks(store.pk)
    assert sorted(Order.objects.values_list("external_id", flat=True)) == ["801", "802"]


def test_R7_the_same_signed_body_under_new_delivery_ids_adds_no_row_and_no_drain(
    client, shopify_store, django_capture_on_commit_callbacks
):
    body = json.dumps({"id": 4501, "updated_at": "2026-12-01T10:00:00Z"}).encode()
    with django_capture_on_commit_callbacks() as queued:
        assert deliver(client, shopify_store, 4501, body=body).status_code == 202
        answers = {deliver(client, shopify_store, 4501, body=body).status_code for _ in range(50)}
    assert answers == {204}
    assert WebhookDelivery.objects.count() == 1 and len(queued) == 1  # one row, one drain
    # The same order changed again is a new body: a new delivery.
    changed = json.dumps({"id": 4501, "updated_at": "2026-12-01T10:05:00Z"}).encode()
    assert deliver(client, shopify_store, 4501, body=changed).status_code == 202
    assert WebhookDelivery.objects.count() == 2
