"""Webhook subscriptions registered by the back-office (R48), over real HTTP against the fake platforms."""

from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from graphql import parse, validate
from graphql.validation import NoDeprecatedCustomRule

from fakes.cartum import FakeCartum
from fakes.shopify import FakeShopify
from fakes.shopify_schema import get_schema
from fakes.woocommerce import FakeWooCommerce
from integrations import tasks
from integrations.connecting import store_connect, store_prepare
from integrations.models import Store
from integrations.platforms.cartum.client import CartumClient
from integrations.platforms.shopify import queries
from integrations.webhook_address import public_url_problem
from integrations.webhook_subscriptions import store_webhooks_register
from orders.models import OrderType

pytestmark = pytest.mark.django_db
BASE = settings.ROAPP_PUBLIC_URL + "/hooks"  # where the tests' platforms are told to deliver (roapp/testenv.py)

FAKES = {
    "shopify": lambda: FakeShopify(token="shpat_test", restore_rate=100000),
    "woocommerce": FakeWooCommerce,
    "cartum": FakeCartum,
}
# What each fake platform holds: (topic, address) of every subscription, in its own terms.
HELD = {
    "shopify": lambda shop: sorted((s["topic"], s["uri"]) for s in shop.subscriptions.all()),
    "woocommerce": lambda shop: sorted((h["topic"], h["delivery_url"]) for h in shop.webhooks.values()),
    "cartum": lambda shop: sorted((h["event"], h["target_url"]) for h in shop.hooks.values()),
}


def drop_cartum(shop, client):
    """Deleted in Cartum's admin: Cartum sends DELETE to the subscribed address (here through the test client;
    test_webhook_subscriptions_live has the fake send it)."""
    target = urlsplit(shop.hooks.pop(min(shop.hooks))["target_url"])
    assert client.delete(f"{target.path}?{target.query}").status_code == 204


# Take one subscription away on the platform's side, as a merchant deleting it in the platform's admin would.
DROP = {
    "shopify": lambda shop, client: shop.subscriptions.delete(shop.subscriptions.all()[0]["id"]),
    "woocommerce": lambda shop, client: shop.webhooks.pop(min(shop.webhooks)),
    "cartum": drop_cartum,
}


def connect(platform, shop, capture, name="Shop"):
    """Connect as connect_store and the admin do; registration runs once the store is committed."""
    credentials = {"token": "shpat_test"} if platform == "shopify" else shop.credentials
    with capture(execute=True):
        store = store_connect(
            platform=platform,
            name=name,
            url=shop.url,
            credentials=credentials,
            webhook_secret="whsec_test" if platform == "shopify" else "",
            order_type=OrderType.objects.get(name="Online order"),
            backfill=False,
        )
    return Store.objects.get(pk=store.pk)


@pytest.fixture(params=sorted(FAKES))
def platform(request):
    return request.param


@pytest.fixture
def shop(platform):
    with FAKES[platform]() as fake:
        yield fake


def expected(platform, store):
    if platform == "shopify":
        return [("ORDERS_CREATE", f"{BASE}/{store.pk}/"), ("ORDERS_UPDATED", f"{BASE}/{store.pk}/")]
    if platform == "woocommerce":
        return [("order.created", f"{BASE}/{store.pk}/"), ("order.updated", f"{BASE}/{store.pk}/")]
    return [("order_created", f"{BASE}/{store.pk}/?key={store.webhook_secret}")]


def test_R48_connecting_registers_the_stores_webhooks_on_its_platform(
    platform, shop, django_capture_on_commit_callbacks
):
    store = connect(platform, shop, django_capture_on_commit_callbacks)
    assert HELD[platform](shop) == expected(platform, store)
    assert store.webhooks_missing == [] and store.webhooks_error == "" and store.healthy
    if platform != "shopify":  # the back-office made up the secret (Shopify signs with the app's own)
        assert len(store.webhook_secret) >= 32
    if platform == "woocommerce":
        [secret] = {h["secret"] for h in shop.webhooks.values()}
        assert secret == store.webhook_secret and {h["status"] for h in shop.webhooks.values()} == {"active"}


def test_R48_registering_again_never_makes_a_second_subscription(
    platform, shop, django_capture_on_commit_callbacks, client
):
    store = connect(platform, shop, django_capture_on_commit_callbacks)
    before = HELD[platform](shop)
    report = store_webhooks_register(store=store)
    assert report.created == [] and report.missing == [] and HELD[platform](shop) == before
    DROP[platform](shop, client)
    report = store_webhooks_register(store=store)
    assert len(report.created) == 1 and HELD[platform](shop) == before


def test_R48_store_webhooks_lists_exits_non_zero_while_one_is_missing_and_repairs(
    platform, shop, django_capture_on_commit_callbacks, capsys, client
):
    store = connect(platform, shop, django_capture_on_commit_callbacks)
    call_command("store_webhooks", "Shop")
    out = capsys.readouterr().out
    assert "present" in out and "missing" not in out and store.webhook_secret not in out  # Cartum's key stays hidden
    DROP[platform](shop, client)
    with pytest.raises(CommandError) as missing:
        call_command("store_webhooks", "Shop")
    assert "webhook subscription(s) missing" in str(missing.value) and "--repair" in str(missing.value)
    assert "\n" not in str(missing.value)
    call_command("store_webhooks", "Shop", "--repair")
    assert "created" in capsys.readouterr().out
    assert HELD[platform](shop) == expected(platform, store)
    call_command("store_webhooks", "Shop")
    with pytest.raises(CommandError, match="No store named 'Nope'"):
        call_command("store_webhooks", "Nope")


def test_R48_a_missing_subscription_is_a_health_alert_and_repair_webhooks_puts_it_back(
    platform, shop, django_capture_on_commit_callbacks, admin_client, client
):
    store = connect(platform, shop, django_capture_on_commit_callbacks)
    DROP[platform](shop, client)
    assert tasks.check_all_webhook_subscriptions() == "1 stores miss a webhook subscription"
    store.refresh_from_db()
    assert not store.healthy and [p["code"] for p in store.health_problems] == ["subscriptions"]
    banner = admin_client.get("/admin/").content.decode()
    assert "holds no webhook subscription for" in banner and "Repair webhooks" in banner

    action = {"action": "repair_webhooks", "_selected_action": [store.pk]}
    page = admin_client.post("/admin/integrations/store/", action, follow=True).content.decode()
    assert "webhooks registered on" in page
    store.refresh_from_db()
    assert store.healthy and store.webhooks_missing == [] and HELD[platform](shop) == expected(platform, store)


def test_R48_deleting_a_store_removes_its_subscriptions(
    platform, shop, django_capture_on_commit_callbacks, admin_client
):
    store = connect(platform, shop, django_capture_on_commit_callbacks)
    page = admin_client.post(f"/admin/integrations/store/{store.pk}/delete/", {"post": "yes"}, follow=True)
    assert (
        "Shop was deleted and its" in page.content.decode() and "webhook subscriptions removed" in page.content.decode()
    )
    assert not Store.objects.filter(pk=store.pk).exists() and HELD[platform](shop) == []


def test_R48_a_store_is_deleted_even_when_its_platform_cannot_be_reached(
    platform, django_capture_on_commit_callbacks, admin_client, settings
):
    settings.ROAPP_PLATFORM_BACKOFF_SECONDS = 0.01
    with FAKES[platform]() as shop:
        store = connect(platform, shop, django_capture_on_commit_callbacks)
    page = admin_client.post(f"/admin/integrations/store/{store.pk}/delete/", {"post": "yes"}, follow=True)
    text = page.content.decode()
    assert "Shop was deleted, but" in text and "could not be told to stop its webhooks" in text
    assert not Store.objects.filter(pk=store.pk).exists()


@pytest.mark.parametrize(
    ("public_url", "why"),
    [
        ("http://127.0.0.1:8000", "must start with https://"),
        ("https://localhost", "a private or local address the platform cannot reach"),
        ("https://10.0.0.7", "a private or local address the platform cannot reach"),
    ],
)
def test_R48_connecting_is_refused_while_platforms_could_not_reach_the_public_url(settings, public_url, why):
    settings.ROAPP_ALLOW_INSECURE_PLATFORM_URLS, settings.ROAPP_PUBLIC_URL = False, public_url
    with pytest.raises(ValidationError) as refused:
        store_prepare(
            platform="woocommerce",
            name="Shop",
            url="https://93.184.215.14",
            credentials={},
            order_type=OrderType.objects.get(name="Online order"),
        )
    [message] = refused.value.messages
    assert message.startswith(f"ROAPP_PUBLIC_URL ({public_url})") and why in message
    with pytest.raises(CommandError, match="ROAPP_PUBLIC_URL"):
        call_command(
            "connect_store",
            "--platform",
            "cartum",
            "--name",
            "Shop",
            "--url",
            "https://93.184.215.14",
            "--login",
            "api",
            "--password",
            "secret",
        )
    settings.ROAPP_PUBLIC_URL = "https://93.184.215.14"  # a public address is fine
    assert public_url_problem() == ""


def test_R48_cartum_holds_at_most_five_subscriptions_per_event(django_capture_on_commit_callbacks, admin_client):
    with FakeCartum() as shop:
        others = CartumClient(url=shop.url, **shop.credentials)
        for n in range(5):  # five other systems already listen to order_created
            others.webhooks_create(topic="order_created", address=f"https://crm{n}.example.com/hook")
        store = connect("cartum", shop, django_capture_on_commit_callbacks)
        assert store.webhooks_missing == ["order_created"] and "maximum of 5" in store.webhooks_error
        assert [p["code"] for p in store.health_problems] == ["subscriptions"]
        assert "The maximum of 5 subscriptions" in admin_client.get("/admin/").content.decode()
        assert len(shop.hooks) == 5 and all("crm" in h["target_url"] for h in shop.hooks.values())

        others.webhooks_delete(others_subscription(shop, 1))  # one of the others leaves: room for the store
        assert store_webhooks_register(store=store).complete
        assert expected("cartum", Store.objects.get(pk=store.pk))[0] in HELD["cartum"](shop)
        assert len(shop.hooks) == 5


def others_subscription(shop, number):
    from integrations.platforms.base import WebhookSubscription

    hook = shop.hooks[number]
    return WebhookSubscription(id=str(hook["id"]), topic=hook["event"], address=hook["target_url"])


def test_R48_a_read_only_woocommerce_key_says_that_webhooks_need_write(django_capture_on_commit_callbacks):
    with FakeWooCommerce() as shop:
        shop.key_permissions = "read"
        store = connect("woocommerce", shop, django_capture_on_commit_callbacks)
    assert store.webhooks_missing == ["order.created", "order.updated"]
    assert "creating webhooks needs an API key with Read/Write permission" in store.webhooks_error


@pytest.mark.parametrize("name", ["WebhookSubscriptions", "WebhookSubscriptionCreate", "WebhookSubscriptionDelete"])
def test_R48_the_shopify_webhook_documents_use_no_deprecated_field(name):
    document = parse(queries.ALL_QUERIES[name])
    assert validate(get_schema(), document, rules=[NoDeprecatedCustomRule]) == []
    assert "callbackUrl" not in queries.ALL_QUERIES[name]
