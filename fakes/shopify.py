"""A local fake of the Shopify Admin GraphQL API (orders), served over real HTTP.

Queries are parsed, validated and executed by graphql-core against Shopify's own published schema
(fixtures/shopify/admin-schema-2026-04.graphql), so a client query that Shopify would reject is rejected
here too. On top of that the fake models what makes Shopify hard to import from: cursor pagination with the
search syntax, the calculated query cost and its leaky bucket (THROTTLED / MAX_COST_EXCEEDED), Basic-plan PII
redaction, webhooks signed with HMAC, the HTTP faults of server.Faults, and (shopify_auth) the client credentials
grant with expiring tokens and API versions that fall forward to the oldest supported one.

This module is the shop and its HTTP side: requests, the cost check around each query, the cached answers, the
demo's control endpoints and webhook delivery. The rest has a module each: shopify_schema (schema, parsed
documents), shopify_cost (query cost, the bucket), shopify_search (search syntax, indexes, pagination),
shopify_resolvers and shopify_exec (resolving a query), shopify_orders and shopify_samples (the data),
shopify_bulk, shopify_webhooks and shopify_auth.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import json
import re
import time
import uuid
from datetime import UTC, datetime

import requests
from graphql import execute_sync

from integrations.platforms.shopify.queries import API_VERSION

from .server import JSON_HEADERS, FakeServer, Faults, json_response
from .shopify_auth import SUPPORTED_VERSIONS, TOKEN_LIFETIME, AppTokens, served_version
from .shopify_bulk import RESULTS_PREFIX, BulkOperations, live_answer
from .shopify_cost import CostBucket, requested_cost
from .shopify_exec import Unsupported
from .shopify_orders import (
    ORDER_GID,
    graphql_order_to_rest,
    legacy_id,
    load_orders_dir,
    orders_in_document,
    rest_order_to_graphql,
)
from .shopify_resolvers import QueryRoot, ResolveContext, lean_executor, resolve, resolve_type
from .shopify_samples import ORDER_ID_BASE, sample_orders
from .shopify_schema import get_schema, prepare
from .shopify_search import OrderIndex, timestamp
from .shopify_webhooks import ShopSubscriptions

ANSWERS_CACHE_BYTES = 256 * 1024 * 1024
RATE_LIMIT_DOCS = "https://shopify.dev/api/usage/rate-limits"
INVALID_TOKEN = "[API] Invalid API key or access token (unrecognized login or wrong password)"
# ShopPlan.displayName (deprecated) beside publicDisplayName: "the plan previously known as Shopify has been
# renamed to Grow" (shopify.dev changelog, "Adding publicDisplayName field on ShopPlan", 2025-04).
LEGACY_PLAN_NAMES = {
    "basic": "Basic Shopify",
    "grow": "Shopify",
    "advanced": "Advanced Shopify",
    "plus": "Shopify Plus",
}
# The customer's Level 2 fields (name, email, phone), as a Basic shop's admin-made app gets them: null.
REDACTED_CUSTOMER = dict.fromkeys(
    ("firstName", "lastName", "email", "phone", "defaultEmailAddress", "defaultPhoneNumber")
)
_GRAPHQL_PATH = re.compile(r"^/admin/api/([^/]+)/graphql\.json$")
TOKEN_PATH = "/admin/oauth/access_token"


def _encode(payload) -> bytes:
    return json.dumps(payload).encode()


class FakeShopify(ShopSubscriptions, FakeServer):
    """The Shopify Admin GraphQL API of one shop. Use as `with FakeShopify(orders=...) as shop: shop.url`."""

    platform = "shopify"

    def __init__(
        self,
        *,
        token: str | None = "shpat_test",
        client_id: str | None = "fake-client-id",
        client_secret: str | None = "fake-client-secret",
        token_lifetime: float = TOKEN_LIFETIME,
        scope: str | None = None,
        supported_versions: tuple[str, ...] = SUPPORTED_VERSIONS,
        shop_name: str = "Demo Shop",
        myshopify_domain: str = "demo-shop.myshopify.com",
        currency: str = "UAH",
        plan: str = "Grow",
        orders: list[dict] | None = None,
        faults: Faults | None = None,
        seed: int = 0,
        max_available: float = 1000.0,
        restore_rate: float = 50.0,
        port: int = 0,
        redact_pii: bool | None = None,
    ):
        super().__init__(port=port, faults=faults, seed=seed)
        # `token`: the fixed token of an app created in the admin before 2026; `client_id`/`client_secret`: a Dev
        # Dashboard app, whose tokens the client credentials grant issues (shopify_auth).
        self.token = token
        self.app = AppTokens(
            static_token=token,
            client_id=client_id,
            client_secret=client_secret,
            lifetime=token_lifetime,
            **({"scope": scope} if scope is not None else {}),
        )
        self.supported_versions = supported_versions
        self.shop_name, self.myshopify_domain, self.currency, self.plan = shop_name, myshopify_domain, currency, plan
        # Protected customer data: an app created in a Basic shop's admin gets no Level 2 fields (name, email,
        # phone, addresses). PROTOCOLS.md 1 marks the exact shape unverified; the fake answers them as null.
        self.redact_pii = plan.strip().lower() == "basic" if redact_pii is None else redact_pii
        self.bucket = CostBucket(max_available, restore_rate)
        self.seed = seed
        self._orders: dict[str, dict] = {}
        self._version = 0
        self._indexes: dict[str, tuple[int, OrderIndex]] = {}
        self._last_update = 0.0
        self._answers: dict[tuple, tuple[bytes, int]] = {}  # see _data
        self._answers_version = 0
        self._answers_size = 0
        for node in orders or ():
            self.add_order(node)
        get_schema()  # build now, not inside the first timed request

    @classmethod
    def load_orders(cls, path) -> list[dict]:
        return load_orders_dir(path)

    @classmethod
    def generate(cls, n: int, *, seed: int = 0, currency: str = "UAH") -> list[dict]:
        return sample_orders(n, seed=seed, currency=currency)

    # -- data helpers for tests and the demo -----------------------------------------------------------------
    @property
    def orders(self) -> list[dict]:
        with self._lock:
            return list(self._orders.values())

    def add_order(self, node: dict) -> dict:
        """Add or replace an order: a GraphQL Order node, or a REST order (converted)."""
        if not str(node.get("id", "")).startswith(ORDER_GID):
            node = rest_order_to_graphql(node)
        with self._lock:
            self._orders[node["id"]] = node
            self._version += 1
        return node

    def get_order(self, order_id) -> dict | None:
        """By GID, legacy id (int or str); None when unknown."""
        return self._orders.get(f"{ORDER_GID}{legacy_id(order_id)}")

    def update_order(self, order_id, **fields) -> dict:
        """Change fields of an order as a merchant edit would: updatedAt moves to now, strictly increasing.

        Timestamps have Shopify's one-second precision, so updates within the same second are spread one
        second apart; an incremental sync with `updated_at:>` therefore always sees every update.
        """
        with self._lock:
            old = self.get_order(order_id)
            if old is None:
                raise KeyError(order_id)
            stamp = max(float(int(time.time())), self._last_update + 1, timestamp(old["updatedAt"]) + 1)
            self._last_update = stamp
            new = {**old, "updatedAt": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(stamp)), **fields}
            self._orders[new["id"]] = new  # copy-on-write: a query running in another thread keeps its snapshot
            self._version += 1
        return new

    def generate_orders(self, n: int) -> list[dict]:
        """Append n new orders created now (continuing ids and names), as a shop receiving live orders."""
        with self._lock:
            start = self._next_sample_index()
            created = sample_orders(n, seed=self.seed + start, months=0, currency=self.currency, start=start)
            for node in created:
                self.add_order(node)
        return created

    def _next_sample_index(self) -> int:
        ids = [legacy_id(k) - ORDER_ID_BASE for k in self._orders]
        return max([i + 1 for i in ids if i >= 0] or [0])

    def send_webhook(
        self,
        url: str,
        *,
        topic: str = "orders/create",
        order_id,
        secret: str | bytes | None = None,
        webhook_id: str | None = None,
        event_id: str | None = None,
        timeout: float = 10,
    ) -> requests.Response:
        """POST the order's REST body to `url` the way Shopify delivers a webhook, HMAC-signed with `secret`
        (by default the app's client secret, as Shopify signs a Dev Dashboard app's webhooks)."""
        node = self.get_order(order_id)
        if node is None:
            raise KeyError(order_id)
        body = json.dumps(graphql_order_to_rest(self._view(node)), ensure_ascii=False).encode()
        secret = self.app.client_secret if secret is None else secret
        key = secret.encode() if isinstance(secret, str) else secret
        headers = {
            "Content-Type": "application/json",
            "X-Shopify-Topic": topic,
            "X-Shopify-Hmac-Sha256": base64.b64encode(hmac.new(key, body, hashlib.sha256).digest()).decode(),
            "X-Shopify-Shop-Domain": self.myshopify_domain,
            "X-Shopify-API-Version": API_VERSION,
            "X-Shopify-Webhook-Id": webhook_id or str(uuid.uuid4()),
            "X-Shopify-Event-Id": event_id or str(uuid.uuid4()),
            "X-Shopify-Triggered-At": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
        }
        return requests.post(url, data=body, headers=headers, timeout=timeout)

    # -- views used by the resolvers -----------------------------------------------------------------------
    def shop_node(self) -> dict:
        plan = self.plan.strip().lower()
        return {
            "id": "gid://shopify/Shop/1",
            "name": self.shop_name,
            "myshopifyDomain": self.myshopify_domain,
            "url": f"https://{self.myshopify_domain}",
            "email": f"owner@{self.myshopify_domain}",
            "contactEmail": f"owner@{self.myshopify_domain}",
            "currencyCode": self.currency,
            "ianaTimezone": "Europe/Kyiv",
            "plan": {
                "publicDisplayName": self.plan,
                "displayName": LEGACY_PLAN_NAMES.get(plan, self.plan),
                "partnerDevelopment": plan in ("development", "partner development"),
                "shopifyPlus": plan in ("plus", "shopify plus"),
            },
        }

    def _view(self, node: dict | None) -> dict | None:
        if node is None or not self.redact_pii:
            return node
        customer = node.get("customer")
        return {
            **node,
            "email": None,
            "phone": None,
            "shippingAddress": None,
            "billingAddress": None,
            "customer": customer and {**customer, **REDACTED_CUSTOMER},
        }

    def _index(self, sort_field: str) -> OrderIndex:
        with self._lock:
            cached = self._indexes.get(sort_field)
            if cached is None or cached[0] != self._version:
                cached = (self._version, OrderIndex(self._orders.values(), sort_field))
                self._indexes[sort_field] = cached
            return cached[1]

    @functools.cached_property
    def bulk(self) -> BulkOperations:
        return BulkOperations(self, executor_for=lean_executor, schema=get_schema())

    def dispatch(self, method, path, headers, body):
        if path.startswith(RESULTS_PREFIX):  # a bulk result: file storage at a signed address, not the Admin API
            return self.bulk.serve(method, path.split("?", 1)[0])
        self.bulk.note_request(path)  # how many bulk queries may run at once depends on the API version
        return super().dispatch(method, path, headers, body)

    # -- HTTP --------------------------------------------------------------------------------------------------
    def _cost_extension(self, requested: int, actual: int) -> dict:
        return {
            "cost": {
                "requestedQueryCost": requested,
                "actualQueryCost": actual,
                "throttleStatus": self.bucket.status(),
            }
        }

    def _throttled(self, requested: int) -> dict:
        error = {"message": "Throttled", "extensions": {"code": "THROTTLED", "documentation": RATE_LIMIT_DOCS}}
        return {"errors": [error], "extensions": self._cost_extension(requested, None)}

    def throttled_response(self, body: bytes):
        """The injected "throttled" fault: Shopify's HTTP 200 THROTTLED answer, priced like the real query."""
        try:
            request = json.loads(body)
            document, errors = prepare(request["query"])
            requested = 0 if errors else requested_cost(document, request.get("variables") or {})
        except Exception:  # an unparsable request is still throttled, just at cost 0
            requested = 0
        return json_response(200, self._throttled(requested))

    def handle(self, method, path, headers, body):
        path = path.split("?", 1)[0]
        if path.startswith("/_fake/"):
            return self._control(method, path, body)
        if not path.startswith("/admin/"):
            return json_response(404, {"errors": "Not Found"})
        if path == TOKEN_PATH and method == "POST":
            return json_response(*self.app.grant(headers, body))
        if not self.app.valid(headers.get("X-Shopify-Access-Token", "")):
            return json_response(401, {"errors": INVALID_TOKEN})
        match = _GRAPHQL_PATH.match(path)
        version = served_version(match[1], self.supported_versions) if match else None
        if method != "POST" or version is None:
            return json_response(404, {"errors": "Not Found"})
        try:
            request = json.loads(body or b"{}")
            query, variables = request["query"], request.get("variables") or {}
            if not isinstance(query, str) or not isinstance(variables, dict):
                raise TypeError
        except (ValueError, KeyError, TypeError):
            return json_response(400, {"errors": {"query": "Required parameter missing or invalid"}})
        headers = {**JSON_HEADERS, "X-Shopify-API-Version": version}
        return 200, headers, self.answer(query, variables, request.get("operationName"))

    def answer(self, query: str, variables: dict, operation_name: str | None = None) -> bytes:
        """Run one GraphQL request against the bucket and the data; returns the response body."""
        document, errors = prepare(query)
        if errors:
            return _encode({"errors": [e.formatted for e in errors], "extensions": self._cost_extension(0, 0)})
        requested = requested_cost(document, variables, operation_name)
        if requested > self.bucket.maximum:
            error = {
                "message": f"Query cost is {requested}, which exceeds the single query max cost limit "
                f"({int(self.bucket.maximum)}).",
                "extensions": {"code": "MAX_COST_EXCEEDED", "cost": requested, "maxCost": int(self.bucket.maximum)},
            }
            return _encode({"errors": [error], "extensions": self._cost_extension(requested, None)})
        if not self.bucket.take(requested):
            return _encode(self._throttled(requested))
        body, actual = self._data(query, document, variables, operation_name)
        actual = min(actual, requested)
        self.bucket.refund(requested - actual)  # Shopify refunds the difference between requested and actual
        return body[:-1] + b', "extensions": ' + _encode(self._cost_extension(requested, actual)) + b"}"

    def _data(self, query, document, variables, operation_name) -> tuple[bytes, int]:
        """The encoded {"data", "errors"} of a query and its actual cost, remembered while the orders are unchanged.

        Every request is still validated, priced and charged to the bucket; only the answer itself is reused, so
        a benchmark that reads the shop once untimed measures the importer rather than this fake, which shares
        the machine's cores with it (a real platform's work happens elsewhere).
        """
        if live_answer(document):  # bulk operations move on while no order changes
            context, response = self.run_document(query, document, variables, operation_name)
            return _encode(response), context.actual_cost
        key = (query, json.dumps(variables, sort_keys=True), operation_name)
        with self._lock:
            if self._answers_version != self._version or self._answers_size > ANSWERS_CACHE_BYTES:
                self._answers, self._answers_version, self._answers_size = {}, self._version, 0
            version, cached = self._version, self._answers.get(key)
        if cached:
            return cached
        context, response = self.run_document(query, document, variables, operation_name)
        answer = (_encode(response), context.actual_cost)
        if not response.get("errors"):
            with self._lock:
                if version == self._answers_version:
                    self._answers[key] = answer
                    self._answers_size += len(answer[0])
        return answer

    def run_document(self, query, document, variables, operation_name, *, lean: bool = True):
        """(context with the actual cost, {"data", "errors"}): the lean executor, else graphql-core's."""
        if lean:
            context = ResolveContext(self)
            try:
                data = lean_executor(query).run(
                    operation_name=operation_name, variables=variables, root=QueryRoot(self), context=context
                )
                return context, {"data": data}
            except Unsupported:
                pass  # errors and the unusual: graphql-core answers, with its exact error shape
        context = ResolveContext(self)
        result = execute_sync(
            get_schema(),
            document,
            root_value=QueryRoot(self),
            context_value=context,
            variable_values=variables,
            operation_name=operation_name,
            field_resolver=resolve,
            type_resolver=resolve_type,
        )
        response = {"data": result.data}
        if result.errors:
            response["errors"] = [e.formatted for e in result.errors]
        return context, response

    def _control(self, method, path, body):
        """Demo/test control, not part of Shopify: POST /_fake/orders, GET /_fake/stats."""
        if path == "/_fake/stats" and method == "GET":
            with self._lock:
                stats = {"orders": len(self._orders), "requests": len(self.requests), "faults": list(self.faults)}
            return json_response(200, {**stats, "throttleStatus": self.bucket.status()})
        if path != "/_fake/orders" or method != "POST":
            return json_response(404, {"errors": "Not Found"})
        try:
            doc = json.loads(body or b"{}")
            if "generate" in doc:
                nodes = self.generate_orders(int(doc["generate"]))
            elif "update" in doc:
                nodes = [self.update_order(doc["update"], **(doc.get("fields") or {}))]
            else:
                nodes = [self.add_order(node) for node in orders_in_document(doc.get("order", doc))]
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            return json_response(400, {"errors": f"bad control request: {exc!r}"})
        hook = doc.get("webhook") or {}
        deliveries = []
        if not hook.get("url"):  # no address named: the shop delivers to its registered subscriptions (R48)
            deliveries = self.deliver_to_subscriptions(nodes, updated="update" in doc, secret=hook.get("secret"))
        for node in nodes if hook.get("url") else ():
            topic = hook.get("topic") or ("orders/updated" if "update" in doc else "orders/create")
            try:
                secret = hook.get("secret") or None  # none given: the app's client secret, as Shopify signs
                answer = self.send_webhook(hook["url"], topic=topic, order_id=node["id"], secret=secret)
                deliveries.append(answer.status_code)
            except requests.RequestException as exc:
                deliveries.append(str(exc))
        orders = [{"id": node["id"], "name": node["name"]} for node in nodes]
        return json_response(201, {"orders": orders, "webhooks": deliveries})
