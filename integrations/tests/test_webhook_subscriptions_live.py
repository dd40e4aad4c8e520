"""The registered webhooks at work (R48, R49): the fake platforms ping and deliver to the back-office's live
server, through the subscriptions connecting registered."""

import pytest
import requests

from fakes.cartum import FakeCartum
from fakes.server import FakeServer
from fakes.shopify import FakeShopify
from fakes.woocommerce import FakeWooCommerce
from integrations.connecting import store_connect
from integrations.models import Store, WebhookDelivery
from integrations.platforms.woocommerce.client import WooCommerceClient
from orders.models import Order, OrderType

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

FAKES = {
    "shopify": lambda: FakeShopify(token="shpat_test", restore_rate=100000),
    "woocommerce": FakeWooCommerce,
    "cartum": FakeCartum,
}


class Answers204(FakeServer):
    """An address that accepts everything with 204 No Content, as the back-office answered the ping before."""

    platform = "answers-204"

    def handle(self, method, path, headers, body):
        return 204, {}, b""


@pytest.fixture
def public(settings, live_server):
    settings.ROAPP_PUBLIC_URL = live_server.url  # the platforms reach the back-office here
    return live_server.url


def connect(platform, shop):
    """connect_store's path: outside a transaction, so registration runs as soon as the store is saved."""
    credentials = {"token": "shpat_test"} if platform == "shopify" else shop.credentials
    store = store_connect(
        platform=platform,
        name=f"Live {platform}",
        url=shop.url,
        credentials=credentials,
        webhook_secret="whsec_test" if platform == "shopify" else "",
        order_type=OrderType.objects.get(name="Online order"),
        backfill=False,
    )
    return Store.objects.get(pk=store.pk)


def test_R49_the_woocommerce_creation_ping_is_answered_exactly_200(public):
    with FakeWooCommerce() as shop:
        store = connect("woocommerce", shop)
        hooks = list(shop.webhooks.values())
        assert [h["topic"] for h in hooks] == ["order.created", "order.updated"]
        assert all(h["ping_error"] == "" and not h["pending_delivery"] for h in hooks), hooks
        assert store.webhooks_missing == []

        # What the merchant saw while the back-office answered the ping with 204: WooCommerce's own error.
        with Answers204() as elsewhere:
            client = WooCommerceClient(url=shop.url, **shop.credentials)
            hook = client.webhooks_create(topic="order.created", address=f"{elsewhere.url}/", secret="s")
        assert shop.webhooks[int(hook.id)]["ping_error"] == "Error: Delivery URL returned response code: 204"


@pytest.mark.parametrize("platform", sorted(FAKES))
def test_R48_a_new_order_on_the_platform_arrives_by_the_registered_webhook(public, platform):
    with FAKES[platform]() as shop:
        shop.webhook_signing_secret = "whsec_test"  # Shopify: the secret the app signs with (entered on connecting)
        store = connect(platform, shop)
        answer = requests.post(f"{shop.url}/_fake/orders", json={"generate": 1}, timeout=30).json()
        assert answer["webhooks"] == [202]  # one subscription per creation topic, at the store's address
        [new] = answer["orders"]
        external_id = str(new.get("order_id") or new["id"]).rsplit("/", 1)[-1]
        assert Order.objects.filter(store=store, external_id=external_id).exists()


def test_R48_a_cartum_subscription_deleted_in_cartum_is_missing_at_once(public):
    with FakeCartum() as shop:
        store = connect("cartum", shop)
        assert store.webhooks_missing == []
        [number] = shop.hooks
        assert shop.remove_in_admin(number).status_code == 204  # Cartum's DELETE to the keyed address
        store.refresh_from_db()
        assert store.webhooks_missing == ["order_created"] and not store.healthy
        assert "Cartum removed the subscription on its side." in store.webhooks_error


def test_R49_two_woocommerce_orders_delivered_in_one_second_share_a_delivery_id_and_both_arrive(public):
    with FakeWooCommerce() as shop:
        store = connect("woocommerce", shop)
        shop.clock = lambda: 1_796_000_000.0  # both deliveries within one second of the site's clock
        answer = requests.post(f"{shop.url}/_fake/orders", json={"generate": 2}, timeout=30).json()
        assert answer["webhooks"] == [202, 202]
        ids = {str(o["id"]) for o in answer["orders"]}
        rows = WebhookDelivery.objects.filter(store=store)
        assert {r.external_id for r in rows} == ids and len({r.delivery_id for r in rows}) == 1
        assert set(Order.objects.filter(store=store).values_list("external_id", flat=True)) == ids
