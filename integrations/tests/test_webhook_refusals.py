"""What the webhook drain makes of a platform's refusal (R51, R41): a refused order is logged with the webhook
that named it and its delivery is done; a refused store (credentials, login) keeps every delivery queued."""

import re

import pytest

from fakes.cartum import FakeCartum
from fakes.server import json_response
from fakes.shopify import FakeShopify
from integrations import tasks
from integrations.models import ConnectionState, ImportLog, Store, WebhookDelivery
from integrations.platforms import PLATFORMS
from integrations.tests.factories import StoreFactory
from integrations.tests.nodes import order_node
from integrations.tests.test_cartum import cartum_order
from integrations.tests.test_refresh_feed import ShopWithALongRefusal
from integrations.tests.test_webhook_hostile import CONNECTED, CREATED, REFUSED, SECRET, RefusingShopify, deliver

pytestmark = pytest.mark.django_db


@pytest.fixture
def fake_shopify():
    """The conftest's fake shop (and so `shopify_store`), refusing order 666 as test_webhook_hostile's does."""
    with RefusingShopify(token="shpat_test", myshopify_domain="kyiv-cases.myshopify.com", restore_rate=100000) as shop:
        yield shop


def waiting() -> int:
    return WebhookDelivery.objects.filter(processed_at__isnull=True).count()


def test_R51_a_refused_order_is_logged_with_the_webhook_that_named_it(client, shopify_store):
    assert deliver(client, shopify_store, int(REFUSED), delivery_id="b7c1-delivery").status_code == 202
    assert tasks.drain_webhooks(shopify_store.pk) == "1 deliveries"
    problem = ImportLog.objects.get()
    assert problem.payload == {
        "webhook": {"topic": "orders/updated", "delivery_id": "b7c1-delivery", "order_id": REFUSED}
    }
    assert waiting() == 0


class RefusingCredentials(FakeShopify):
    """A shop that has revoked the app: every call answers `refusal` (401 or 403)."""

    refusal = 401

    def handle(self, method, path, headers, body):
        return json_response(self.refusal, {"errors": "[API] Invalid API key or access token"})


@pytest.mark.parametrize("refusal", [401, 403])
def test_R51_R41_refused_credentials_keep_the_deliveries_queued_and_log_no_order(client, shopify_store, refusal):
    with RefusingCredentials(token="shpat_test", myshopify_domain="kyiv-cases.myshopify.com") as shop:
        shop.refusal = refusal
        Store.objects.filter(pk=shopify_store.pk).update(url=shop.url)
        assert deliver(client, shopify_store, 4401).status_code == 202
        with pytest.raises(Exception, match=f"access refused \\(HTTP {refusal}\\)"):
            tasks.drain_webhooks(shopify_store.pk)
    assert waiting() == 1 and not ImportLog.objects.exists()
    store = Store.objects.get(pk=shopify_store.pk)
    assert store.state == ConnectionState.FAILING and f"access refused (HTTP {refusal})" in store.last_error


def test_R51_R41_a_cartum_login_refused_again_keeps_the_deliveries_queued_and_logs_no_order(client):
    with FakeCartum() as shop:
        store = StoreFactory(platform="cartum", name="Kharkiv Gadgets", url=shop.url, connected_at=CONNECTED)
        store.credentials, store.webhook_secret = shop.credentials, SECRET
        store.save()
        PLATFORMS["cartum"].on_connect(store)
        shop.add_order(cartum_order(4501))
        assert deliver(client, store, 4501).status_code == 202
        shop.token_lifetime = 0  # every token is refused as soon as it is issued: UNAUTHORIZED after a new login
        with pytest.raises(Exception, match="UNAUTHORIZED"):
            tasks.drain_webhooks(store.pk)
    assert waiting() == 1 and not ImportLog.objects.exists()


def test_R51_a_webhook_naming_no_order_number_is_logged_in_plain_words(client, shopify_store):
    assert deliver(client, shopify_store, "²").status_code == 202
    assert tasks.drain_webhooks(shopify_store.pk) == "1 deliveries"
    assert ImportLog.objects.get().reason == (
        "The webhook names the order “²”, which is not an order number: there is nothing to fetch."
    )


def test_R51_a_drain_works_off_every_batch_and_counts_them_all(client, shopify_store, fake_shopify, monkeypatch):
    monkeypatch.setattr("integrations.webhook_queue.BATCH", 2)
    for n in (4601, 4602, 4603):
        fake_shopify.add_order(order_node(n, created=CREATED))
        assert deliver(client, shopify_store, n).status_code == 202
    assert tasks.drain_webhooks(shopify_store.pk) == "3 deliveries"  # the task's result, as django-q2 shows it
    assert waiting() == 0


class RefusingEveryOrder(FakeShopify):
    """A shop answering every order query with an error naming the first order asked for."""

    def handle(self, method, path, headers, body):
        asked = re.search(rb"Order/(\d+)", body or b"")
        if asked:
            message = f"Invalid id: gid://shopify/Order/{asked.group(1).decode()}"
            return json_response(200, {"errors": [{"message": message, "extensions": {"code": "BAD_REQUEST"}}]})
        return super().handle(method, path, headers, body)


def test_R51_a_platform_refusing_every_order_of_a_batch_fails_the_drain_and_keeps_them_queued(client, shopify_store):
    with RefusingEveryOrder(token="shpat_test", myshopify_domain="kyiv-cases.myshopify.com") as shop:
        Store.objects.filter(pk=shopify_store.pk).update(url=shop.url)
        for n in (4611, 4612):
            assert deliver(client, shopify_store, n).status_code == 202
        with pytest.raises(Exception, match="refused every order"):
            tasks.drain_webhooks(shopify_store.pk)
    assert waiting() == 2 and not ImportLog.objects.exists()  # the store's fault, not the orders'
    error = Store.objects.get(pk=shopify_store.pk).last_error
    assert error.startswith("The platform refused every order of the batch: ") and "Order/4611" in error


def test_R51_a_refused_order_is_logged_with_the_first_500_characters_of_the_platforms_answer(client, shopify_store):
    with ShopWithALongRefusal(token="shpat_test", myshopify_domain="kyiv-cases.myshopify.com") as shop:
        Store.objects.filter(pk=shopify_store.pk).update(url=shop.url)
        assert deliver(client, shopify_store, 4821).status_code == 202
        assert tasks.drain_webhooks(shopify_store.pk) == "1 deliveries"
    prefix = "The platform refused to send this order: "
    reason = ImportLog.objects.get(external_id="4821").reason
    assert reason.startswith(prefix + "Shopify GraphQL error: Invalid id: the order cannot be read")
    assert len(reason) == len(prefix) + 500
