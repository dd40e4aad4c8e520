"""Backfill preview (R45): counted from the platform, shown before the first backfill, writing nothing."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.apps import apps
from django.core.management import call_command

from catalog.models import Product
from contacts.models import Client
from fakes.woocommerce import FakeWooCommerce
from fakes.woocommerce import order as wc_order
from integrations.connecting import store_prepare
from integrations.health.preview import store_backfill_preview
from integrations.models import Store
from integrations.tests.nodes import order_node
from orders.models import Order, OrderType

pytestmark = pytest.mark.django_db


def row_counts() -> dict[str, int]:
    """Every table's row count, every model of every app (django-q, sessions and auth included)."""
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def person(first="Olena", email=""):
    return {"first": first, "last": "Shevchenko", "email": email}


def line(n, sku, name="Item", pid=101):
    return {
        "id": n,
        "name": name,
        "product_id": pid,
        "variation_id": 0,
        "quantity": 1,
        "subtotal": "100.00",
        "total": "100.00",
        "sku": sku,
        "price": 100.0,
        "meta_data": [],
    }


@pytest.fixture
def woo_shop(db):
    """Seven orders: 3 to import, one each finished, in USD, without contact, and one older than the window."""
    now = datetime.now(UTC).replace(microsecond=0, tzinfo=None)
    day, old = now - timedelta(days=3), now - timedelta(days=90)
    Client.objects.create(first_name="Iryna", email="iryna@example.com")
    Product.objects.create(name="Album", sku="AL-001")
    orders = [
        wc_order(1001, day, day, "processing", person(), "067 111 22 33", [line(1, "TS-001")], "UAH"),
        wc_order(1002, day, day, "on-hold", person(), "+380671112233", [line(2, "HD-001")], "UAH"),  # same client
        wc_order(1003, day, day, "completed", person("Taras"), "0501234567", [line(3, "TS-001")], "UAH"),
        wc_order(1004, day, day, "processing", person("Dmytro"), "0631234567", [line(4, "PS-001")], "USD"),
        wc_order(1005, day, day, "processing", person("Maria"), "", [line(5, "SG-001")], "UAH"),
        wc_order(1006, day, day, "processing", person("Iryna", "iryna@example.com"), "", [line(6, "AL-001")], "UAH"),
        wc_order(1007, old, old, "processing", person(), "0671112233", [line(7, "KT-001")], "UAH"),
    ]
    with FakeWooCommerce(orders=orders) as shop:
        yield shop


def prepare(shop):
    return store_prepare(
        platform="woocommerce",
        name="Kyiv Woo",
        url=shop.url,
        credentials=shop.credentials,
        order_type=OrderType.objects.get(name="Online order"),
    )


def test_R45_preview_counts_skips_and_new_vs_matched_and_writes_nothing(woo_shop):
    before = row_counts()
    preview = store_backfill_preview(store=prepare(woo_shop))
    assert row_counts() == before  # not a single row anywhere

    assert (preview.orders, preview.to_import) == (6, 3)  # 1007 is older than the two-month window
    assert dict(preview.skipped) == {"finished": 1, "currency": 1, "no_contact": 1}
    assert (preview.clients_new, preview.clients_matched) == (1, 1)  # 1001 and 1002 are one new person
    assert (preview.products_new, preview.products_matched) == (2, 1)  # TS-001, HD-001 new; AL-001 known
    text = preview.as_text()
    for words in (
        "Would be imported",
        "Skipped: finished before connecting",
        "Skipped: in another currency",
        "Skipped: no client email or phone",
        "Clients: new",
        "Products: already in the catalog",
    ):
        assert words in text


def test_R45_preview_matches_what_the_backfill_then_does(woo_shop):
    from integrations.connecting import store_save_new
    from integrations.services import store_backfill

    preview = store_backfill_preview(store=prepare(woo_shop))
    clients, products = Client.objects.count(), Product.objects.count()
    store = store_save_new(store=prepare(woo_shop), backfill=False)
    result = store_backfill(store=store)
    assert result.created == preview.to_import and result.finished == preview.skipped["finished"]
    assert result.skipped == preview.skipped["currency"] + preview.skipped["no_contact"]
    assert Client.objects.count() - clients == preview.clients_new
    assert Product.objects.count() - products == preview.products_new


def test_R45_connect_store_preview_prints_and_saves_nothing(woo_shop, capsys):
    before = row_counts()
    call_command(
        "connect_store",
        "--platform",
        "woocommerce",
        "--name",
        "Kyiv Woo",
        "--url",
        woo_shop.url,
        "--consumer-key",
        "ck_test",
        "--consumer-secret",
        "cs_test",
        "--preview",
    )
    out = capsys.readouterr().out
    assert row_counts() == before and not Store.objects.exists()
    assert re.search(r"Would be imported\s+3", out) and re.search(r"Clients: new\s+1", out)
    assert "Nothing was saved" in out and "cs_test" not in out


def connect_form(url, **extra):
    return {
        "platform": "shopify",
        "name": "Kyiv Cases",
        "url": url,
        "token": "shpat_test",
        "webhook_secret": "whsec",
        "order_type": OrderType.objects.get(name="Online order").pk,
        "identify_products_by": "sku",
        "backfill": "on",
        **extra,
    }


def test_R45_admin_connect_shows_the_preview_and_saves_only_after_confirming(
    admin_client, fake_shopify, django_capture_on_commit_callbacks
):
    fake_shopify.add_order(
        order_node(7001, created=(datetime.now(UTC) - timedelta(days=5)).strftime("%Y-%m-%dT%H:%M:%SZ"))
    )
    fake_shopify.add_order(order_node(7002, created="2020-01-01T10:00:00Z"))  # outside the window
    blank = admin_client.get("/admin/integrations/store/add/").content.decode()
    assert 'type="hidden" name="confirm"' in blank and "backfill-preview" not in blank  # nothing to confirm yet
    before = row_counts()
    response = admin_client.post("/admin/integrations/store/add/", connect_form(fake_shopify.url))
    html = response.content.decode()
    assert response.status_code == 200 and not Store.objects.exists()
    assert 'id="backfill-preview"' in html and re.search(r"Would be imported</th><td>1<", html)
    assert 'type="checkbox" name="confirm"' in html and "shpat_test" not in html  # the secret is never shown back (R1)
    counts = row_counts()
    assert {k: v for k, v in counts.items() if counts[k] != before[k]}.keys() <= {"sessions.Session"}

    # The browser sends the form back without the secrets; the session kept them for this shop only.
    token = re.search(r'name="preview_token" value="([^"]+)"', html)[1]
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            "/admin/integrations/store/add/",
            connect_form(fake_shopify.url, token="", webhook_secret="", preview_token=token, confirm="on"),
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    store = Store.objects.get()
    assert store.credentials == {"token": "shpat_test"} and store.webhook_secret == "whsec"
    assert store.backfill_state == "done" and Order.objects.filter(store=store).count() == 1


def test_R45_the_stashed_secrets_serve_only_the_same_shop(admin_client, fake_shopify):
    html = admin_client.post("/admin/integrations/store/add/", connect_form(fake_shopify.url)).content.decode()
    token = re.search(r'name="preview_token" value="([^"]+)"', html)[1]
    other = fake_shopify.url.replace("127.0.0.1", "localhost")
    response = admin_client.post(
        "/admin/integrations/store/add/", connect_form(other, token="", preview_token=token, confirm="on")
    )
    assert "Required for this platform." in response.content.decode() and not Store.objects.exists()


def test_R45_without_a_backfill_there_is_nothing_to_preview(admin_client, fake_shopify):
    form = connect_form(fake_shopify.url)
    del form["backfill"]
    assert admin_client.post("/admin/integrations/store/add/", form).status_code == 302
    assert Store.objects.get().backfill_state == "skipped"
