"""Shopify apps made in the Dev Dashboard (R46), over real HTTP against the fake shop: the client credentials
grant on connecting, the token kept encrypted and never shown, renewed before it runs out and after a 401 (once
across workers), webhooks checked with the client secret; a token of an app created in the admin before 2026
keeps working."""

import io
import logging
import re
import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from fakes.shopify import FakeShopify
from integrations.models import Store
from integrations.platforms import PLATFORMS
from integrations.platforms.shopify import queries
from integrations.services import store_backfill, store_poll
from integrations.tests.nodes import order_node
from orders.models import Order, OrderType

CLIENT_ID, CLIENT_SECRET = "fake-client-id", "fake-client-secret"  # the fake's Dev Dashboard app
TOKEN_PATH = ("POST", "/admin/oauth/access_token")
GRAPHQL_PATH = ("POST", f"/admin/api/{queries.API_VERSION}/graphql.json")
TRANSACTIONAL = pytest.mark.django_db(transaction=True, serialized_rollback=True)  # workers see committed rows


@pytest.fixture
def shop():
    """A shop with only a Dev Dashboard app (no admin-made token) and one recent order."""
    created = (datetime.now(UTC) - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    with FakeShopify(token=None, orders=[order_node(1001, created=created)], restore_rate=100000) as fake:
        yield fake


def connect(shop, *extra, name="Dev Shop", client_secret=CLIENT_SECRET) -> str:
    out = io.StringIO()
    call_command(
        "connect_store",
        "--platform",
        "shopify",
        "--name",
        name,
        "--url",
        shop.url,
        "--client-id",
        CLIENT_ID,
        "--client-secret",
        client_secret,
        "--no-backfill",
        *extra,
        stdout=out,
    )
    return out.getvalue()


def set_token_expiry(store: Store, moment: datetime) -> dict:
    credentials = store.credentials
    store.credentials = {**credentials, "token_expires_at": moment.isoformat()}
    store.save(update_fields=["credentials_encrypted"])
    return credentials


# --- connecting ------------------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_R46_connect_store_obtains_a_token_with_the_client_credentials_grant_and_keeps_it_encrypted(shop, caplog):
    caplog.set_level(logging.DEBUG)
    output = connect(shop)
    store = Store.objects.get(name="Dev Shop")
    credentials = store.credentials
    assert credentials["client_id"] == CLIENT_ID and credentials["client_secret"] == CLIENT_SECRET
    assert shop.app.valid(credentials["token"]) and shop.app.granted == 1
    assert credentials["scope"] == "read_orders,read_all_orders,read_products,read_customers"
    lifetime = datetime.fromisoformat(credentials["token_expires_at"]) - datetime.now(UTC)
    assert timedelta(hours=23, minutes=59) < lifetime <= timedelta(hours=24)
    assert shop.requests[:2] == [TOKEN_PATH, GRAPHQL_PATH]  # the token first, then who the shop is
    # At rest the token and the secret are ciphertext only; they are never printed or logged.
    row = Store.objects.filter(pk=store.pk).values_list("credentials_encrypted", "webhook_secret_encrypted").get()
    for secret in (credentials["token"], CLIENT_SECRET):
        assert secret not in " ".join(row) and secret not in output and secret not in caplog.text
    assert store.webhook_secret == CLIENT_SECRET  # the app's client secret signs its webhooks
    assert "Connected Dev Shop" in output


@pytest.mark.django_db
def test_R46_a_wrong_client_secret_gets_a_one_line_reason_and_nothing_is_saved(shop):
    with pytest.raises(CommandError) as refused:
        connect(shop, client_secret="not-the-secret")
    message = str(refused.value)
    assert "\n" not in message and "not-the-secret" not in message
    assert "Shopify refused the app's client ID or client secret (HTTP 400)" in message
    assert not Store.objects.exists() and shop.app.granted == 0


@pytest.mark.django_db
def test_R46_an_app_without_the_scopes_the_import_needs_is_refused():
    with FakeShopify(token=None, scope="read_orders,read_products") as shop:
        with pytest.raises(CommandError, match="The app lacks the access scopes read_all_orders, read_customers"):
            connect(shop)
    assert not Store.objects.exists()


@pytest.mark.django_db
def test_R46_shopify_needs_the_client_id_and_secret_or_a_token_of_before_2026(shop):
    with pytest.raises(CommandError, match=r"Shopify needs --client-secret \(or --token\)\.$"):
        call_command("connect_store", "--platform", "shopify", "--name", "X", "--url", shop.url, "--client-id", "c")
    with pytest.raises(CommandError, match=r"Shopify needs --client-id, --client-secret \(or --token\)\.$"):
        call_command("connect_store", "--platform", "shopify", "--name", "X", "--url", shop.url)
    with pytest.raises(CommandError, match="signs its webhooks with its client secret"):
        connect(shop, "--webhook-secret", "another-secret")
    assert not Store.objects.exists()


def connect_form(url, **extra):
    return {
        "platform": "shopify",
        "name": "Dev Shop",
        "url": url,
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "order_type": OrderType.objects.get(name="Online order").pk,
        "identify_products_by": "sku",
        **extra,
    }


@pytest.mark.django_db
def test_R46_the_admin_connect_form_takes_the_client_id_and_secret(admin_client, shop):
    blank = admin_client.get("/admin/integrations/store/add/").content.decode()
    assert 'name="client_id"' in blank and 'name="client_secret"' in blank and 'name="token"' in blank
    # With the backfill: the preview first; the confirming submit comes back without the secret, as for any store.
    html = admin_client.post("/admin/integrations/store/add/", connect_form(shop.url, backfill="on")).content.decode()
    assert 'id="backfill-preview"' in html and CLIENT_SECRET not in html and not Store.objects.exists()
    preview_token = re.search(r'name="preview_token" value="([^"]+)"', html)[1]
    confirm = connect_form(shop.url, client_secret="", preview_token=preview_token, confirm="on")
    response = admin_client.post("/admin/integrations/store/add/", confirm)
    assert response.status_code == 302, response.content.decode()[:2000]
    store = Store.objects.get()
    assert store.credentials["client_secret"] == CLIENT_SECRET and shop.app.valid(store.credentials["token"])
    page = admin_client.get(f"/admin/integrations/store/{store.pk}/change/").content.decode()
    assert store.credentials["token"] not in page and CLIENT_SECRET not in page and "token_expires_at" not in page


@pytest.mark.django_db
def test_R46_the_admin_connect_form_shows_shopifys_refusal_and_saves_nothing(admin_client, shop):
    response = admin_client.post("/admin/integrations/store/add/", connect_form(shop.url, client_secret="wrong"))
    html = response.content.decode()
    assert response.status_code == 200 and "refused the app&#x27;s client ID or client secret" in html
    assert not Store.objects.exists()
    response = admin_client.post("/admin/integrations/store/add/", connect_form(shop.url, client_secret=""))
    assert "Required for this platform." in response.content.decode() and not Store.objects.exists()


# --- renewing ----------------------------------------------------------------------------------------------------
@TRANSACTIONAL
def test_R46_a_token_shopify_refuses_is_renewed_once_and_the_request_asked_again(shop):
    connect(shop)
    store = Store.objects.get()
    old = store.credentials["token"]
    shop.app.expire_all()  # Shopify no longer takes it (what a day without syncs, or a revocation, does)
    before = len(shop.requests)
    store_backfill(store=store)  # its pages are fetched in a thread of their own: it renews from there
    assert shop.requests[before : before + 3] == [GRAPHQL_PATH, TOKEN_PATH, GRAPHQL_PATH]
    assert shop.app.granted == 2 and Order.objects.filter(store=store).count() == 1
    renewed = Store.objects.get().credentials["token"]
    assert renewed != old and shop.app.valid(renewed)
    store_poll(store=Store.objects.get())
    assert shop.app.granted == 2  # the stored token serves the next sync


@TRANSACTIONAL
def test_R46_a_token_is_renewed_before_it_runs_out(shop):
    connect(shop)
    store = Store.objects.get()
    old = set_token_expiry(store, datetime.now(UTC) + timedelta(minutes=2))["token"]  # its last minutes
    before = len(shop.requests)
    store_poll(store=Store.objects.get())
    assert shop.requests[before : before + 2] == [TOKEN_PATH, GRAPHQL_PATH]  # renewed first: no 401 on the way
    credentials = Store.objects.get().credentials
    assert credentials["token"] != old and shop.app.valid(credentials["token"]) and shop.app.granted == 2
    assert datetime.fromisoformat(credentials["token_expires_at"]) > datetime.now(UTC) + timedelta(hours=23)


@TRANSACTIONAL
@pytest.mark.postgres
def test_R46_two_workers_renewing_at_once_ask_shopify_once():
    with FakeShopify(token=None, restore_rate=100000) as shop:
        shop.app.latency = 0.3  # Shopify's token answer takes a while: both workers are renewing at once
        connect(shop)
        shop.app.expire_all()
        start = threading.Barrier(2)
        answers, errors = [], []

        def worker():
            try:
                store = Store.objects.get(name="Dev Shop")  # each worker its own copy, token and connection
                start.wait(timeout=10)
                answers.append(PLATFORMS["shopify"].client(store).shop_info().domain)
            except Exception as exc:  # reported by the assertion below
                errors.append(exc)
            finally:
                connection.close()

        threads = [threading.Thread(target=worker) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    assert errors == [] and answers == ["demo-shop.myshopify.com"] * 2
    assert shop.requests.count(TOKEN_PATH) == 2  # connecting, then one renewal for both workers
    assert shop.app.valid(Store.objects.get().credentials["token"])


@pytest.mark.django_db
def test_R46_a_token_of_an_app_created_in_the_admin_before_2026_works_as_before():
    with FakeShopify(token="shpat_legacy") as shop:
        options = ["--token", "shpat_legacy", "--webhook-secret", "whsec_old", "--no-backfill"]
        call_command(
            "connect_store", "--platform", "shopify", "--name", "Old", "--url", shop.url, *options, stdout=io.StringIO()
        )
        store = Store.objects.get()
        assert store.credentials == {"token": "shpat_legacy"} and store.webhook_secret == "whsec_old"
        store_poll(store=store)
        assert TOKEN_PATH not in shop.requests and shop.app.granted == 0
        store.credentials = {"token": "revoked"}  # nothing to renew a fixed token with: the 401 stands
        with pytest.raises(Exception, match="access refused"):
            store_poll(store=store)
        assert TOKEN_PATH not in shop.requests


# --- webhooks ------------------------------------------------------------------------------------------------------
@TRANSACTIONAL
def test_R46_webhooks_of_a_dev_dashboard_app_are_verified_with_its_client_secret(shop, live_server):
    connect(shop)
    store = Store.objects.get()
    hook = f"{live_server.url}/hooks/{store.pk}/"
    [new] = shop.generate_orders(1)
    signed = shop.send_webhook(hook, order_id=new["legacyResourceId"], webhook_id="w-1")  # with the client secret
    assert signed.status_code == 202
    assert Order.objects.filter(store=store, external_id=new["legacyResourceId"]).exists()
    forged = shop.send_webhook(hook, order_id=new["legacyResourceId"], secret="whsec-other", webhook_id="w-2")
    assert forged.status_code == 401
