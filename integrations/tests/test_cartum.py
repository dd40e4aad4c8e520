"""Cartum: the rules of RULES.md that differ by platform, proven on the docs' payloads and the fake."""

import copy
import json
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from catalog.models import Product
from contacts.models import Client
from fakes.cartum import FakeCartum, sample_orders
from fakes.fixtures import FIXTURES_DIR
from integrations.connecting import store_connect, two_calendar_months_before
from integrations.models import ImportLog, StatusMapping
from integrations.platforms import PLATFORMS
from integrations.platforms.cartum import client as cartum_client
from integrations.platforms.cartum.client import CartumClient
from integrations.platforms.cartum.mapping import split_name
from integrations.platforms.cartum.statuses import parse_statuses
from integrations.platforms.http import PlatformError
from integrations.services import store_backfill, store_poll
from integrations.sync import import_payloads
from integrations.tests.contract import Harness
from integrations.tests.factories import StoreFactory
from orders.models import Event, Order, OrderType, Status
from orders.services import order_set_status

FIXTURES = FIXTURES_DIR / "cartum"
NOW = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)
CARTUM = PLATFORMS["cartum"]


def fixture(name: str):
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


# What the platform contract (test_platform_contract.py) runs Cartum with; Cartum signs no webhook (no `sign`).
CONTRACT = Harness(
    key="cartum",
    sample=sample_orders,
    credentials=lambda fake: fake.credentials,
    page_size=(cartum_client, "PER_PAGE"),
    fixture=lambda: fixture("cartum_webhook_order_created_payload.json"),
    fixture_expect=("115", "115", 1, "UAH"),
    webhook_body=lambda: (FIXTURES / "cartum_webhook_order_created_payload.json").read_bytes(),
    webhook_order="115",
)


def cartum_order(order_id=115, *, status=1, created="2026-11-20 12:00:00", **fields) -> dict:
    """The docs' `order_created` body (the same fields `orders/get` lists), moved into the backfill window."""
    order = copy.deepcopy(fixture("cartum_webhook_order_created_payload.json"))
    order.update(order_id=order_id, stat_status=status, stat_created=created, **fields)
    return order


def no_sleep(seconds):
    pass


@pytest.fixture
def shop():
    with FakeCartum() as fake:
        yield fake


@pytest.fixture
def store(db, shop):
    store = StoreFactory(
        platform="cartum",
        name="Kharkiv Gadgets",
        url=shop.url,
        connected_at=NOW,
        backfill_since=two_calendar_months_before(NOW),
        poll_cursor=NOW,
    )
    store.credentials = shop.credentials
    store.webhook_secret = "cartum-key"
    store.save()
    CARTUM.on_connect(store)  # what store_connect does after saving (R9)
    return store


# --- mapping (R17, R20) ----------------------------------------------------------------------------------
def test_R17_R20_the_order_created_fixture_maps():
    remote = CARTUM.map_order(fixture("cartum_webhook_order_created_payload.json"))
    assert (remote.external_id, remote.number, remote.currency, remote.status) == ("115", "115", "UAH", "1")
    assert remote.created_at == datetime(2016, 12, 5, 13, 46, 40, tzinfo=UTC)  # 15:46:40 in Kyiv (inferred zone)
    (line,) = remote.lines
    assert (line.name, line.sku, line.product_id) == ('MacBook Air 11.6" 128 GB, Green', "MJVM2UAA", "")
    assert (line.quantity, line.price) == (Decimal("1"), Decimal("31799.00"))
    client = remote.client
    assert (client.first_name, client.last_name) == ("sdbgdasgdasg", "")  # one word: all of it is the first name
    assert (client.phone, client.email) == ("+38 (012) 421-42-14", "dasgdsga@zz.cc")
    assert (remote.delivery.service, remote.delivery.cost, remote.delivery.address) == (
        "Local pickup",
        Decimal("0.00"),
        "Kyiv",
    )
    assert remote.finished == ""  # status 1 (New)


@pytest.mark.parametrize(
    ("full", "first", "last"),
    [
        ("Олена Шевченко", "Олена", "Шевченко"),
        ("Анна Марія Коваль", "Анна", "Марія Коваль"),  # the rest is the last name
        ("  Олена   Шевченко ", "Олена", "Шевченко"),
        ("Олена", "Олена", ""),
        ("", "", ""),
    ],
)
def test_R20_one_full_name_is_split_at_the_first_space(full, first, last):
    assert split_name(full) == (first, last)


def test_R17_article_becomes_the_sku_and_the_code_stays_empty(store):
    import_payloads(store=store, payloads=[cartum_order()])
    product = Product.objects.get()
    assert (product.name, product.sku, product.code, product.unit) == (
        'MacBook Air 11.6" 128 GB, Green',
        "MJVM2UAA",
        "",
        "pcs",
    )


def test_R20_R21_client_reused_by_phone_in_any_notation_then_by_email(store):
    import_payloads(
        store=store, payloads=[cartum_order(1, delivery_name="Олена Шевченко", delivery_phone="067 123 45 67")]
    )
    import_payloads(store=store, payloads=[cartum_order(2, delivery_phone="+380671234567", delivery_email="x@zz.cc")])
    import_payloads(store=store, payloads=[cartum_order(3, delivery_phone="", delivery_email="DASGDSGA@zz.cc")])
    client = Client.objects.get()
    assert (client.first_name, client.last_name, client.phone) == ("Олена", "Шевченко", "+380671234567")
    assert Order.objects.filter(client=client).count() == 3


def test_R2_an_order_in_another_currency_is_refused_and_logged(store):
    result = import_payloads(store=store, payloads=[cartum_order(currency="EUR")])
    assert result.skipped == 1 and not Order.objects.exists()
    assert "EUR" in ImportLog.objects.get(external_id="115").reason


def test_R12_delivery_is_a_comment_and_a_changed_address_adds_one(store):
    import_payloads(store=store, payloads=[cartum_order()])
    feed = Event.objects.filter(kind="delivery")
    assert feed.get().text == "Delivery: Local pickup; cost: 0.00 UAH; address: Kyiv"
    moved = cartum_order(
        delivery_type={"id": 2, "title": "Укрпошта"}, delivery_address="вул. Січова@12", delivery_price=-1
    )
    import_payloads(store=store, payloads=[moved])
    assert feed.count() == 2 and feed.last().text == "Delivery: Укрпошта; address: Kyiv, вул. Січова, 12"  # -1: no cost


# --- finished orders (R3) ----------------------------------------------------------------------------------
def test_R3_the_statuses_fixture_flags_delivered_as_successful():
    statuses = parse_statuses(fixture("cartum_orders_get_available_statuses_response.json")["response"])
    assert [(s.id, s.title, s.is_successful) for s in statuses] == [
        ("1", "New", False),
        ("2", "Processing", False),
        ("3", "Delivered", True),
        ("4", "Canceled", False),
        ("6", "Shipping", False),
    ]


def test_R3_backfill_skips_orders_delivered_before_connecting(store, shop):
    shop.add_order(cartum_order(1, status=3, created="2026-10-01 10:00:00"))  # delivered before: skipped
    shop.add_order(cartum_order(2, status=2, created="2026-10-02 10:00:00"))  # in process: imported
    shop.add_order(cartum_order(3, status=1, created="2026-09-01 10:00:00"))  # before the window: not asked for
    shop.add_order(cartum_order(4, status=3, created="2026-11-23 18:00:00"))  # delivered after connecting (R4)
    result = store_backfill(store=store)
    assert (result.created, result.finished) == (2, 1)
    assert sorted(Order.objects.values_list("external_id", flat=True)) == ["2", "4"]


def test_R3_finished_comes_from_is_successful_never_from_a_title(store, shop, monkeypatch):
    monkeypatch.setattr(
        "fakes.cartum.STATUSES",
        {
            "1": {"id": 1, "title": {"en": "New"}, "is_successful": 0},
            "3": {"id": 3, "title": {"en": "Delivered"}, "is_successful": 0},  # renamed meaning, same title
            "7": {"id": 7, "title": {"ua": "Отримано"}, "is_successful": 1},
        },
    )
    shop.add_order(cartum_order(1, status=3, created="2026-10-01 10:00:00"))
    shop.add_order(cartum_order(2, status=7, created="2026-10-01 11:00:00"))
    result = store_backfill(store=store)
    assert (result.created, result.finished) == (1, 1)
    assert Order.objects.get().external_id == "1"


# --- status sync both ways (R9) ------------------------------------------------------------------------------
def test_R9_connecting_creates_the_default_status_mapping_reusing_statuses_of_the_same_meaning(db, shop):
    online = OrderType.objects.get(name="Online order")
    store = store_connect(
        platform="cartum",
        name="Odesa Shoes",
        url=shop.url,
        credentials=shop.credentials,
        order_type=online,
        backfill=False,
    )
    mapping = {m.platform_status: (m.platform_title, m.status) for m in StatusMapping.objects.filter(store=store)}
    assert mapping["1"] == ("New", online.initial_status)
    assert mapping["3"][1].name == "Completed" and mapping["3"][1].is_completed
    # "Processing" and "Canceled" mean the back-office's own "In progress" and "Cancelled": no near-duplicates.
    assert {k: (t, s.name) for k, (t, s) in mapping.items() if k in ("2", "4", "6")} == {
        "2": ("Processing", "In progress"),
        "4": ("Canceled", "Cancelled"),
        "6": ("Shipping", "Shipping"),
    }
    assert not Status.objects.filter(name__in=["Processing", "Canceled"]).exists()
    CARTUM.on_connect(store)  # again: nothing new, nothing changed
    assert StatusMapping.objects.filter(store=store).count() == 5


def test_R9_a_status_from_cartum_arrives_through_the_mapping_and_is_not_echoed(
    store, shop, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        import_payloads(store=store, payloads=[cartum_order(status=6)])
    order = Order.objects.get()
    assert order.status.name == "Shipping"
    assert Event.objects.get(kind="status").text == "Status changed: New -> Shipping (from the online store)"
    assert shop.updates == [] and not Event.objects.filter(kind="platform_push").exists()


def test_R9_round_trip_pushes_once_and_the_next_poll_changes_nothing(store, shop, django_capture_on_commit_callbacks):
    shop.add_order(cartum_order(status=1))
    store_backfill(store=store)
    order = Order.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        order_set_status(order=order, status=Status.objects.get(name="In progress"))  # mapped to Cartum's Processing
    assert shop.updates == [{"order_id": 115, "status": 2}] and shop.get_order(115)["stat_status"] == 2
    assert Event.objects.get(kind="platform_push").text == "Cartum order 115 set to Processing."
    events = Event.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        result = store_poll(store=store)  # Cartum now says 2, which is where the order already is
    assert result.seen == 1 and Event.objects.count() == events and len(shop.updates) == 1
    shop.update_order(115, stat_status=6)  # the merchant ships it in Cartum
    with django_capture_on_commit_callbacks(execute=True):
        store_poll(store=store)
    assert Order.objects.get().status.name == "Shipping" and len(shop.updates) == 1  # not echoed back


def test_R9_a_status_without_a_cartum_counterpart_sends_nothing(store, shop, django_capture_on_commit_callbacks):
    import_payloads(store=store, payloads=[cartum_order()])
    with django_capture_on_commit_callbacks(execute=True):
        order_set_status(order=Order.objects.get(), status=Status.objects.create(name="Waiting for parts"))
    assert shop.updates == [] and not Event.objects.filter(kind="platform_push").exists()


def test_R9_a_status_cartum_refuses_is_reported_in_the_feed(store, shop, django_capture_on_commit_callbacks):
    shop.add_order(cartum_order())
    import_payloads(store=store, payloads=[cartum_order()])
    archived = Status.objects.create(name="Archived")
    StatusMapping.objects.create(store=store, platform_status="77", platform_title="Archived", status=archived)
    with django_capture_on_commit_callbacks(execute=True):
        order_set_status(order=Order.objects.get(), status=archived)
    assert Event.objects.get(kind="platform_push").text == (
        "Cartum did not accept the status Archived: status is not defined or defined incorrectly"
    )


# --- tokens and retries (R41) --------------------------------------------------------------------------------
def test_R41_a_token_refused_early_means_one_new_login_and_the_call_repeated(shop):
    shop.add_order(cartum_order())
    client = CartumClient(url=shop.url, **shop.credentials, sleep=no_sleep)
    assert [o["order_id"] for o in client.orders_by_ids(["115"])] == [115]
    shop.expire_tokens()
    assert [o["order_id"] for o in client.orders_by_ids(["115"])] == [115]
    assert (client.logins, shop.logins) == (2, 2)


def test_R41_a_token_near_its_600_seconds_is_renewed_before_use(shop):
    now = [0.0]
    client = CartumClient(url=shop.url, **shop.credentials, sleep=no_sleep, clock=lambda: now[0])
    client.statuses()
    now[0] = 541.0
    client.orders_by_ids(["1"])
    assert client.logins == 2


def test_R41_a_token_refused_twice_fails_plainly(db):
    with FakeCartum(token_lifetime=0) as shop:
        client = CartumClient(url=shop.url, **shop.credentials, sleep=no_sleep)
        with pytest.raises(PlatformError, match="UNAUTHORIZED"):
            client.orders_by_ids(["1"])
        assert client.logins == 2


def test_R1_a_wrong_password_is_refused_without_echoing_it(shop):
    client = CartumClient(url=shop.url, login="api", password="hunter2-secret", sleep=no_sleep)
    with pytest.raises(PlatformError) as refused:
        client.shop_info()
    assert "refused" in str(refused.value) and "hunter2" not in str(refused.value)


def test_R41_429_5xx_and_truncated_json_are_retried(store, shop):
    shop.add_order(cartum_order())
    waits = []
    client = CartumClient(url=shop.url, **shop.credentials, sleep=waits.append)
    shop.fail_next("429")
    shop.fail_next("5xx")
    shop.fail_next("truncated")
    assert [o["order_id"] for o in client.orders_by_ids(["115"])] == [115]
    assert shop.faults == ["429", "5xx", "truncated"] and waits[0] == pytest.approx(shop.fault_rates.retry_after)


def test_R4_the_poll_rereads_recent_orders_because_cartum_has_no_changed_since_filter(store, shop):
    shop.add_order(cartum_order(status=1, created="2026-10-01 10:00:00"))
    store_backfill(store=store)
    shop.update_order(115, stat_status=6)
    store_poll(store=store)  # poll_cursor is the connection moment; the order is older than that
    assert Order.objects.get().status.name == "Shipping"


# --- webhooks and admin link ------------------------------------------------------------------------------------
def test_R42_order_created_is_taken_as_a_hint_to_fetch_the_order(client, store, monkeypatch):
    queued = []
    monkeypatch.setattr("integrations.task_queue.enqueue", lambda func, *args: queued.append((func, args)))
    body = (FIXTURES / "cartum_webhook_order_created_payload.json").read_bytes()
    hook = f"/hooks/{store.pk}/?key=cartum-key"
    assert client.post(hook, data=body, content_type="application/json").status_code == 202
    assert queued == [("integrations.tasks.drain_webhooks", (store.pk,))]
    assert list(store.webhook_deliveries.values_list("external_id", flat=True)) == ["115"]
    assert client.post(hook, data=b"not json", content_type="application/json").status_code == 401
    assert client.post(hook, data=b'{"id": 1}', content_type="application/json").status_code == 401
    # Cartum signs nothing, so the secret key in the address is what authenticates a delivery (R42).
    assert client.post(f"/hooks/{store.pk}/", data=body, content_type="application/json").status_code == 401
    assert client.post(f"/hooks/{store.pk}/?key=guess", data=body, content_type="application/json").status_code == 401


def test_R42_order_created_arrives_by_put(client, store, monkeypatch):
    monkeypatch.setattr("integrations.task_queue.enqueue", lambda func, *args: None)
    body = (FIXTURES / "cartum_webhook_order_created_payload.json").read_bytes()
    assert (
        client.put(f"/hooks/{store.pk}/?key=cartum-key", data=body, content_type="application/json").status_code == 202
    )
    assert client.delete(f"/hooks/{store.pk}/").status_code == 204  # Cartum's notice that it unsubscribed


def test_R31_admin_link_points_at_the_cartum_admin_and_carries_the_order():
    store = StoreFactory.build(platform="cartum", url="https://gadgets.example.ua/")
    assert CARTUM.admin_order_url(store, "115") == "https://gadgets.example.ua/edit/?order_id=115"


class OldCartum(FakeCartum):
    """A shop older than 4.0: `orders/get_available_statuses` is not there."""

    def handle(self, method, path, headers, body):
        if "get_available_statuses" in path and json.loads(body).get("token") in self.tokens:
            return 200, {"Content-Type": "application/json"}, b'{"status": "UNDEFINED_FUNCTION", "response": {}}'
        return super().handle(method, path, headers, body)


def test_R3_a_shop_without_the_statuses_function_gets_the_documented_defaults(db):
    with OldCartum() as shop:
        statuses = CartumClient(url=shop.url, **shop.credentials, sleep=no_sleep).statuses()
    assert [(s.id, s.is_successful) for s in statuses] == [
        ("1", False),
        ("2", False),
        ("3", True),
        ("4", False),
        ("6", False),
    ]


def test_R41_a_failing_statuses_call_fails_the_sync_instead_of_guessing(shop):
    client = CartumClient(url=shop.url, **shop.credentials, sleep=no_sleep, attempts=2)
    client.call("orders/get", {"ids": [0], "limit": 1})  # logged in; the next call is the statuses one
    shop.fail_next("5xx", 2)
    with pytest.raises(PlatformError, match="gave up"):
        client.statuses()
