"""How the fake Shopify resolves a query: the root fields, values read from the stored order dicts, and the
actual cost counted on the way. Both executors use these: the lean one (shopify_exec) and graphql-core's.
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

from graphql import GraphQLError, default_field_resolver

from .shopify_cost import actual_cost_kind
from .shopify_exec import LeanExecutor
from .shopify_orders import ORDER_GID, connection_nodes
from .shopify_schema import get_schema, prepare
from .shopify_search import MAX_PAGE, SORT_FIELDS, connection, encode_cursor, page_size, paginate_list, parse_search
from .shopify_webhooks import SubscriptionsRoot

if TYPE_CHECKING:
    from .shopify import FakeShopify


class ResolveContext:
    """What the resolvers of one query share: the shop, and the actual cost counted so far."""

    def __init__(self, shop: FakeShopify):
        self.shop = shop
        self.actual_cost = 0


def resolve(source, info, **args):
    """Default resolution from dicts/root methods, plus paging of stored connections and actual-cost counting."""
    value = source.get(info.field_name) if isinstance(source, dict) else default_field_resolver(source, info, **args)
    kind = actual_cost_kind(info.return_type)
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


def resolve_type(value, info, abstract_type):
    # Shopify GIDs name their type (gid://shopify/Order/1), so nodes(ids) needs no __typename in stored dicts.
    return value.get("__typename") or value["id"].split("/")[3]


class QueryRoot(SubscriptionsRoot):
    """QueryRoot and Mutation: graphql-core's default resolver calls these methods with (info, **args)."""

    def __init__(self, shop: FakeShopify):
        self._shop = shop

    def shop(self, info):
        return self._shop.shop_node()

    def orders(self, info, **args):
        sort = args.get("sortKey")
        index = self._shop._index(SORT_FIELDS.get(sort, "id"))
        found, has_next, has_previous = index.page(
            parse_search(args.get("query")), page_size(args), args.get("after"), bool(args.get("reverse"))
        )
        view = self._shop._view
        rows = [(key, view(node)) for key, node in found]
        return connection(rows, has_next, has_previous, _order_cursor)

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


def _order_cursor(key: tuple) -> str:
    """An order's place in a sorted index: the sort key's value and the id that breaks ties."""
    return encode_cursor({"last_id": key[1], "last_value": key[0]})


def _check_gid(value: str) -> str:
    if not re.fullmatch(r"gid://shopify/\w+/\d+", value or ""):
        raise GraphQLError(f"Invalid global id '{value}'")
    return value


@functools.lru_cache(maxsize=128)
def lean_executor(query: str) -> LeanExecutor:
    return LeanExecutor(get_schema(), prepare(query)[0], resolve, resolve_type)
