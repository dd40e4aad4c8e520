"""A local fake of the Shopify Admin GraphQL API (orders), served over real HTTP.

Queries are parsed, validated and executed by graphql-core against Shopify's own published schema
(fixtures/shopify/admin-schema-2026-04.graphql), so a client query that Shopify would reject is rejected
here too. On top of that the fake models what makes Shopify hard to import from: cursor pagination with the
search syntax, the calculated query cost and its leaky bucket (THROTTLED / MAX_COST_EXCEEDED), Basic-plan PII
redaction, webhooks signed with HMAC, the HTTP faults of server.Faults, and (shopify_auth) the client credentials
grant with expiring tokens and API versions that fall forward to the oldest supported one.
"""

from __future__ import annotations

import base64
import bisect
import functools
import hashlib
import hmac
import json
import re
import threading
import time
import uuid
from datetime import UTC, datetime

import requests
from graphql import (
    FieldNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    IntValueNode,
    ListValueNode,
    OperationDefinitionNode,
    VariableNode,
    build_schema,
    default_field_resolver,
    execute_sync,
    get_named_type,
    is_abstract_type,
    is_composite_type,
    is_list_type,
    is_non_null_type,
    parse,
    validate,
)

from integrations.platforms.shopify.queries import API_VERSION

from .fixtures import FIXTURES_DIR
from .server import JSON_HEADERS, FakeServer, Faults, json_response
from .shopify_auth import SUPPORTED_VERSIONS, TOKEN_LIFETIME, AppTokens, served_version
from .shopify_bulk import RESULTS_PREFIX, BulkOperations, live_answer
from .shopify_exec import LeanExecutor, Unsupported
from .shopify_orders import (
    ORDER_GID,
    ORDER_ID_BASE,
    connection_nodes,
    graphql_order_to_rest,
    legacy_id,
    load_orders_dir,
    orders_in_document,
    rest_order_to_graphql,
    sample_orders,
)
from .shopify_webhooks import ShopSubscriptions, SubscriptionsRoot

MAX_PAGE = 250  # Shopify's maximum for first/last
ANSWERS_CACHE_BYTES = 256 * 1024 * 1024
RATE_LIMIT_DOCS = "https://shopify.dev/api/usage/rate-limits"
INVALID_TOKEN = "[API] Invalid API key or access token (unrecognized login or wrong password)"
SCHEMA_PATH = FIXTURES_DIR / "shopify/admin-schema-2026-04.graphql"
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


# --- schema and documents (shared by every FakeShopify in the process) ------------------------------------
@functools.cache
def get_schema():
    # assume_valid: Shopify's SDL does not pass graphql-core's own schema validation, and building it is slow
    # (~0.5 s), hence the cache.
    return build_schema(SCHEMA_PATH.read_text(encoding="utf-8"), assume_valid=True)


@functools.lru_cache(maxsize=128)
def _prepare(query: str):
    """Parse and validate once per distinct query text: a client sends the same few documents again and again."""
    try:
        document = parse(query)
    except GraphQLError as error:
        return None, [error]
    return document, validate(get_schema(), document)


@functools.lru_cache(maxsize=128)
def _lean_executor(query: str) -> LeanExecutor:
    return LeanExecutor(get_schema(), _prepare(query)[0], _resolve, _resolve_type)


# --- cost (https://shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits) ------------------------------
# Scalars and enums cost 0, objects 1, an interface/union the most expensive of its possible selections, and a
# connection 2 + first x (cost of one node). The requested cost is computed before running the query from the
# document; the actual cost is counted while resolving (connection 2 + the objects really returned).
def _arg(node: FieldNode, name: str, variables: dict):
    for argument in node.arguments or ():
        if argument.name.value == name:
            value = argument.value
            if isinstance(value, VariableNode):
                return variables.get(value.name.value)
            if isinstance(value, IntValueNode):
                return int(value.value)
            if isinstance(value, ListValueNode):
                return value.values
    return None


def _is_connection(type_) -> bool:
    return get_named_type(type_).name.endswith("Connection")


class _CostCalculator:
    def __init__(self, schema, document, variables: dict):
        self.schema = schema
        self.variables = variables
        self.fragments = {d.name.value: d for d in document.definitions if d.kind == "fragment_definition"}

    def _fields(self, type_, selection_set):
        """The field nodes selected on an object of `type_`, fragments flattened."""
        for selection in selection_set.selections if selection_set else ():
            if isinstance(selection, FieldNode):
                yield selection
                continue
            if isinstance(selection, FragmentSpreadNode):
                fragment = self.fragments[selection.name.value]
            elif isinstance(selection, InlineFragmentNode):
                fragment = selection
            condition = fragment.type_condition and self.schema.get_type(fragment.type_condition.name.value)
            if (
                not condition
                or condition is type_
                or (is_abstract_type(condition) and self.schema.is_sub_type(condition, type_))
            ):
                yield from self._fields(type_, fragment.selection_set)

    def selection(self, type_, selection_set) -> int:
        """Cost of what is selected below one object of `type_` (the object itself not included)."""
        if is_abstract_type(type_):
            possible = self.schema.get_possible_types(type_)
            return max((self.selection(t, selection_set) for t in possible), default=0)
        total = 0
        for node in self._fields(type_, selection_set):
            field = type_.fields.get(node.name.value)
            if field is None or not is_composite_type(get_named_type(field.type)):
                continue  # __typename, scalars and enums are free
            total += self.field(field, node)
        return total

    def field(self, field, node) -> int:
        named = get_named_type(field.type)
        first = _arg(node, "first", self.variables) or _arg(node, "last", self.variables)
        if _is_connection(named):
            return 2 + min(first or 0, MAX_PAGE) * self._connection_node(named, node)
        each = 1 + self.selection(named, node.selection_set)
        inner = field.type.of_type if is_non_null_type(field.type) else field.type
        if is_list_type(inner):
            ids = _arg(node, "ids", self.variables)
            return (first or (len(ids) if ids else 1)) * each
        return each

    def _connection_node(self, connection, node) -> int:
        """Cost of one node of a connection, as selected through edges{node} or nodes (pageInfo is in the 2)."""
        cost = 0
        for sub in self._fields(connection, node.selection_set):
            if sub.name.value == "nodes":
                item = get_named_type(connection.fields["nodes"].type)
                cost = max(cost, 1 + self.selection(item, sub.selection_set))
            elif sub.name.value == "edges":
                edge = get_named_type(connection.fields["edges"].type)
                for inner in self._fields(edge, sub.selection_set):
                    if inner.name.value == "node":
                        item = get_named_type(edge.fields["node"].type)
                        cost = max(cost, 1 + self.selection(item, inner.selection_set))
        return cost


def requested_cost(document, variables: dict, operation_name: str | None = None) -> int:
    schema = get_schema()
    calc = _CostCalculator(schema, document, variables)
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    operation = next((o for o in operations if o.name and o.name.value == operation_name), operations[0])
    if operation.operation.value == "mutation":
        return 10  # not served here, but that is Shopify's price
    return calc.selection(schema.query_type, operation.selection_set)


class _Bucket:
    """Shopify's leaky bucket: a query needs its *requested* cost available, then pays its *actual* cost."""

    def __init__(self, maximum: float, restore_rate: float):
        self.maximum, self.restore_rate, self.available = maximum, restore_rate, maximum
        self._stamp = time.monotonic()
        self._lock = threading.Lock()

    def _refill(self):
        now = time.monotonic()
        self.available = min(self.maximum, self.available + (now - self._stamp) * self.restore_rate)
        self._stamp = now

    def take(self, cost: float) -> bool:
        with self._lock:
            self._refill()
            if cost > self.available:
                return False
            self.available -= cost
            return True

    def refund(self, amount: float):
        with self._lock:
            self._refill()
            self.available = min(self.maximum, self.available + amount)

    def status(self) -> dict:
        with self._lock:
            self._refill()
            return {
                "maximumAvailable": float(self.maximum),
                "currentlyAvailable": int(self.available),
                "restoreRate": float(self.restore_rate),
            }


# --- pagination and search --------------------------------------------------------------------------------
def _cursor(payload: dict) -> str:
    return base64.b64encode(json.dumps(payload, separators=(",", ":")).encode()).decode()


def _uncursor(cursor: str) -> dict:
    try:
        payload = json.loads(base64.b64decode(cursor, validate=True))
    except ValueError:
        payload = None
    if not isinstance(payload, dict):
        raise GraphQLError(f"Invalid cursor for current pagination sort: {cursor!r}")
    return payload


def _page_size(args: dict) -> int:
    if args.get("last") is not None or args.get("before") is not None:
        raise GraphQLError("This fake serves forward pagination (first/after) only.")
    if args.get("first") is None:
        raise GraphQLError("you must provide one of first or last")
    return max(0, min(int(args["first"]), MAX_PAGE))


def _connection(rows: list, has_next: bool, has_previous: bool, cursor_of) -> dict:
    edges = [{"cursor": cursor_of(row), "node": node} for row, node in rows]
    return {
        "edges": edges,
        "nodes": [edge["node"] for edge in edges],
        "pageInfo": {
            "hasNextPage": has_next,
            "hasPreviousPage": has_previous,
            "startCursor": edges[0]["cursor"] if edges else None,
            "endCursor": edges[-1]["cursor"] if edges else None,
        },
    }


def paginate_list(items: list, args: dict) -> dict:
    """A connection over a list stored inside a node (lineItems, shippingLines); cursors are positions."""
    first = _page_size(args)
    ordered = list(reversed(items)) if args.get("reverse") else items
    offset = _uncursor(args["after"]).get("offset") if args.get("after") else -1
    if not isinstance(offset, int):
        raise GraphQLError(f"Invalid cursor for current pagination sort: {args['after']!r}")
    start = offset + 1
    rows = list(enumerate(ordered))[start : start + first]
    return _connection(rows, start + first < len(ordered), start > 0, lambda i: _cursor({"offset": i}))


def _timestamp(value: str) -> float:
    dt = datetime.fromisoformat(value)
    return (dt if dt.tzinfo else dt.replace(tzinfo=UTC)).timestamp()


_TERM = re.compile(r"""(\w+):(>=|<=|>|<|=)?('[^']*'|"[^"]*"|\S+)""")
_WORD = re.compile(r"""\w+:(?:>=|<=|>|<|=)?(?:'[^']*'|"[^"]*"|\S+)|\S+""")
_SEARCH_FIELDS = {"created_at": "createdAt", "updated_at": "updatedAt", "processed_at": "createdAt", "id": "id"}
_OPS = {
    ">=": lambda a, b: a >= b,
    ">": lambda a, b: a > b,
    "<=": lambda a, b: a <= b,
    "<": lambda a, b: a < b,
    "=": lambda a, b: a == b,
}


def parse_search(query: str | None) -> list[tuple[str, str, float]]:
    """The search-syntax subset the importer needs: `created_at:>=2026-09-23T14:00:00Z updated_at:<'...'`.

    Terms are ANDed (spaces or AND). Unknown fields (status:any, ...) are ignored, as Shopify ignores filters
    it does not know; a date that does not parse is an error so a client bug cannot silently widen a sync.
    """
    terms = []
    for word in _WORD.findall(query or ""):  # a quoted value may contain spaces, so no plain split()
        if word == "OR":
            raise GraphQLError("This fake supports only AND between search terms.")
        match = _TERM.fullmatch(word)
        if not match or match[1] not in _SEARCH_FIELDS:
            continue  # AND, or a filter the fake does not model
        field, op, raw = _SEARCH_FIELDS[match[1]], match[2] or "=", match[3].strip("'\"")
        try:
            value = legacy_id(raw) if field == "id" else _timestamp(raw.replace(" ", "T"))
        except ValueError:
            raise GraphQLError(f"Invalid value for {match[1]}: {raw!r}") from None
        terms.append((field, op, value))
    return terms


_SORT_FIELDS = {"CREATED_AT": "createdAt", "UPDATED_AT": "updatedAt", "PROCESSED_AT": "createdAt"}


class _Index:
    """Orders sorted by one key, as parallel lists: `keys` (value, id) for bisect, `rows` for filtering."""

    def __init__(self, orders, sort_field: str):
        rows = []
        for node in orders:
            values = {"createdAt": _timestamp(node["createdAt"]), "updatedAt": _timestamp(node["updatedAt"])}
            values["id"] = legacy_id(node["id"])  # an int: real ids exceed 2**53, a float would merge neighbours
            rows.append(((values.get(sort_field, values["id"]), values["id"]), values, node))
        rows.sort(key=lambda row: row[0])
        self.sort_field = sort_field
        self.keys = [row[0] for row in rows]
        self.rows = rows

    def page(self, terms, first: int, after: str | None, reverse: bool):
        lo, hi = 0, len(self.keys)
        other_terms = []
        for field, op, value in terms:  # terms on the sort key narrow the range by bisection
            if field != self.sort_field:
                other_terms.append((field, op, value))
                continue
            below, above = (value, float("-inf")), (value, float("inf"))  # around every id with that value
            if op in (">=", "="):
                lo = max(lo, bisect.bisect_left(self.keys, below))
            if op == ">":
                lo = max(lo, bisect.bisect_right(self.keys, above))
            if op in ("<=", "="):
                hi = min(hi, bisect.bisect_right(self.keys, above))
            if op == "<":
                hi = min(hi, bisect.bisect_left(self.keys, below))
        has_previous = False
        if after:
            data = _uncursor(after)
            key = (data.get("last_value"), data.get("last_id"))
            if not isinstance(key[0], int | float) or not isinstance(key[1], int | float):
                raise GraphQLError(f"Invalid cursor for current pagination sort: {after!r}")
            if reverse:
                hi = min(hi, bisect.bisect_left(self.keys, key))
            else:
                lo = max(lo, bisect.bisect_right(self.keys, key))
            has_previous = True
        positions = range(hi - 1, lo - 1, -1) if reverse else range(lo, hi)
        found = []
        for position in positions:
            key, values, node = self.rows[position]
            if all(_OPS[op](values[field], value) for field, op, value in other_terms):
                found.append((key, node))
                if len(found) > first:
                    break
        return found[:first], len(found) > first, has_previous


# --- execution ----------------------------------------------------------------------------------------------
class _Context:
    def __init__(self, shop: FakeShopify):
        self.shop = shop
        self.actual_cost = 0


@functools.cache
def _cost_kind(return_type) -> str:
    """How a field of this type counts in the actual cost; cached because it is asked for every resolved field."""
    named = get_named_type(return_type)
    if not is_composite_type(named):
        return "free"
    if named.name.endswith("Connection"):
        return "connection"
    if named.name.endswith("Edge") or named.name == "PageInfo":
        return "free-object"  # part of the connection's 2 points
    return "object"


def _resolve(source, info, **args):
    """Default resolution from dicts/root methods, plus paging of stored connections and actual-cost counting."""
    value = source.get(info.field_name) if isinstance(source, dict) else default_field_resolver(source, info, **args)
    kind = _cost_kind(info.return_type)
    if value is None or kind == "free":
        return value
    if kind == "connection":
        if not (isinstance(value, dict) and "pageInfo" in value):
            value = paginate_list(connection_nodes(value), args)
        info.context.actual_cost += 2
    elif isinstance(value, list):
        if args.get("first") is not None:
            value = value[: args["first"]]
        if kind == "object":
            info.context.actual_cost += sum(item is not None for item in value)
    elif kind == "object":
        info.context.actual_cost += 1
    return value


def _resolve_type(value, info, abstract_type):
    # Shopify GIDs name their type (gid://shopify/Order/1), so nodes(ids) needs no __typename in stored dicts.
    return value.get("__typename") or value["id"].split("/")[3]


class _Root(SubscriptionsRoot):
    """QueryRoot and Mutation: graphql-core's default resolver calls these methods with (info, **args)."""

    def __init__(self, shop: FakeShopify):
        self._shop = shop

    def shop(self, info):
        return self._shop.shop_node()

    def orders(self, info, **args):
        sort = args.get("sortKey")
        index = self._shop._index(_SORT_FIELDS.get(sort, "id"))
        found, has_next, has_previous = index.page(
            parse_search(args.get("query")), _page_size(args), args.get("after"), bool(args.get("reverse"))
        )
        view = self._shop._view
        rows = [(key, view(node)) for key, node in found]
        return _connection(rows, has_next, has_previous, lambda key: _cursor({"last_id": key[1], "last_value": key[0]}))

    def order(self, info, id):
        if not _check_gid(id).startswith(ORDER_GID):
            return None
        return self._shop._view(self._shop.get_order(id))

    def node(self, info, id):
        return self.order(info, id)  # orders are the only nodes this fake stores

    def nodes(self, info, ids):
        if len(ids) > MAX_PAGE:
            raise GraphQLError(f"The maximum number of ids is {MAX_PAGE}.")
        return [self.order(info, i) for i in ids]

    # -- bulk operations and counts (shopify_bulk) ----------------------------------------------------------
    def ordersCount(self, info, query=None, limit=10000, **_args):  # noqa: N802 -- the GraphQL field's name
        return self._shop.bulk.orders_count(query, limit)

    def bulkOperationRunQuery(self, info, query, groupObjects=False):  # noqa: N802, N803
        return self._shop.bulk.run_query(query, groupObjects)

    def bulkOperation(self, info, id):  # noqa: N802
        return self._shop.bulk.operation(id)

    def currentBulkOperation(self, info, type="QUERY"):  # noqa: N802
        return self._shop.bulk.current()


def _encode(payload) -> bytes:
    return json.dumps(payload).encode()


def _check_gid(value: str) -> str:
    if not re.fullmatch(r"gid://shopify/\w+/\d+", value or ""):
        raise GraphQLError(f"Invalid global id '{value}'")
    return value


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
            static_token=token, client_id=client_id, client_secret=client_secret, lifetime=token_lifetime,
            **({"scope": scope} if scope is not None else {}),
        )  # fmt: skip
        self.supported_versions = supported_versions
        self.shop_name, self.myshopify_domain, self.currency, self.plan = shop_name, myshopify_domain, currency, plan
        # Protected customer data: an app created in a Basic shop's admin gets no Level 2 fields (name, email,
        # phone, addresses). PROTOCOLS.md 1 marks the exact shape unverified; the fake answers them as null.
        self.redact_pii = plan.strip().lower() == "basic" if redact_pii is None else redact_pii
        self.bucket = _Bucket(max_available, restore_rate)
        self.seed = seed
        self._orders: dict[str, dict] = {}
        self._version = 0
        self._indexes: dict[str, tuple[int, _Index]] = {}
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
            stamp = max(float(int(time.time())), self._last_update + 1, _timestamp(old["updatedAt"]) + 1)
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

    def _index(self, sort_field: str) -> _Index:
        with self._lock:
            cached = self._indexes.get(sort_field)
            if cached is None or cached[0] != self._version:
                cached = (self._version, _Index(self._orders.values(), sort_field))
                self._indexes[sort_field] = cached
            return cached[1]

    @functools.cached_property
    def bulk(self) -> BulkOperations:
        return BulkOperations(self, executor_for=_lean_executor, schema=get_schema())

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
            document, errors = _prepare(request["query"])
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
        document, errors = _prepare(query)
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
            context = _Context(self)
            try:
                data = _lean_executor(query).run(
                    operation_name=operation_name, variables=variables, root=_Root(self), context=context
                )
                return context, {"data": data}
            except Unsupported:
                pass  # errors and the unusual: graphql-core answers, with its exact error shape
        context = _Context(self)
        result = execute_sync(
            get_schema(),
            document,
            root_value=_Root(self),
            context_value=context,
            variable_values=variables,
            operation_name=operation_name,
            field_resolver=_resolve,
            type_resolver=_resolve_type,
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
