"""WooCommerce: the rules of RULES.md that differ by platform, proven on the docs' own payloads and the fake."""

import copy
import json
import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
import requests
from django.core.exceptions import ValidationError
from requests.auth import HTTPBasicAuth

from catalog.models import Category, Product
from contacts.models import Client
from fakes.fixtures import FIXTURES_DIR
from fakes.woocommerce import FakeWooCommerce, check_oauth_signature, sample_orders
from integrations import tasks
from integrations.connecting import store_prepare, two_calendar_months_before
from integrations.models import ImportLog
from integrations.platforms import PLATFORMS
from integrations.platforms.http import PlatformError
from integrations.platforms.signatures import hmac_sha256_base64
from integrations.platforms.woocommerce import categories
from integrations.platforms.woocommerce import client as woocommerce_client
from integrations.platforms.woocommerce.client import OAuth1OneLegged, WooCommerceClient, oauth_signature
from integrations.services import store_poll
from integrations.sync import import_payloads
from integrations.tests.contract import Harness
from integrations.tests.factories import StoreFactory
from integrations.tests.nodes import aware
from orders.models import Event, Order, OrderType, Status
from orders.services import order_set_status, order_write_off

FIXTURES = FIXTURES_DIR / "woocommerce"
NOW = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)
WOO = PLATFORMS["woocommerce"]


def fixture(name: str):
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


# What the platform contract (test_platform_contract.py) runs WooCommerce with.
CONTRACT = Harness(
    key="woocommerce",
    sample=sample_orders,
    credentials=lambda fake: fake.credentials,
    page_size=(woocommerce_client, "PER_PAGE"),
    fixture=lambda: fixture("wc_v3_order_retrieve.json"),
    fixture_expect=("727", "727", 2, "USD"),
    webhook_body=lambda: (FIXTURES / "wc_v3_order_retrieve.json").read_bytes(),
    webhook_order="727",
    sign=lambda body, secret: {"X-WC-Webhook-Signature": hmac_sha256_base64(secret=secret, body=body)},
)


def wc_order(order_id=727, *, status="processing", created="2026-11-20T10:00:00", currency="UAH", **fields) -> dict:
    """The docs' "Retrieve an order" example, moved into the backfill window and the back-office currency."""
    order = copy.deepcopy(fixture("wc_v3_order_retrieve.json"))
    order.update(
        id=order_id,
        number=str(order_id),
        status=status,
        currency=currency,
        date_created_gmt=created,
        date_modified_gmt=created,
    )
    order.update(fields)
    return order


def no_sleep(seconds):
    pass


@pytest.fixture
def shop():
    with FakeWooCommerce() as fake:
        yield fake


@pytest.fixture
def store(db, shop):
    store = StoreFactory(
        platform="woocommerce",
        name="Lviv Tees",
        url=shop.url,
        connected_at=NOW,
        backfill_since=two_calendar_months_before(NOW),
        poll_cursor=NOW,
    )
    store.credentials = shop.credentials
    store.save()
    return store


# --- mapping of the docs' own payloads -------------------------------------------------------------
def test_R17_R23_the_docs_order_maps_to_number_date_lines_and_client():
    remote = WOO.map_order(fixture("wc_v3_order_retrieve.json"))
    assert (remote.external_id, remote.number, remote.currency) == ("727", "727", "USD")
    assert remote.created_at == datetime(2017, 3, 22, 19, 28, 2, tzinfo=UTC)  # date_created_gmt, aware UTC
    assert [(li.name, li.quantity, li.price, li.sku, li.product_id) for li in remote.lines] == [
        ("Woo Single #1", Decimal("2"), Decimal("3.00"), "", "93"),
        ("Ship Your Idea – Color: Black, Size: M Test", Decimal("1"), Decimal("12.00"), "Bar3", "22"),  # &ndash;
    ]
    client = remote.client
    assert (client.first_name, client.last_name, client.email) == ("John", "Doe", "john.doe@example.com")
    assert client.phone == "(555) 555-5555"  # the docs' shipping has no phone: billing's (R23)
    assert remote.delivery is None and (remote.status, remote.finished) == ("processing", "")


def test_R23_the_phone_comes_from_shipping_before_billing():
    order = wc_order(shipping={**wc_order()["shipping"], "phone": "+380671234567"})
    assert WOO.map_order(order).client.phone == "+380671234567"


@pytest.mark.parametrize("status", ["completed", "cancelled", "refunded", "failed", "trash"])
def test_R3_finished_woocommerce_statuses(status):
    assert WOO.skip_in_backfill(WOO.map_order(wc_order(status=status))) == status


@pytest.mark.parametrize("status", ["pending", "processing", "on-hold"])
def test_R3_open_woocommerce_statuses_are_imported(status):
    assert WOO.skip_in_backfill(WOO.map_order(wc_order(status=status))) == ""


def test_R3_backfill_of_the_docs_list_skips_the_completed_order(db, settings):
    settings.ROAPP_CURRENCY = "USD"  # the docs' orders are in USD (R2 would refuse them otherwise)
    store = StoreFactory(platform="woocommerce", connected_at=aware("2017-03-23T00:00:00Z"))
    result = import_payloads(store=store, payloads=fixture("wc_v3_orders_list.json"))  # 727 processing, 723 completed
    assert (result.created, result.finished) == (1, 1)
    assert list(Order.objects.values_list("external_id", flat=True)) == ["727"]


def test_R4_a_finished_order_created_after_connecting_is_still_imported(store):
    assert import_payloads(store=store, payloads=[wc_order(status="completed", created="2026-11-24T09:00:00")]).created


# --- refusals (R10, R23, R40) ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"line_items": []}, "The order has no products, so it was not imported."),
        ({"billing": {}, "shipping": {}}, "The order has no client, so it was not imported."),
        (
            {"billing": {"first_name": "John", "email": "", "phone": ""}, "shipping": {"phone": ""}},
            "The client has neither an email nor a phone number, so the order was not imported.",
        ),
    ],
)
def test_R10_R23_refused_orders_are_logged_in_plain_words(store, change, reason):
    payload = wc_order(**change)
    result = import_payloads(store=store, payloads=[payload])
    assert result.skipped == 1 and not Order.objects.exists() and not Client.objects.exists()
    entry = ImportLog.objects.get(store=store, external_id="727")
    assert entry.reason == reason and entry.payload["id"] == 727  # kept for a retry (R40)


def test_R23_client_matched_by_email_when_no_phone(store):
    import_payloads(store=store, payloads=[wc_order(727)])
    no_phone = wc_order(728, billing={**wc_order()["billing"], "phone": "", "email": "JOHN.DOE@example.com"})
    import_payloads(store=store, payloads=[no_phone])
    assert Client.objects.count() == 1 and Order.objects.filter(client=Client.objects.get()).count() == 2


def test_R12_woocommerce_delivery_is_not_transferred(store):
    import_payloads(store=store, payloads=[wc_order()])  # the docs' order has a "Flat Rate" shipping line
    assert not Event.objects.filter(kind="delivery").exists()
    assert Order.objects.get().total == Decimal("18.00")  # 2 x 3 + 12: goods only (R5)


# --- products and categories (R15-R18) ----------------------------------------------------------------
def test_R17_sku_and_product_id_become_sku_and_code(store):
    import_payloads(store=store, payloads=[wc_order()])
    product = Product.objects.get(sku="Bar3")
    assert (product.name, product.code, product.unit) == ("Ship Your Idea – Color: Black, Size: M Test", "22", "pcs")


DOCS_TREE = categories.tree_from_api(fixture("wc_v3_product_categories_list.json"))


def cats(*names):
    by_name = {node.name: i for i, node in DOCS_TREE.items()}
    return [{"id": by_name[n], "name": n} for n in names]


@pytest.mark.parametrize(
    ("chosen", "expected"),
    [
        (cats("Clothing", "T-shirts"), ("Clothing", "T-shirts")),  # one hierarchy: the deepest
        (cats("T-shirts", "Hoodies"), ("Clothing", "Hoodies")),  # same level: the first alphabetically
        (cats("Singles", "Albums"), ("Music", "Albums")),
        (cats("T-shirts", "Posters"), ("Posters",)),  # different levels, different branches: the highest
        (cats("Clothing", "T-shirts", "Hoodies"), ("Clothing", "Hoodies")),  # the chain collapses first
        (cats("Music"), ("Music",)),
        ([], ()),
    ],
)
def test_R18_category_choice_on_the_docs_tree(chosen, expected):
    assert categories.choose(chosen, DOCS_TREE) == expected


def test_R18_category_choice_on_hand_built_trees():
    tree = {
        1: categories.Node("A"),
        2: categories.Node("B", 1),
        3: categories.Node("C", 2),
        4: categories.Node("b", 1),
        5: categories.Node("Z"),
        6: categories.Node("Y", 5),
    }
    pick = lambda *ids: categories.choose([{"id": i} for i in ids], tree)  # noqa: E731
    assert pick(1, 2, 3) == ("A", "B", "C")  # A > B > C, one branch: the deepest
    assert pick(4, 2) == ("A", "B")  # same level: alphabetically, whatever the case
    assert pick(3, 6) == ("Z", "Y")  # level 3 vs level 2 in other branches: the more general
    assert pick(3, 5) == ("Z",)
    assert categories.choose([{"id": 99, "name": "New &amp; hot"}], tree) == ("New & hot",)  # not in the tree yet


def test_R18_the_docs_product_lands_under_t_shirts(store, shop):
    product = fixture("wc_v3_product_retrieve.json")  # categories Clothing (9) and T-shirts (14)
    shop.products[product["id"]] = product
    line = {**wc_order()["line_items"][1], "product_id": product["id"]}
    shop.add_order(wc_order(line_items=[line]))
    client = WOO.client(store, sleep=no_sleep)
    import_payloads(store=store, payloads=client.orders_by_ids(["727"]))
    category = Product.objects.get().category
    assert (category.name, category.parent.name) == ("T-shirts", "Clothing")
    assert "Pellentesque habitant" in Product.objects.get().description  # HTML stripped (R17)


def test_R18_tree_read_once_per_client_and_products_once_per_page(store, shop):
    for n in range(3):
        line = {**wc_order()["line_items"][0], "product_id": 101 + n, "sku": f"S-{n}", "name": f"Item {n}"}
        shop.add_order(wc_order(800 + n, line_items=[line]))
    Category.objects.create(name="Hoodies")  # an existing category is reused, not duplicated
    client = WOO.client(store, sleep=no_sleep)
    pages = list(client.orders_created_since(aware("2026-11-01T00:00:00Z"))) + list(
        client.orders_created_since(aware("2026-11-01T00:00:00Z"))
    )
    paths = [urlsplit(p).path.rsplit("/wc/v3/", 1)[1] for _, p in shop.requests]
    assert paths.count("products/categories") == 1 and paths.count("products") == 1  # cached for the second pass
    import_payloads(store=store, payloads=pages[0].payloads)
    assert Category.objects.filter(name="Hoodies").count() == 1
    assert Product.objects.get(code="102").category.name == "Hoodies"


# --- status push (R9) -------------------------------------------------------------------------------------
@pytest.fixture
def imported(store, shop):
    shop.add_order(wc_order())
    import_payloads(store=store, payloads=[shop.get_order(727)])
    return Order.objects.get()


def puts(shop):
    return [p for method, p in shop.requests if method == "PUT"]


def complete(order, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        order_set_status(order=order, status=Status.objects.get(name="Completed"))
    return Event.objects.filter(order=order, kind="platform_push")


def test_R9_completed_but_not_written_off_is_not_pushed_and_the_feed_says_why(
    imported, shop, django_capture_on_commit_callbacks
):
    feed = complete(imported, django_capture_on_commit_callbacks)
    assert "not written off" in feed.get().text
    assert puts(shop) == [] and shop.get_order(727)["status"] == "processing"


def test_R9_completed_and_written_off_sets_completed_once(imported, shop, django_capture_on_commit_callbacks):
    order_write_off(order=imported)
    feed = complete(imported, django_capture_on_commit_callbacks)
    assert feed.get().text == "WooCommerce order 727 marked completed."
    assert len(puts(shop)) == 1 and shop.get_order(727)["status"] == "completed"
    assert WOO.push_status(Order.objects.get(), sleep=no_sleep) == ""  # already completed there: nothing sent
    assert len(puts(shop)) == 1


def test_R9_other_statuses_are_not_pushed(imported, shop, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        order_set_status(order=imported, status=Status.objects.get(name="In progress"))
    assert not Event.objects.filter(kind="platform_push").exists() and puts(shop) == []


def test_R9_the_pushed_status_does_not_come_back_as_a_change(imported, store, shop, django_capture_on_commit_callbacks):
    order_write_off(order=imported)
    complete(imported, django_capture_on_commit_callbacks)
    events = Event.objects.count()
    store.poll_cursor = aware("2026-11-20T10:00:00Z")
    result = store_poll(store=store)  # the PUT moved date_modified, so the poll sees the order again
    assert (result.unchanged, result.updated, result.frozen) == (1, 0, 0)
    assert Event.objects.count() == events and len(puts(shop)) == 1


# --- retries (R41) ---------------------------------------------------------------------------------------
def test_R41_429_5xx_and_truncated_json_are_retried_honouring_retry_after(shop):
    shop.add_order(wc_order())
    waits = []
    client = WooCommerceClient(url=shop.url, **shop.credentials, sleep=waits.append)
    shop.fail_next("429")
    shop.fail_next("5xx", 2)
    shop.fail_next("truncated")
    pages = list(client.orders_created_since(aware("2026-11-01T00:00:00Z")))
    assert [p["id"] for p in pages[0].payloads] == [727]
    assert shop.faults == ["429", "5xx", "5xx", "truncated"]
    assert waits[0] == pytest.approx(shop.fault_rates.retry_after)  # Retry-After, not a guess
    assert len(waits) == 4


def test_R41_gives_up_after_the_last_attempt(shop):
    shop.fail_next("5xx", 3)
    client = WooCommerceClient(url=shop.url, **shop.credentials, sleep=no_sleep, attempts=3)
    with pytest.raises(PlatformError, match="gave up after 3 attempts"):
        client.shop_info()


# --- connecting and auth (R1, R2) ------------------------------------------------------------------------
def test_R2_a_shop_in_another_currency_is_refused(db):
    with FakeWooCommerce(currency="USD") as usd:
        with pytest.raises(ValidationError, match="USD"):
            store_prepare(
                platform="woocommerce",
                name="USD shop",
                url=usd.url,
                credentials=usd.credentials,
                order_type=OrderType.objects.get(name="Online order"),
            )


def test_R1_plain_http_requests_carry_an_oauth1_signature_the_fake_checks_like_woocommerce(shop):
    assert WooCommerceClient(url=shop.url, **shop.credentials).shop_info().currency == "UAH"
    wrong = WooCommerceClient(url=shop.url, consumer_key="ck_test", consumer_secret="cs_wrong", sleep=no_sleep)
    with pytest.raises(PlatformError, match="401"):
        wrong.shop_info()
    signed = requests.Request("GET", f"{shop.url}/wp-json/wc/v3/orders?per_page=5").prepare()
    OAuth1OneLegged("ck_test", "cs_test")(signed)
    query = dict(parse_qsl(urlsplit(signed.url).query))
    assert {"oauth_consumer_key", "oauth_nonce", "oauth_timestamp", "oauth_signature"} <= set(query)
    assert query["oauth_signature_method"] == "HMAC-SHA256" and "oauth_version" not in query  # as WooCommerce wants
    tampered = signed.url.replace("per_page=5", "per_page=6")
    assert requests.get(tampered, timeout=5).status_code == 401
    assert requests.get(signed.url, timeout=5).status_code == 200
    assert requests.get(signed.url, timeout=5).status_code == 401  # the nonce was used: a replay is refused


def test_R1_client_signature_matches_woocommerces_own_check_on_awkward_values():
    params = [
        ("after", "2026-09-23T14:00:00"),
        ("search", "a b+c/ü~*"),
        ("include", "1,2"),
        ("oauth_consumer_key", "ck"),
        ("oauth_nonce", "n"),
        ("oauth_signature_method", "HMAC-SHA256"),
        ("oauth_timestamp", "1"),
    ]
    url = "http://shop.test:8080/wp-json/wc/v3/orders"
    signature = oauth_signature("GET", url, params, "cs_secret")
    assert check_oauth_signature("GET", url, {**dict(params), "oauth_signature": signature}, "cs_secret")
    assert not check_oauth_signature("PUT", url, {**dict(params), "oauth_signature": signature}, "cs_secret")


def test_R1_https_shops_get_basic_auth_which_woocommerce_takes_only_over_tls(shop):
    assert isinstance(
        WooCommerceClient(url="https://shop.example.com", consumer_key="k", consumer_secret="s").http.session.auth,
        HTTPBasicAuth,
    )
    basic = requests.get(f"{shop.url}/wp-json/wc/v3/orders", auth=("ck_test", "cs_test"), timeout=5)
    assert basic.status_code == 401  # plain http: WooCommerce ignores Basic
    shop.allow_basic = True
    assert requests.get(f"{shop.url}/wp-json/wc/v3/orders", auth=("ck_test", "cs_test"), timeout=5).status_code == 200


def test_R31_admin_order_url():
    store = StoreFactory.build(platform="woocommerce", url="https://shop.example.com/")
    assert WOO.admin_order_url(store, "727") == "https://shop.example.com/wp-admin/post.php?post=727&action=edit"


# --- webhooks (R42) --------------------------------------------------------------------------------------
@pytest.fixture
def hooked(store, monkeypatch):
    store.webhook_secret = "wc_secret"
    store.save()
    queued = []
    monkeypatch.setattr("integrations.task_queue.enqueue", lambda func, *args: queued.append((func, args)))
    return queued


def forward_to(client):
    """Deliver what the fake sends through Django's test client (webhooks.py, signature checks and all)."""

    def post(url, data=None, headers=None, timeout=None):
        headers = dict(headers or {})
        if isinstance(data, dict):  # the ping: a urlencoded form body (as requests sends it), no X-WC-* headers
            return client.post(
                urlsplit(url).path, data=urlencode(data), content_type="application/x-www-form-urlencoded"
            )
        content_type = headers.pop("Content-Type")
        meta = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()}
        return client.post(urlsplit(url).path, data=data, content_type=content_type, **meta)

    return post


def test_R42_a_delivery_signed_by_the_fake_is_accepted_once(client, store, shop, hooked, monkeypatch):
    monkeypatch.setattr("fakes.woocommerce.requests.post", forward_to(client))
    shop.add_order(wc_order())
    answer = shop.send_webhook(f"http://testserver/hooks/{store.pk}/", 727, "wc_secret")
    assert answer.status_code == 202
    assert hooked == [("integrations.tasks.drain_webhooks", (store.pk,))]
    assert list(store.webhook_deliveries.values_list("external_id", flat=True)) == ["727"]


def test_R42_unsigned_or_wrongly_signed_deliveries_get_401(client, store, hooked, monkeypatch):
    body = json.dumps({"id": 727}).encode()
    url = f"/hooks/{store.pk}/"
    assert client.post(url, data=body, content_type="application/json").status_code == 401
    bad = hmac_sha256_base64(secret="other", body=body)
    assert (
        client.post(url, data=body, content_type="application/json", HTTP_X_WC_WEBHOOK_SIGNATURE=bad).status_code == 401
    )
    assert hooked == []


def test_R42_a_signature_header_is_always_checked_by_the_shared_hmac_check(client, store, hooked):
    """Once X-WC-Webhook-Signature is there, only the shared HMAC check decides (signatures.py): a blank header,
    a store without a secret and a body signed with an empty key are refused, the right signature passes
    whatever whitespace surrounds it."""
    body = json.dumps({"id": 727}).encode()
    url = f"/hooks/{store.pk}/"

    def post(signature):
        return client.post(url, data=body, content_type="application/json", HTTP_X_WC_WEBHOOK_SIGNATURE=signature)

    assert post("   ").status_code == 401
    assert post(hmac_sha256_base64(secret="", body=body)).status_code == 401
    assert hooked == [] and not store.webhook_deliveries.exists()
    assert post(f" {hmac_sha256_base64(secret='wc_secret', body=body)}\t").status_code == 202
    store.webhook_secret = ""
    store.save()
    assert post(hmac_sha256_base64(secret="", body=body)).status_code == 401
    assert store.webhook_deliveries.count() == 1


def test_R42_the_ping_alone_passes_verification_and_names_no_order():
    ping = b"webhook_id=12"
    assert WOO.verify_webhook(secret="s", body=ping, headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert not WOO.verify_webhook(secret="s", body=ping, headers={"X-WC-Webhook-Topic": "order.created"})
    assert not WOO.verify_webhook(secret="s", body=b"webhook_id=12&id=727", headers={})
    assert not WOO.verify_webhook(secret="s", body=b'{"id": 727}', headers={})
    assert WOO.webhook_order_id(headers={"X-WC-Webhook-Resource": "product"}, payload={"id": 727}) == ""


def test_R42_the_ping_gets_a_2xx_so_woocommerce_keeps_the_webhook(client, store, shop, hooked, monkeypatch):
    monkeypatch.setattr("fakes.woocommerce.requests.post", forward_to(client))
    assert 200 <= shop.send_ping(f"http://testserver/hooks/{store.pk}/").status_code < 300


def test_R40_an_unreadable_order_is_logged_and_the_rest_of_the_page_lands(store):
    broken = wc_order(728, date_created_gmt=None)
    result = import_payloads(store=store, payloads=[broken, wc_order(727)])
    assert (result.failed, result.created) == (1, 1)
    assert ImportLog.objects.get(external_id="728").reason == "The order's date_created_gmt is missing."


def test_the_fake_answers_a_listing_page_again_from_memory_until_an_order_changes():
    from fakes.woocommerce import sample_orders

    with FakeWooCommerce(orders=sample_orders(30, seed=2, now=NOW, months=1)) as fake:
        client = WooCommerceClient(url=fake.url, **fake.credentials)
        pages = [[o["id"] for o in page.payloads] for page in client.orders_created_since(NOW.replace(year=2025))]
        again = [[o["id"] for o in page.payloads] for page in client.orders_created_since(NOW.replace(year=2025))]
        assert again == pages and sum(map(len, pages)) == 30
        newest = pages[0][0]
        fake.update_order(newest, status="on-hold")
        changed = next(iter(client.orders_created_since(NOW.replace(year=2025)))).payloads
    assert [o["status"] for o in changed if o["id"] == newest] == ["on-hold"]


def test_R4_a_woocommerce_poll_moves_its_cursor_only_once_complete_whatever_the_task_time(
    store, shop, settings, monkeypatch
):
    """WooCommerce pages a poll by creation date, not by change: a cursor moved mid-way could skip orders, so
    the poll runs to its end even when its task's time is up, and only then moves the cursor."""
    for order in sample_orders(150, seed=4, now=NOW + timedelta(days=1), months=1):
        order["date_modified_gmt"] = (NOW + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%S")
        shop.add_order(order)
    monkeypatch.setattr("integrations.prefetch.IMPORT_BATCH", 100)  # two batches: one page of 100 each
    settings.Q_CLUSTER = {**settings.Q_CLUSTER, "timeout": 0}  # the task's time is up after the first
    seen = sum(int(n) for n in re.findall(r"\d+", tasks.poll_store(store.pk)))
    store.refresh_from_db()
    assert seen == 150 and store.poll_cursor == NOW + timedelta(hours=1)
