"""What a query costs on the fake Shopify, and the leaky bucket it is paid from.

The requested cost is computed from the document before the query runs (requested_cost); the actual cost is counted
while resolving (shopify_resolvers, by actual_cost_kind) and the difference is refunded to the bucket.
"""

from __future__ import annotations

import functools
import threading
import time

from graphql import (
    FieldNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    IntValueNode,
    ListValueNode,
    OperationDefinitionNode,
    VariableNode,
    get_named_type,
    is_abstract_type,
    is_composite_type,
    is_list_type,
    is_non_null_type,
)

from .shopify_schema import get_schema
from .shopify_search import MAX_PAGE


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


class CostBucket:
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


@functools.cache
def actual_cost_kind(return_type) -> str:
    """How a field of this type counts in the actual cost; cached because it is asked for every resolved field."""
    named = get_named_type(return_type)
    if not is_composite_type(named):
        return "free"
    if named.name.endswith("Connection"):
        return "connection"
    if named.name.endswith("Edge") or named.name == "PageInfo":
        return "free-object"  # part of the connection's 2 points
    return "object"
