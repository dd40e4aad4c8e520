"""Shopify bulk operations: a backfill window's orders exported as one JSONL file (R50).

https://shopify.dev/docs/api/usage/bulk-operations/queries: `bulkOperationRunQuery(query:)` runs one query
without pagination limits and writes JSONL, each node on its own line; the nodes of a nested connection are
lines of their own carrying `__parentId`. `groupObjects: true` puts them right after their parent, which is
what lets an order be rebuilt while the file streams by (without it they may come anywhere later). At most 5
connections and 2 levels of nesting; the result's `url` lives 7 days; the export is not bound by the cost
budget. Every field asked for exists in the 2026-04 schema and none is deprecated there (tested, the inner
query too), and the exported order has the shape of a paged `Order` node, so the one mapping reads both.
"""

import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import requests
from django.conf import settings

from integrations.dto import Page
from integrations.platforms.http import HttpClient, PlatformError, RefusedRequest
from integrations.platforms.shopify import queries

logger = logging.getLogger("integrations.shopify")

RESULT_LIFETIME = timedelta(days=7)  # "url and partialDataUrl expire after seven days"
ORDERS_PER_PAGE = 50  # orders handed on together; the import merges pages into its own batches
DOWNLOAD_ATTEMPTS = 4  # a dropped download resumes from the last line read, this many times
# Child lines in the file: the object type named by their id -> the connection of the order they belong to.
CHILD_CONNECTIONS = {"LineItem": "lineItems", "ShippingLine": "shippingLines"}

# Three connections (orders, lineItems, shippingLines), nested one level: within Shopify's limits of 5 and 2.
# Nested connections take no `first`: a bulk export has no pages, so every line of every order comes.
BULK_ORDERS_QUERY = """
{
  orders(query: SEARCH, sortKey: CREATED_AT) {
    edges {
      node {
%(scalars)s        shippingAddress { firstName lastName phone address1 address2 city province zip country }
        billingAddress { firstName lastName phone address1 address2 city province zip country }
        totalPriceSet { shopMoney { amount currencyCode } }
        lineItems {
          edges {
            node {
              id name title variantTitle quantity sku
              originalUnitPriceSet { shopMoney { amount currencyCode } }
              product { id legacyResourceId productType description }
            }
          }
        }
        shippingLines {
          edges {
            node { id title code carrierIdentifier source originalPriceSet { shopMoney { amount currencyCode } } }
          }
        }
        fulfillments { trackingInfo { company number url } }
      }
    }
  }
}
""" % {"scalars": queries.ORDER_SCALARS}

OPERATION_FIELDS = "id status errorCode objectCount rootObjectCount url partialDataUrl createdAt completedAt"

RUN_QUERY_MUTATION = f"""
mutation BulkOrders($query: String!) {{
  bulkOperationRunQuery(query: $query, groupObjects: true) {{
    bulkOperation {{ {OPERATION_FIELDS} }}
    userErrors {{ code field message }}
  }}
}}
"""

OPERATION_QUERY = f"""
query BulkOperation($id: ID!) {{
  bulkOperation(id: $id) {{ {OPERATION_FIELDS} }}
}}
"""

# `limit: null`: the count is exact however large the window (the default stops at 10,000).
ORDERS_COUNT_QUERY = """
query OrdersCount($query: String) {
  ordersCount(query: $query, limit: null) { count precision }
}
"""

DOCUMENTS = {"BulkOrders": RUN_QUERY_MUTATION, "BulkOperation": OPERATION_QUERY, "OrdersCount": ORDERS_COUNT_QUERY}


def created_since_search(since: datetime) -> str:
    return f"created_at:>='{since.astimezone(UTC).strftime('%Y-%m-%dT%H:%M:%SZ')}'"


def bulk_orders_query(since: datetime) -> str:
    # json.dumps gives a GraphQL string literal: the search text is ASCII and its quotes are escaped.
    return BULK_ORDERS_QUERY.replace("SEARCH", json.dumps(created_since_search(since)))


class ExportBusy(PlatformError):
    """Shopify runs as many bulk queries for this app and shop as it allows (another process of the app)."""


class ResultGone(PlatformError):
    """The result file's address no longer answers (it lives 7 days): a new export is needed."""


class ExportUnreadable(PlatformError):
    """The result file is not laid out as asked (a child line away from its order): paging reads the window."""


@dataclass(frozen=True)
class Operation:
    id: str
    status: str
    error_code: str = ""
    objects: int = 0
    orders: int = 0
    url: str = ""
    partial_url: str = ""
    completed_at: datetime | None = None

    @property
    def running(self) -> bool:
        return self.status in ("CREATED", "RUNNING", "CANCELING")

    @property
    def url_expires(self) -> datetime | None:
        return self.completed_at + RESULT_LIFETIME if self.completed_at else None

    @classmethod
    def from_node(cls, node: dict) -> "Operation":
        completed = node.get("completedAt")
        return cls(
            id=str(node["id"]),
            status=str(node.get("status") or ""),
            error_code=str(node.get("errorCode") or ""),
            objects=int(node.get("objectCount") or 0),
            orders=int(node.get("rootObjectCount") or 0),
            url=node.get("url") or "",
            partial_url=node.get("partialDataUrl") or "",
            completed_at=datetime.fromisoformat(completed.replace("Z", "+00:00")) if completed else None,
        )


class BulkExport:
    """Bulk exports through one store's ShopifyClient (its token, cost budget and retries)."""

    Busy, ResultGone, Unreadable = ExportBusy, ResultGone, ExportUnreadable  # what integrations.backfill_bulk catches

    def __init__(self, client):
        self.client = client
        self.label = client.http.label

    def orders_count(self, since: datetime) -> int:
        data = self.client.query(ORDERS_COUNT_QUERY, {"query": created_since_search(since)})
        return int((data.get("ordersCount") or {}).get("count") or 0)

    def start(self, since: datetime) -> Operation:
        """Start the export of the window's orders; ExportBusy while Shopify runs as many as it allows."""
        answer = self.client.query(RUN_QUERY_MUTATION, {"query": bulk_orders_query(since)})["bulkOperationRunQuery"]
        errors = answer.get("userErrors") or []
        if errors:
            text = "; ".join(str(e.get("message")) for e in errors)
            if any(e.get("code") in ("OPERATION_IN_PROGRESS", "LIMIT_REACHED") for e in errors):
                raise ExportBusy(f"{self.label}: Shopify is already running a bulk export for this app: {text}")
            raise PlatformError(f"{self.label}: Shopify refused the bulk export: {text[:500]}")
        return Operation.from_node(answer["bulkOperation"])

    def operation(self, operation_id: str) -> Operation | None:
        node = self.client.query(OPERATION_QUERY, {"id": operation_id}).get("bulkOperation")
        return Operation.from_node(node) if node else None

    def orders(self, url: str, *, after_line: int = 0, total: int | None = None) -> Iterator[Page]:
        """The exported orders after line `after_line` of the file, a page at a time; a page's cursor is the
        number of the file's last line it holds, so a checkpoint there resumes right after it."""
        payloads, last = [], after_line
        for last, order in _rebuilt_orders(result_lines(url, after_line=after_line, label=self.label)):
            payloads.append(order)
            if len(payloads) >= ORDERS_PER_PAGE:
                yield Page(payloads=payloads, cursor=str(last), total=total)
                payloads = []
        if payloads:
            yield Page(payloads=payloads, cursor=str(last), total=total)


def result_lines(url: str, *, after_line: int = 0, label: str = "shopify") -> Iterator[tuple[int, bytes]]:
    """(number, line) of the result file after `after_line`, streamed (never whole in memory). A download that
    breaks off is opened again and read on from the last line handed out."""
    _check_result_url(url)
    # No credentials go with it (a signed address), and unless allowed, only to a public address (R52).
    http = HttpClient(base_url="", label=label)
    done, failures = after_line, 0
    while True:
        try:
            with http.session.get(url, stream=True, timeout=http.timeout) as response:
                if response.status_code in (400, 401, 403, 404, 410):
                    raise ResultGone(
                        f"{label}: the bulk export's file is no longer there (HTTP "
                        f"{response.status_code}); a new export is needed"
                    )
                if response.status_code != 200:
                    raise requests.HTTPError(f"HTTP {response.status_code}")
                for number, line in enumerate(response.iter_lines(chunk_size=65536), start=1):
                    if number > done and line:
                        done = number
                        yield number, line
            return
        except RefusedRequest:
            raise
        except requests.RequestException as exc:
            failures += 1
            if failures >= DOWNLOAD_ATTEMPTS:
                raise PlatformError(f"{label}: the bulk export's file could not be read: {exc}") from exc
            logger.warning(
                "%s: the bulk export's download broke off after line %d (%s); reading on",
                label,
                done,
                type(exc).__name__,
            )


def _check_result_url(url: str) -> None:
    parts = urlsplit(url or "")
    allowed = ("https", "http") if settings.ROAPP_ALLOW_INSECURE_PLATFORM_URLS else ("https",)
    if parts.scheme not in allowed or not parts.hostname:
        raise PlatformError("Shopify gave a bulk export address that is not https; it is not read")


def _rebuilt_orders(lines: Iterator[tuple[int, bytes]]) -> Iterator[tuple[int, dict]]:
    """(last line, order) for each order of the file, its line items and shipping lines put back into it as
    the `edges` a paged query answers, so the order reads exactly like a paged node."""
    order, end = None, 0
    for number, line in lines:
        try:
            node = json.loads(line)
        except ValueError as exc:
            raise ExportUnreadable(f"line {number} of the bulk export is not JSON") from exc
        parent = node.pop("__parentId", None)
        if parent is None:
            if order is not None:
                yield end, order
            order, end = {**node, "lineItems": {"edges": []}, "shippingLines": {"edges": []}}, number
            continue
        kind = str(node.get("id") or "").split("/")[3:4]
        connection = CHILD_CONNECTIONS.get(kind[0] if kind else "")
        if order is None or parent != order.get("id") or connection is None:
            raise ExportUnreadable(f"line {number} of the bulk export does not follow its order {parent}")
        order[connection]["edges"].append({"node": node})
        end = number
    if order is not None:
        yield end, order
