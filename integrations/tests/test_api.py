"""R56: the API shows what the admin shows about stores, waybills and import problems; read-only, with the
admin's permissions, and never a credential or a webhook secret.

The store is connected to the fake Shopify over real HTTP and its orders come in through the real backfill.
"""

import itertools
import json
import re
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import Permission, User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from apitokens.services import token_issue
from integrations.crypto import mask
from integrations.health.alerts import store_check_health, stores_needing_attention
from integrations.models import ImportLog, Store
from integrations.services import store_backfill
from integrations.tests.factories import ImportLogFactory, StoreFactory
from integrations.tests.nodes import order_node
from orders.models import Order, Waybill
from orders.tests.factories import OrderFactory, WaybillFactory

pytestmark = pytest.mark.django_db

TOKEN, SECRET = "shpat_test", "whsec_test"  # what conftest's shopify_store connects with
CARTUM_LOGIN, CARTUM_PASSWORD, CARTUM_SECRET = "cartum-manager-4417", "Cartum-pass-8841", "cartum-hook-5120"
TTN = "20450000012345"
ENDPOINTS = {"stores": "view_store", "waybills": "view_waybill", "import-problems": "view_importlog"}
SECRET_NAME = re.compile(r"credential|token|secret|password|key", re.IGNORECASE)
USER_NUMBERS = itertools.count()


def api_user(*codenames):
    """An API client acting, through a real token, as a new user holding exactly these permissions."""
    user = User.objects.create_user(f"api{next(USER_NUMBERS)}")  # a token, no password: no slow hashing
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_issue(user=user)[1]}")
    return client


def reader():
    return api_user("view_store", "view_importlog", "view_waybill", "view_order")


def now_iso(minutes_ago=0) -> str:
    return (datetime.now(UTC) - timedelta(minutes=minutes_ago)).strftime("%Y-%m-%dT%H:%M:%SZ")


def with_tracking(node: dict, number: str) -> dict:
    """The Shopify order node once fulfilled with a Nova Poshta tracking number."""
    info = {"company": "Nova Poshta", "number": number, "url": f"https://novaposhta.ua/tracking/?cargo_number={number}"}
    return {**node, "fulfillments": [{"id": "gid://shopify/Fulfillment/1", "trackingInfo": [info]}]}


@pytest.fixture
def backfilled(shopify_store, fake_shopify):
    """The store after its backfill: two orders in, one refused for its currency, one with a waybill."""
    fake_shopify.add_order(order_node(7001, created=now_iso(30), shipping_title="Укрпошта"))
    fake_shopify.add_order(order_node(7002, created=now_iso(20), currency="USD"))
    fake_shopify.add_order(with_tracking(order_node(7003, created=now_iso(10), shipping_title="Нова Пошта"), TTN))
    Store.objects.filter(pk=shopify_store.pk).update(contact_emails="ops@kyiv-cases.ua")
    store_backfill(store=Store.objects.get(pk=shopify_store.pk))
    return Store.objects.get(pk=shopify_store.pk)


# --- stores ---------------------------------------------------------------------------------------------
def test_R56_stores_list_and_detail_show_the_connection_backfill_sync_and_health(backfilled, admin_client):
    listing = reader().get("/api/stores/").json()
    assert listing["count"] == 1
    store = listing["results"][0]
    assert store == reader_detail(backfilled.pk)
    assert (store["id"], store["platform"], store["name"], store["url"]) == (
        backfilled.pk,
        "shopify",
        "Kyiv Cases",
        backfilled.url,
    )
    assert (store["enabled"], store["state"], store["order_type_name"]) == (True, "connected", "Online order")
    assert store["identify_products_by"] == "sku" and store["shop_domain"] == "kyiv-cases.myshopify.com"
    assert store["connected_at"] == iso(backfilled.connected_at)
    assert store["backfill"]["state"] == "done" and store["backfill"]["done"] == 3
    assert store["last_sync_at"] == iso(backfilled.last_sync_at) and store["last_sync_at"] is not None
    assert store["poll_cursor"] == iso(backfilled.poll_cursor) and store["last_webhook_at"] is None
    assert store["open_import_problems"] == 1
    assert store["health"] == {"state": "healthy", "problems": []}
    assert store["contact_emails"] == ["ops@kyiv-cases.ua"]
    assert store["api_budget"]["maximum"] == backfilled.api_budget_maximum > 0

    # The very words of the store list: backfill progress and the open problems' count.
    page = admin_client.get("/admin/integrations/store/").content.decode()
    assert store["backfill"]["progress"] in page and f">{store['open_import_problems']}</a>" in page


def reader_detail(pk) -> dict:
    response = reader().get(f"/api/stores/{pk}/")
    assert response.status_code == 200
    return response.json()


def iso(moment) -> str | None:
    """A datetime as DRF writes it in the API (the active time zone, ISO 8601)."""
    from rest_framework.fields import DateTimeField

    return DateTimeField().to_representation(moment) if moment else None


def test_R56_store_health_gives_the_reasons_the_banner_shows(backfilled, admin_client):
    Store.objects.filter(pk=backfilled.pk).update(
        last_sync_at=timezone.now() - timedelta(hours=2), consecutive_failures=3, last_error="HTTP 503 from Shopify"
    )
    assert store_check_health(store=backfilled) == "alerted"
    quiet = StoreFactory(name="Lviv Lamps", enabled=False, last_sync_at=timezone.now() - timedelta(days=9))
    fresh = StoreFactory(name="Odesa Tea", connected_at=timezone.now(), last_sync_at=timezone.now())
    client = reader()

    health = client.get(f"/api/stores/{backfilled.pk}/").json()["health"]
    assert health["state"] == "unhealthy"
    assert [p["code"] for p in health["problems"]] == ["stale", "failing"]
    [(_store, banner)] = stores_needing_attention()
    assert [p["message"] for p in health["problems"]] == banner
    assert "HTTP 503 from Shopify" in health["problems"][1]["message"]
    page = admin_client.get("/admin/").content.decode()
    assert all(reason in page for reason in banner)  # the banner on every admin page says the same

    assert client.get(f"/api/stores/{quiet.pk}/").json()["health"] == {"state": "disabled", "problems": []}
    assert client.get(f"/api/stores/{fresh.pk}/").json()["health"] == {"state": "healthy", "problems": []}
    by_health = {
        state: [s["name"] for s in client.get("/api/stores/", {"health": state}).json()["results"]]
        for state in ("healthy", "unhealthy", "disabled")
    }
    assert by_health == {"healthy": ["Odesa Tea"], "unhealthy": ["Kyiv Cases"], "disabled": ["Lviv Lamps"]}
    assert [s["name"] for s in client.get("/api/stores/", {"enabled": "false"}).json()["results"]] == ["Lviv Lamps"]
    assert client.get("/api/stores/", {"platform": "cartum"}).json()["count"] == 0


def test_R56_a_store_past_its_deadline_is_unhealthy_before_any_check_runs(backfilled):
    """As on the banner: when the workers (and so the checks) are down, the deadline still counts."""
    store_check_health(store=backfilled)
    Store.objects.filter(pk=backfilled.pk).update(stale_after=timezone.now() - timedelta(minutes=1))
    health = reader().get(f"/api/stores/{backfilled.pk}/").json()["health"]
    assert health["state"] == "unhealthy" and [p["code"] for p in health["problems"]] == ["stale"]


# --- credentials ------------------------------------------------------------------------------------------
def field_names(value):
    """Every key of an answer, except inside an import problem's payload (the platform's own order)."""
    if isinstance(value, dict):
        for name, item in value.items():
            yield name
            if name != "payload":
                yield from field_names(item)
    elif isinstance(value, list):
        for item in value:
            yield from field_names(item)


def test_R56_no_credential_or_secret_in_any_answer_or_in_the_schema(backfilled):
    cartum = StoreFactory(platform="cartum", name="Cartum Shop", url="https://shop.cartum.example")
    cartum.credentials = {"login": CARTUM_LOGIN, "password": CARTUM_PASSWORD}
    cartum.webhook_secret = CARTUM_SECRET
    cartum.save()
    ImportLogFactory(store=cartum)
    secrets = [TOKEN, SECRET, CARTUM_LOGIN, CARTUM_PASSWORD, CARTUM_SECRET]
    masked = [mask(value) for value in secrets] + ["•"]  # not even the admin's masked form
    client = reader()
    answers = []
    for endpoint in ENDPOINTS:
        listing = client.get(f"/api/{endpoint}/").json()
        assert listing["count"] >= 1
        answers.append(listing)
        answers += [client.get(f"/api/{endpoint}/{row['id']}/").json() for row in listing["results"]]
    text = json.dumps(answers, ensure_ascii=False)
    assert not [value for value in secrets + masked if value in text]
    assert not [name for name in field_names(answers) if SECRET_NAME.search(name)]

    schema = client.get("/api/schema/", {"format": "json"}).json()
    assert not [value for value in secrets if value in json.dumps(schema)]
    ours = {path: item for path, item in schema["paths"].items() if path.split("/")[2] in ENDPOINTS}
    assert len(ours) == 6
    names = [p["name"] for item in ours.values() for op in item.values() for p in op.get("parameters", [])]
    components = schema["components"]["schemas"]
    for component in ("Store", "Backfill", "Health", "HealthProblem", "ApiBudget", "Waybill", "ImportProblem"):
        names += list(components[component]["properties"])
    assert "health" in names and "payload" in names
    assert not [name for name in names if SECRET_NAME.search(name)]


# --- permissions and writes ----------------------------------------------------------------------------------
def test_R56_each_endpoint_needs_its_view_permission_like_the_admin(backfilled):
    waybill = Waybill.objects.get()
    ids = {"stores": backfilled.pk, "waybills": waybill.pk, "import-problems": ImportLog.objects.get().pk}
    for endpoint, codename in ENDPOINTS.items():
        for url in (f"/api/{endpoint}/", f"/api/{endpoint}/{ids[endpoint]}/"):
            assert APIClient().get(url).status_code == 401, url
            assert api_user("view_order").get(url).status_code == 403, url
            others = [c for c in ENDPOINTS.values() if c != codename]
            assert api_user(*others, "view_order").get(url).status_code == 403, url
            assert api_user(codename, "view_order").get(url).status_code == 200, url

    # Waybills show on the order's page: without view_order, the admin shows none and neither does the API.
    assert api_user("view_waybill").get("/api/waybills/").status_code == 403


def test_R56_the_endpoints_are_read_only(backfilled):
    waybill = Waybill.objects.get()
    problem = ImportLog.objects.get()
    everything = Permission.objects.filter(content_type__app_label__in=["integrations", "orders"])
    user = User.objects.create_user("writer")
    user.user_permissions.set(everything)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_issue(user=user)[1]}")
    superuser = APIClient()
    superuser.force_authenticate(User.objects.create_superuser("root"))
    body = {"name": "Renamed", "enabled": False, "number": "1", "reason": "x", "resolved": True}
    for api in (reader(), client, superuser):  # 405 whatever the permissions: never a 403 that invites a retry
        for endpoint, pk in (("stores", backfilled.pk), ("waybills", waybill.pk), ("import-problems", problem.pk)):
            assert api.post(f"/api/{endpoint}/", body, format="json").status_code == 405
            for method in (api.put, api.patch, api.delete):
                assert method(f"/api/{endpoint}/{pk}/", body, format="json").status_code == 405
    assert APIClient().post("/api/stores/", body, format="json").status_code == 401
    after = Store.objects.get(pk=backfilled.pk)
    assert (after.name, after.enabled) == ("Kyiv Cases", True)
    assert Waybill.objects.get().number == TTN and not ImportLog.objects.get().resolved


# --- waybills ------------------------------------------------------------------------------------------------
def test_R56_waybills_list_retrieve_and_filter(backfilled):
    imported = Waybill.objects.get()
    order = Order.objects.get(external_id="7003")
    other = WaybillFactory(order=OrderFactory(number="B-17"), status="9", status_text="Received")
    client = reader()

    listing = client.get("/api/waybills/").json()
    assert [w["number"] for w in listing["results"]] == [other.number, TTN]  # newest first, as the admin
    detail = client.get(f"/api/waybills/{imported.pk}/").json()
    assert detail == listing["results"][1]
    assert (detail["order"], detail["order_number"], detail["carrier"]) == (order.pk, order.number, "novaposhta")
    assert (detail["status"], detail["status_text"], detail["last_checked_at"]) == ("", "", None)
    assert detail["recipient_name"] == imported.recipient_name and detail["created_at"] == iso(imported.created_at)

    def numbers(**params):
        return [w["number"] for w in client.get("/api/waybills/", params).json()["results"]]

    assert numbers(order=order.pk) == [TTN]
    assert numbers(order_number="B-17") == [other.number]
    assert numbers(number=TTN) == [TTN]
    assert numbers(status="9") == [other.number]
    assert numbers(status="5") == []
    assert client.get("/api/waybills/", {"order": "not-a-number"}).status_code == 400
    assert client.get("/api/waybills/999999/").status_code == 404


# --- import problems -----------------------------------------------------------------------------------------
def test_R56_import_problems_list_retrieve_and_filter(backfilled, admin_client):
    problem = ImportLog.objects.get(store=backfilled)
    elsewhere = ImportLogFactory(store=StoreFactory(platform="woocommerce", name="Woo Shop"), resolved=True)
    client = reader()

    mine = client.get("/api/import-problems/", {"store": backfilled.pk}).json()
    assert mine["count"] == 1
    entry = mine["results"][0]
    assert entry == client.get(f"/api/import-problems/{problem.pk}/").json()
    assert (entry["store"], entry["store_name"], entry["platform"]) == (backfilled.pk, "Kyiv Cases", "shopify")
    assert entry["external_id"] == "7002" and "USD" in entry["reason"] and entry["count"] == 1
    assert entry["resolved"] is False and entry["payload"]["legacyResourceId"] == "7002"
    assert entry["created_at"] == iso(problem.created_at) and entry["last_seen_at"] == iso(problem.last_seen_at)
    assert entry["reason"] in admin_client.get(f"/admin/integrations/importlog/{problem.pk}/change/").content.decode()

    def external_ids(**params):
        return [p["external_id"] for p in client.get("/api/import-problems/", params).json()["results"]]

    assert sorted(external_ids()) == sorted(["7002", elsewhere.external_id])
    assert external_ids(platform="woocommerce") == [elsewhere.external_id]
    assert external_ids(resolved="false") == ["7002"]
    assert external_ids(external_id="7002") == ["7002"]
    assert external_ids(store=999999) == []  # no such store: nothing, not an error
    assert client.get("/api/import-problems/", {"store": "abc"}).status_code == 400
    ImportLog.objects.filter(pk=elsewhere.pk).update(last_seen_at=timezone.now() - timedelta(days=30))
    assert external_ids(seen_after=iso(timezone.now() - timedelta(days=1))) == ["7002"]
    assert external_ids(seen_after="2999-01-01T00:00:00+21:50") == []  # an offset PostgreSQL itself refuses
    assert client.get("/api/import-problems/", {"seen_after": "9999-12-31T23:00:00-10:00"}).status_code == 400


def test_R56_an_import_problem_seen_again_shows_its_count(backfilled, fake_shopify):
    from integrations.services import store_fetch_orders  # the refresh path records the same order again

    store_fetch_orders(store=backfilled, external_ids=["7002"])
    entry = reader().get("/api/import-problems/", {"external_id": "7002"}).json()["results"][0]
    assert entry["count"] == 2


# --- schema honesty and query counts -------------------------------------------------------------------------
def resolve(schema, node):
    """A property's schema with its $ref (or one-item allOf) followed; `nullable` beside the ref is kept."""
    while "$ref" in node or ("allOf" in node and len(node["allOf"]) == 1):
        nullable = node.get("nullable", False)
        target = node["$ref"] if "$ref" in node else node["allOf"][0]["$ref"]
        node = dict(schema["components"]["schemas"][target.rsplit("/", 1)[-1]])
        node["nullable"] = node.get("nullable", False) or nullable
    return node


def undeclared_nulls(schema, node, value, where=""):
    """Places where the answer holds a null the schema does not allow."""
    node = resolve(schema, node)
    if value is None:
        return [] if node.get("nullable") else [where]
    found = []
    if isinstance(value, dict) and "properties" in node:
        for name, item in value.items():
            assert name in node["properties"], f"{where}.{name} is not in the schema"
            found += undeclared_nulls(schema, node["properties"][name], item, f"{where}.{name}")
    elif isinstance(value, list) and "items" in node:
        for item in value:
            found += undeclared_nulls(schema, node["items"], item, f"{where}[]")
    return found


def test_R56_every_null_in_an_answer_is_declared_nullable_in_the_schema(backfilled):
    StoreFactory(name="Never synced")  # nothing known yet: no connection time, no sync, no budget
    ImportLogFactory(payload=None)
    WaybillFactory(number="", status="")
    client = reader()
    schema = client.get("/api/schema/", {"format": "json"}).json()
    components = {"stores": "Store", "waybills": "Waybill", "import-problems": "ImportProblem"}
    nulls = 0
    for endpoint, component in components.items():
        for row in client.get(f"/api/{endpoint}/").json()["results"]:
            ref = {"$ref": f"#/components/schemas/{component}"}
            assert undeclared_nulls(schema, ref, row, endpoint) == []
            nulls += json.dumps(row).count("null")
    assert nulls > 5  # the answers did hold nulls to check


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_R56_a_page_costs_the_same_queries_for_two_rows_or_twelve(endpoint, django_assert_max_num_queries):
    def add_rows(n):
        for _ in range(n):
            store = StoreFactory(last_sync_at=timezone.now())
            ImportLogFactory(store=store)
            WaybillFactory(order=OrderFactory(store=store, external_id=str(store.pk)))

    client = reader()
    add_rows(2)
    with CaptureQueriesContext(connection) as few:
        assert client.get(f"/api/{endpoint}/").json()["count"] == 2
    add_rows(10)
    with django_assert_max_num_queries(len(few)):
        assert client.get(f"/api/{endpoint}/").json()["count"] == 12
