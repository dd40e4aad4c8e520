"""Finding orders on the fake Shopify: the search syntax, sorted indexes and cursor pagination.

Connections page forward with opaque cursors (first/after), as Shopify's do; a search narrows the orders by
bisection on the sort key, so a shop of many thousand orders answers a page quickly.
"""

from __future__ import annotations

import base64
import bisect
import json
import re
from datetime import UTC, datetime

from graphql import GraphQLError

from .shopify_orders import legacy_id

MAX_PAGE = 250  # Shopify's maximum for first/last


def encode_cursor(payload: dict) -> str:
    return base64.b64encode(json.dumps(payload, separators=(",", ":")).encode()).decode()


def _decode_cursor(text: str) -> dict:
    try:
        payload = json.loads(base64.b64decode(text, validate=True))
    except ValueError:
        payload = None
    if not isinstance(payload, dict):
        raise GraphQLError(f"Invalid cursor for current pagination sort: {text!r}")
    return payload


def page_size(args: dict) -> int:
    if args.get("last") is not None or args.get("before") is not None:
        raise GraphQLError("This fake serves forward pagination (first/after) only.")
    if args.get("first") is None:
        raise GraphQLError("you must provide one of first or last")
    return max(0, min(int(args["first"]), MAX_PAGE))


def connection(rows: list, has_next: bool, has_previous: bool, cursor_of) -> dict:
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
    first = page_size(args)
    ordered = list(reversed(items)) if args.get("reverse") else items
    offset = _decode_cursor(args["after"]).get("offset") if args.get("after") else -1
    if not isinstance(offset, int):
        raise GraphQLError(f"Invalid cursor for current pagination sort: {args['after']!r}")
    start = offset + 1
    rows = list(enumerate(ordered))[start : start + first]
    return connection(rows, start + first < len(ordered), start > 0, lambda i: encode_cursor({"offset": i}))


def timestamp(value: str) -> float:
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
            value = legacy_id(raw) if field == "id" else timestamp(raw.replace(" ", "T"))
        except ValueError:
            raise GraphQLError(f"Invalid value for {match[1]}: {raw!r}") from None
        terms.append((field, op, value))
    return terms


SORT_FIELDS = {"CREATED_AT": "createdAt", "UPDATED_AT": "updatedAt", "PROCESSED_AT": "createdAt"}


class OrderIndex:
    """Orders sorted by one key, as parallel lists: `keys` (value, id) for bisect, `rows` for filtering."""

    def __init__(self, orders, sort_field: str):
        rows = []
        for node in orders:
            values = {"createdAt": timestamp(node["createdAt"]), "updatedAt": timestamp(node["updatedAt"])}
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
            data = _decode_cursor(after)
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
