"""The fake Shopify Admin GraphQL API: protocol, pagination, search, cost, faults, fixtures, webhooks, sample data.

Everything goes over real HTTP with the client's own query documents, so these tests pin the contract the
Shopify client and the importer are built against. No database is needed.
"""

import base64
import hashlib
import hmac
import json
from collections import Counter, defaultdict
from datetime import UTC, datetime

import pytest
import requests
from django.core.management import call_command
from django.core.management.base import CommandError

from fakes.fixtures import FIXTURES_DIR
from fakes.management.commands.fake_platform import Command
from fakes.registry import FAKES
from fakes.server import FakeServer, Faults
from fakes.shopify import FakeShopify
from fakes.shopify_orders import load_orders_dir, orders_in_document, rest_order_to_graphql
from fakes.shopify_resolvers import QueryRoot, ResolveContext, lean_executor
from fakes.shopify_samples import sample_orders
from fakes.shopify_schema import prepare
from integrations.platforms.shopify import queries

FIXTURES = FIXTURES_DIR / "shopify"
NOW = datetime(2026, 9, 30, 12, 0, tzinfo=UTC)
FAST = {"restore_rate": 1e9}  # an always-full bucket, for tests not about throttling

# The client's node fields with a small page: the client's ORDERS_PER_PAGE is about the limit, these tests are not.
LIGHT_ORDERS = """
query Orders($first: Int!, $after: String, $query: String, $sortKey: OrderSortKeys, $reverse: Boolean) {
  orders(first: $first, after: $after, query: $query, sortKey: $sortKey, reverse: $reverse) {
    pageInfo { hasNextPage endCursor }
    edges { cursor node { id name createdAt updatedAt } }
  }
}
"""


def gql(shop, query, variables=None, token="shpat_test", **kwargs):
    return requests.post(
        f"{shop.url}/admin/api/{queries.API_VERSION}/graphql.json",
        json={"query": query, "variables": variables or {}},
        headers={"X-Shopify-Access-Token": token},
        timeout=kwargs.pop("timeout", 10),
        **kwargs,
    )


def data(shop, query, variables=None):
    answer = gql(shop, query, variables)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert "errors" not in body, body["errors"]
    return body["data"]


def all_pages(shop, variables, query=LIGHT_ORDERS):
    pages, after = [], None
    while True:
        orders = data(shop, query, {**variables, "after": after})["orders"]
        pages.append([edge["node"] for edge in orders["edges"]])
        after = orders["pageInfo"]["endCursor"]
        if not orders["pageInfo"]["hasNextPage"]:
            return pages


@pytest.fixture
def shop60():
    with FakeShopify(orders=sample_orders(60, seed=3, now=NOW), **FAST) as shop:
        yield shop


# --- protocol ---------------------------------------------------------------------------------------------
def test_registry_lists_shopify():
    assert FAKES["shopify"] is FakeShopify


def test_bad_or_missing_token_is_401(shop60):
    for token in ("wrong", ""):
        answer = gql(shop60, queries.SHOP_QUERY, token=token)
        assert answer.status_code == 401
        assert answer.json() == {
            "errors": "[API] Invalid API key or access token (unrecognized login or wrong password)"
        }


def test_shop_query():
    with FakeShopify(shop_name="Магазин", currency="UAH", plan="Grow", **FAST) as shop:
        answer = gql(shop, queries.SHOP_QUERY)
    assert answer.status_code == 200
    assert answer.json()["data"]["shop"] == {
        "name": "Магазин",
        "myshopifyDomain": "demo-shop.myshopify.com",
        "currencyCode": "UAH",
        "plan": {"publicDisplayName": "Grow", "partnerDevelopment": False, "shopifyPlus": False},
    }


def test_invalid_query_is_rejected_by_the_real_schema(shop60):
    body = gql(shop60, "{ orders(first: 1) { edges { node { noSuchField } } } }").json()
    assert "data" not in body and "noSuchField" in body["errors"][0]["message"]


# --- pagination, sorting, search --------------------------------------------------------------------------
def test_pagination_25_25_10_without_duplicates(shop60):
    pages = all_pages(shop60, {"first": 25, "sortKey": "CREATED_AT"})
    assert [len(page) for page in pages] == [25, 25, 10]
    ids = [node["id"] for page in pages for node in page]
    assert len(set(ids)) == 60
    created = [node["createdAt"] for page in pages for node in page]
    assert created == sorted(created)
    assert shop60.requests == [("POST", f"/admin/api/{queries.API_VERSION}/graphql.json")] * 3


def test_64_bit_ids_page_exactly():
    base = sample_orders(1, seed=1, now=NOW)[0]
    big = [820982911946154508, 820982911946154509, 820982911946154510]  # beyond 2**53: a float would merge them
    orders = [{**base, "id": f"gid://shopify/Order/{i}", "legacyResourceId": str(i)} for i in big]
    with FakeShopify(orders=orders, **FAST) as shop:
        pages = all_pages(shop, {"first": 1})  # default sort key: ID
    assert [n["id"] for page in pages for n in page] == [o["id"] for o in orders]


def test_first_is_capped_at_250():
    with FakeShopify(orders=sample_orders(300, seed=1, now=NOW), **FAST) as shop:
        assert len(data(shop, LIGHT_ORDERS, {"first": 1000})["orders"]["edges"]) == 250


def test_sort_keys_and_reverse(shop60):
    target = shop60.orders[10]["id"]
    shop60.update_order(target, displayFulfillmentStatus="FULFILLED")
    by_updated = [n["id"] for p in all_pages(shop60, {"first": 50, "sortKey": "UPDATED_AT"}) for n in p]
    assert by_updated[-1] == target
    pages = all_pages(shop60, {"first": 7, "sortKey": "CREATED_AT", "reverse": True})
    newest_first = [n["createdAt"] for page in pages for n in page]
    assert newest_first == sorted(newest_first, reverse=True) and len(newest_first) == 60


def test_created_at_filters(shop60):
    created = sorted(o["createdAt"] for o in shop60.orders)
    pivot = created[40]
    for query, expected in [
        (f"created_at:>={pivot}", 20),
        (f"created_at:>'{pivot}'", 19),
        (f"created_at:<{pivot}", 40),
        (f'created_at:>="{created[10]}" AND created_at:<={pivot}', 31),
        (f"created_at:>={created[10]} created_at:<{created[20]}", 10),
        (f"created_at:<='{created[4].replace('T', ' ').replace('Z', '+00:00')}' status:any", 5),
    ]:
        nodes = [n for p in all_pages(shop60, {"first": 25, "query": query, "sortKey": "CREATED_AT"}) for n in p]
        assert len(nodes) == expected, query


def test_updated_at_filter_finds_exactly_the_updated_orders(shop60):
    since = max(o["updatedAt"] for o in shop60.orders)
    changed = [shop60.update_order(o["id"], email="new@example.com")["id"] for o in shop60.orders[:3]]
    stamps = [shop60.get_order(i)["updatedAt"] for i in changed]
    assert stamps == sorted(set(stamps)) and stamps[0] > since  # strictly increasing
    query = f"updated_at:>'{since}'"
    nodes = [n for p in all_pages(shop60, {"first": 2, "query": query, "sortKey": "UPDATED_AT"}) for n in p]
    assert [n["id"] for n in nodes] == changed


def test_nodes_by_id(shop60):
    wanted = [shop60.orders[5]["id"], "gid://shopify/Order/1", shop60.orders[0]["id"]]
    nodes = data(shop60, queries.ORDERS_BY_ID_QUERY, {"ids": wanted})["nodes"]
    assert nodes[1] is None
    assert [nodes[0]["id"], nodes[2]["id"]] == [wanted[0], wanted[2]]
    assert nodes[0]["__typename"] == "Order" and nodes[0]["lineItems"]["edges"]


def test_line_items_paging_with_order_lines_query():
    order = sample_orders(1, seed=1, now=NOW)[0]
    line = order["lineItems"]["edges"][0]["node"]
    order["lineItems"] = {"edges": [{"node": {**line, "id": f"gid://shopify/LineItem/{i}"}} for i in range(1, 131)]}
    with FakeShopify(orders=[order], **FAST) as shop:
        first = data(shop, queries.ORDERS_QUERY, {"first": 1})["orders"]["edges"][0]["node"]["lineItems"]
        assert len(first["edges"]) == queries.LINES_PER_ORDER and first["pageInfo"]["hasNextPage"]
        seen = [e["node"]["id"] for e in first["edges"]]
        after = first["pageInfo"]["endCursor"]
        while after:
            lines = data(shop, queries.ORDER_LINES_QUERY, {"id": order["id"], "after": after})["order"]["lineItems"]
            seen += [e["node"]["id"] for e in lines["edges"]]
            after = lines["pageInfo"]["endCursor"] if lines["pageInfo"]["hasNextPage"] else None
        assert len(shop.requests) == 3  # 5 lines, then 100, then the last 25
    assert seen == [f"gid://shopify/LineItem/{i}" for i in range(1, 131)]


# --- cost and throttling ----------------------------------------------------------------------------------
def test_cost_follows_shopifys_formula(shop60):
    # connection 2 + first x (order 1 + lineItems connection (2 + 5 x line 1)) = 2 + 10 x 8
    query = "{ orders(first: 10) { edges { node { id lineItems(first: 5) { edges { node { id } } } } } } }"
    cost = gql(shop60, query).json()["extensions"]["cost"]
    assert cost["requestedQueryCost"] == 82
    assert cost["actualQueryCost"] < 82  # refunded: sample orders have fewer than 5 lines on average
    assert set(cost["throttleStatus"]) == {"maximumAvailable", "currentlyAvailable", "restoreRate"}


def test_bucket_drains_to_throttled():
    with FakeShopify(orders=sample_orders(60, seed=3, now=NOW), restore_rate=1.0) as shop:
        variables = {"first": 20}
        first = gql(shop, queries.ORDERS_QUERY, variables).json()
        assert first["extensions"]["cost"]["requestedQueryCost"] == 2 + 20 * 44
        left = first["extensions"]["cost"]["throttleStatus"]["currentlyAvailable"]
        assert left == 1000 - first["extensions"]["cost"]["actualQueryCost"]
        throttled = gql(shop, queries.ORDERS_QUERY, variables)
    assert throttled.status_code == 200
    body = throttled.json()
    assert "data" not in body
    assert body["errors"][0]["extensions"]["code"] == "THROTTLED"
    assert body["extensions"]["cost"]["throttleStatus"]["currentlyAvailable"] < 882


def test_a_repeated_query_is_charged_again_and_a_change_shows_at_once():
    # The fake remembers answers (so a benchmark's timed pass does not measure it), never at the cost of the
    # protocol: every request is charged to the bucket, and an order change is answered at once.
    with FakeShopify(orders=sample_orders(10, seed=3, now=NOW), restore_rate=1e-9) as shop:
        executed = []
        run_document = shop.run_document
        shop.run_document = lambda *args, **kwargs: executed.append(1) or run_document(*args, **kwargs)
        variables = {"first": 5, "sortKey": "CREATED_AT"}
        first, again = gql(shop, LIGHT_ORDERS, variables).json(), gql(shop, LIGHT_ORDERS, variables).json()
        assert again["data"] == first["data"] and len(executed) == 1
        spent = [body["extensions"]["cost"]["throttleStatus"]["currentlyAvailable"] for body in (first, again)]
        assert spent[1] == pytest.approx(spent[0] - first["extensions"]["cost"]["actualQueryCost"])
        oldest = first["data"]["orders"]["edges"][0]["node"]
        shop.update_order(oldest["id"], name="#changed")
        changed = gql(shop, LIGHT_ORDERS, variables).json()["data"]["orders"]["edges"][0]["node"]
    assert (changed["id"], changed["name"]) == (oldest["id"], "#changed") and len(executed) == 2


def test_query_over_the_single_query_limit(shop60):
    # 2 + 250 x (order 1 + customer 1 + lineItems 2 + 5) = 2252 > 1000
    query = (
        "{ orders(first: 250) { edges { node { id customer { id } lineItems(first: 5) { edges { node { id } } } } } } }"
    )
    body = gql(shop60, query).json()
    assert body["errors"][0]["extensions"]["code"] == "MAX_COST_EXCEEDED" and "data" not in body


# --- faults -----------------------------------------------------------------------------------------------
def test_fail_next_429_5xx_truncated_then_recovers(shop60):
    shop60.fail_next("429")
    shop60.fail_next("5xx", times=2)
    shop60.fail_next("truncated")
    answer = gql(shop60, queries.SHOP_QUERY)
    assert answer.status_code == 429 and float(answer.headers["Retry-After"]) == 0.05
    assert gql(shop60, queries.SHOP_QUERY).status_code in (500, 502, 503)
    assert gql(shop60, queries.SHOP_QUERY).status_code in (500, 502, 503)
    truncated = gql(shop60, queries.SHOP_QUERY)
    assert truncated.status_code == 200
    with pytest.raises(json.JSONDecodeError):
        json.loads(truncated.content)
    assert gql(shop60, queries.SHOP_QUERY).json()["data"]["shop"]["name"] == "Demo Shop"
    assert shop60.faults == ["429", "5xx", "5xx", "truncated"] and len(shop60.requests) == 5


def test_fail_next_throttled_and_timeout():
    with FakeShopify(faults=Faults(timeout_delay=0.5), **FAST) as shop:
        shop.fail_next("throttled")
        body = gql(shop, queries.SHOP_QUERY).json()
        assert body["errors"][0]["extensions"]["code"] == "THROTTLED"
        assert body["extensions"]["cost"]["requestedQueryCost"] == 2
        shop.fail_next("timeout")
        with pytest.raises(requests.Timeout):
            gql(shop, queries.SHOP_QUERY, timeout=0.1)
    with pytest.raises(ValueError):
        shop.fail_next("meteor")


def test_random_faults_are_deterministic_per_seed():
    def run(seed):
        with FakeShopify(faults=Faults(rate_429=0.3, rate_5xx=0.3), seed=seed, **FAST) as shop:
            codes = [gql(shop, queries.SHOP_QUERY).status_code for _ in range(12)]
            return codes, list(shop.faults)

    assert run(7) == run(7)
    codes, faults = run(7)
    assert len(faults) == sum(code != 200 for code in codes) > 0


# --- fixtures -----------------------------------------------------------------------------------------------
def test_every_fixture_with_orders_converts_and_is_served():
    served = 0
    for path in sorted(FIXTURES.glob("*.json")):
        rest = json.loads(path.read_text())
        raw = rest.get("orders") or ([rest["order"]] if "order" in rest else [])
        nodes = orders_in_document(rest)
        assert len(nodes) == len(raw), path.name
        for rest_order, node in zip(raw, nodes, strict=True):
            with FakeShopify(orders=[node], currency="USD", **FAST) as shop:
                got = data(shop, queries.ORDERS_QUERY, {"first": 5})["orders"]["edges"][0]["node"]
            assert got["legacyResourceId"] == str(rest_order["id"]) and got["name"] == rest_order["name"]
            assert len(got["lineItems"]["edges"]) == min(5, len(rest_order.get("line_items", [])))
            assert len(got["shippingLines"]["edges"]) == len(rest_order.get("shipping_lines", []))
            served += 1
    assert served >= 6


def test_rich_fixture_round_trip():
    rest = json.loads((FIXTURES / "shopify_python_api_orders_rich_91a8fd8.json").read_text())["orders"][0]
    with FakeShopify(orders=[rest_order_to_graphql(rest)], currency="USD", **FAST) as shop:
        node = data(shop, queries.ORDERS_QUERY, {"first": 5, "sortKey": "UPDATED_AT"})["orders"]["edges"][0]["node"]
    assert node["id"] == "gid://shopify/Order/450789469" and node["createdAt"] == "2008-01-10T16:00:00Z"
    assert node["displayFinancialStatus"] == "PARTIALLY_REFUNDED" and node["displayFulfillmentStatus"] == "UNFULFILLED"
    assert node["totalPriceSet"]["shopMoney"] == {"amount": "598.94", "currencyCode": "USD"}
    assert node["customer"]["defaultEmailAddress"] == {"emailAddress": "bob.norman@hostmail.com"}
    assert node["shippingAddress"]["city"] == "Louisville"
    lines = [e["node"] for e in node["lineItems"]["edges"]]
    assert [line["sku"] for line in lines] == ["IPOD2008GREEN", "IPOD2008RED", "IPOD2008BLACK"]
    assert lines[0]["variantTitle"] == "green" and lines[0]["originalUnitPriceSet"]["shopMoney"]["amount"] == "199.00"
    assert lines[0]["product"]["legacyResourceId"] == "632910392"
    assert node["shippingLines"]["edges"][0]["node"]["title"] == "Free Shipping"
    assert node["fulfillments"][0]["trackingInfo"][0]["company"] == "USPS"


def test_load_orders_dir_merges_copies_of_the_same_order():
    orders = load_orders_dir(FIXTURES)
    assert len(orders) == 1  # every fixture describes #1001; the latest state wins
    assert orders[0]["cancelledAt"] is not None  # the cancel.json answer is the newest
    with pytest.raises(FileNotFoundError):
        load_orders_dir(FIXTURES / "missing")


# --- Basic plan ----------------------------------------------------------------------------------------------
def test_basic_plan_redacts_customer_data():
    with FakeShopify(orders=sample_orders(5, seed=1, now=NOW), plan="Basic", **FAST) as shop:
        nodes = [e["node"] for e in data(shop, queries.ORDERS_QUERY, {"first": 5})["orders"]["edges"]]
    assert all(n["email"] is None and n["phone"] is None and n["shippingAddress"] is None for n in nodes)
    customers = [n["customer"] for n in nodes if n["customer"]]
    assert customers and all(c["defaultEmailAddress"] is None and c["defaultPhoneNumber"] is None for c in customers)
    assert all(n["lineItems"]["edges"] for n in nodes)


# --- webhooks ------------------------------------------------------------------------------------------------
class Sink(FakeServer):
    """Records what is POSTed to it, like an app's webhook endpoint."""

    def __init__(self):
        super().__init__()
        self.received = []

    def handle(self, method, path, headers, body):
        self.received.append((dict(headers), body))
        return 200, {}, b""


def verify(body: bytes, header: str, secret: str) -> bool:
    digest = base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()
    return hmac.compare_digest(digest, header)


def test_webhook_is_signed_and_carries_the_rest_order(shop60):
    order = shop60.orders[0]
    with Sink() as sink:
        answer = shop60.send_webhook(f"{sink.url}/hooks", order_id=order["id"], secret="s3cret", webhook_id="w-1")
        assert answer.status_code == 200
        headers, body = sink.received[0]
    assert verify(body, headers["X-Shopify-Hmac-Sha256"], "s3cret")
    assert not verify(body, headers["X-Shopify-Hmac-Sha256"], "other")
    assert headers["X-Shopify-Topic"] == "orders/create" and headers["X-Shopify-Webhook-Id"] == "w-1"
    assert headers["X-Shopify-Shop-Domain"] == "demo-shop.myshopify.com" and headers["X-Shopify-Event-Id"]
    assert headers["X-Shopify-API-Version"] and headers["X-Shopify-Triggered-At"]
    rest = json.loads(body)
    assert rest["id"] == int(order["legacyResourceId"]) and rest["admin_graphql_api_id"] == order["id"]
    assert (rest["name"], rest["created_at"], rest["updated_at"]) == (
        order["name"],
        order["createdAt"],
        order["updatedAt"],
    )
    back = orders_in_document(rest)[0]  # the body is a REST order the fake itself can load again
    assert [e["node"]["sku"] for e in back["lineItems"]["edges"]] == [
        e["node"]["sku"] for e in order["lineItems"]["edges"]
    ]


def test_control_endpoint_adds_orders_and_fires_webhooks(shop60):
    with Sink() as sink:
        answer = requests.post(
            f"{shop60.url}/_fake/orders",
            json={"generate": 2, "webhook": {"url": sink.url, "secret": "k"}},
            timeout=10,
        )
        assert answer.status_code == 201
        assert answer.json()["webhooks"] == [200, 200]
        assert all(verify(body, h["X-Shopify-Hmac-Sha256"], "k") for h, body in sink.received)
    names = [o["name"] for o in answer.json()["orders"]]
    assert names == ["#1061", "#1062"] and len(shop60.orders) == 62
    assert shop60.requests == []  # control calls are not API requests


# --- command ------------------------------------------------------------------------------------------------
def test_fake_platform_command_help_and_bad_orders_dir(tmp_path):
    usage = Command().create_parser("manage.py", "fake_platform").format_help()
    assert "--port" in usage and "--orders-dir" in usage and "shopify" in usage
    with pytest.raises(CommandError, match="does not exist"):
        call_command("fake_platform", "shopify", "--orders-dir", str(tmp_path / "missing"))
    (tmp_path / "broken.json").write_text("{not json")
    with pytest.raises(CommandError, match="broken.json"):
        call_command("fake_platform", "shopify", "--orders-dir", str(tmp_path))


# --- sample data ------------------------------------------------------------------------------------------
def test_sample_orders_are_realistic_and_deterministic():
    orders = sample_orders(2000, seed=5, now=NOW)
    assert orders == sample_orders(2000, seed=5, now=NOW)
    assert orders != sample_orders(2000, seed=6, now=NOW)
    assert [o["name"] for o in orders[:2]] == ["#1001", "#1002"] and len({o["id"] for o in orders}) == 2000
    assert all(o["createdAt"] <= "2026-09-30T12:00:00Z" for o in orders)
    assert min(o["createdAt"] for o in orders) >= "2026-07-01"

    by_person = defaultdict(list)
    for order in orders:
        phone = order["phone"] or ""
        digits = "".join(ch for ch in phone if ch.isdigit())[-9:]
        by_person[digits or order["email"]].append(phone)
    repeat = [phones for phones in by_person.values() if len(phones) > 1]
    assert len(repeat) >= 400  # about n/4 come back
    assert sum(len(set(phones)) > 1 for phones in repeat) >= 200  # ... with their number written differently
    assert any(o["email"] is None and o["phone"] for o in orders)
    assert any(o["phone"] is None and o["email"] for o in orders)

    statuses = Counter(o["displayFulfillmentStatus"] for o in orders)
    assert {"UNFULFILLED", "FULFILLED", "PARTIALLY_FULFILLED"} <= set(statuses)
    assert 100 < sum(o["cancelledAt"] is not None for o in orders) < 300
    assert Counter(o["displayFinancialStatus"] for o in orders)["REFUNDED"] > 100
    lines = [e["node"] for o in orders for e in o["lineItems"]["edges"]]
    assert 30 <= len({line["product"]["id"] for line in lines}) <= 45
    assert any(line["variantTitle"] for line in lines) and all(line["sku"] for line in lines)
    tracking = [t for o in orders for f in o["fulfillments"] for t in f["trackingInfo"]]
    assert tracking and all(t["number"].startswith("20") and len(t["number"]) == 14 for t in tracking)


# --- the lean executor ------------------------------------------------------------------------------------
def _both_executors(shop, query, variables):
    document, errors = prepare(query)
    assert not errors
    lean_context, lean = shop.run_document(query, document, variables, None)
    core_context, core = shop.run_document(query, document, variables, None, lean=False)
    # No silent fallback: the lean executor itself must answer these documents.
    executor = lean_executor(query)
    direct = executor.run(operation_name=None, variables=variables, root=QueryRoot(shop), context=ResolveContext(shop))
    assert direct == lean["data"]
    return lean, core, lean_context.actual_cost, core_context.actual_cost


@pytest.mark.parametrize("plan", ["Grow", "Basic"])
def test_lean_executor_answers_every_product_query_as_graphql_core_does(plan):
    """The fake's fast executor is only an optimisation: same data, same actual cost as graphql-core."""
    nodes = sample_orders(40, seed=5, now=NOW)
    for path in sorted(FIXTURES.glob("*.json")):
        nodes += orders_in_document(json.loads(path.read_text()))
    many_lines = nodes[0]
    line = many_lines["lineItems"]["edges"][0]["node"]
    many_lines["lineItems"] = {"edges": [{"node": {**line, "id": f"gid://shopify/LineItem/{i}"}} for i in range(9)]}
    with FakeShopify(orders=nodes, plan=plan, **FAST) as shop:
        first_page = data(shop, queries.ORDERS_QUERY, {"first": 3, "sortKey": "ID"})["orders"]
        lines_cursor = shop_lines_cursor(shop, many_lines["id"])
        cases = [
            (queries.SHOP_QUERY, {}),
            (queries.ORDERS_QUERY, {"first": 20, "query": "created_at:>='2026-08-01'", "sortKey": "CREATED_AT"}),
            (queries.ORDERS_QUERY, {"first": 20, "after": first_page["pageInfo"]["endCursor"], "sortKey": "ID"}),
            (queries.ORDERS_BY_ID_QUERY, {"ids": [nodes[3]["id"], "gid://shopify/Order/1", nodes[-1]["id"]]}),
            (queries.ORDER_LINES_QUERY, {"id": many_lines["id"], "after": lines_cursor}),
            (queries.ORDER_IDS_QUERY, {"first": 250, "query": "created_at:<'2026-10-01T00:00:00Z'"}),
        ]
        for query, variables in cases:
            lean, core, lean_cost, core_cost = _both_executors(shop, query, variables)
            assert "errors" not in core
            assert json.dumps(lean, sort_keys=True) == json.dumps(core, sort_keys=True), query[:40]
            assert lean_cost == core_cost


def shop_lines_cursor(shop, order_id):
    node = data(shop, queries.ORDERS_BY_ID_QUERY, {"ids": [order_id]})["nodes"][0]
    assert node["lineItems"]["pageInfo"]["hasNextPage"]
    return node["lineItems"]["pageInfo"]["endCursor"]


def test_lean_executor_leaves_errors_to_graphql_core(shop60):
    answer = gql(shop60, LIGHT_ORDERS, {"first": 5, "after": "not-a-cursor"}).json()
    assert answer["data"] is None or answer["data"]["orders"] is None
    assert "Invalid cursor" in answer["errors"][0]["message"] and answer["errors"][0]["path"] == ["orders"]
