"""Shopify Admin GraphQL client: cursor pages, search queries, cost-based throttling (R41).

- Auth: `X-Shopify-Access-Token`, https://shopify.dev/docs/api/usage/authentication: the token of a Dev Dashboard
  app, obtained and renewed by tokens.StoreTokens (a 401 renews it once and asks again, R46), or the fixed token
  of an app created in the Shopify admin before 2026 (tokens.StaticToken).
- Version: every answer names the Admin API version it was served as (`X-Shopify-API-Version`); the last one
  is kept in `api_version` for the store health page (R47).
- Pagination: `first`/`after` with `pageInfo { hasNextPage endCursor }`,
  https://shopify.dev/docs/api/usage/pagination-graphql
- Limits: every answer carries `extensions.cost.throttleStatus`; we wait for the bucket to refill
  before a query it cannot afford, and a `THROTTLED` answer waits (needed - available) / restoreRate.
  https://shopify.dev/docs/api/usage/rate-limits
"""

import logging
import time
from collections.abc import Iterator
from datetime import UTC, datetime

from integrations.dto import ApiBudget, Page, ShopInfo
from integrations.platforms.base import PlatformClient
from integrations.platforms.http import HttpClient, PlatformError, TransientError
from integrations.platforms.shopify import queries
from integrations.platforms.shopify.tokens import StaticToken
from integrations.platforms.shopify.webhooks import ShopifyWebhooks

logger = logging.getLogger("integrations.shopify")

MAX_THROTTLE_WAIT = 30.0


class ShopifyClient(ShopifyWebhooks, PlatformClient):
    def __init__(
        self, *, url: str, token: str = "", tokens=None, label: str = "shopify", sleep=time.sleep, attempts: int = 6
    ):
        self.tokens = tokens or StaticToken(token)
        self.http = HttpClient(
            base_url=f"{url.rstrip('/')}/admin/api/{queries.API_VERSION}",
            label=label,
            # A fixed token goes with every request; a renewable one is set per query (`query`).
            headers={"Content-Type": "application/json", **({"X-Shopify-Access-Token": token} if token else {})},
            sleep=sleep,
            attempts=attempts,
        )
        self.sleep = sleep
        self.api_version = ""  # as X-Shopify-API-Version named it in the last answer
        self._bucket = None  # last throttleStatus seen
        self._bucket_seen_at = 0.0
        self.last_cost = None

    @property
    def requests_made(self) -> int:
        return self.http.requests_made

    # --- queries -------------------------------------------------------------------------------
    def shop_info(self) -> ShopInfo:
        shop = self.query(queries.SHOP_QUERY)["shop"]
        # publicDisplayName: "Basic", "Grow", "Advanced", "Plus"... (displayName is deprecated, R22 reads this).
        plan = (shop.get("plan") or {}).get("publicDisplayName") or ""
        return ShopInfo(
            name=shop.get("name") or "",
            currency=(shop.get("currencyCode") or "").upper(),
            plan=plan,
            domain=shop.get("myshopifyDomain") or "",
        )

    def orders_created_since(self, since: datetime, cursor: str = "") -> Iterator[Page]:
        return self._orders(f"created_at:>='{_iso(since)}'", "CREATED_AT", cursor)

    def orders_updated_since(self, since: datetime, cursor: str = "") -> Iterator[Page]:
        return self._orders(f"updated_at:>='{_iso(since)}'", "UPDATED_AT", cursor)

    def orders_by_ids(self, ids: list[str]) -> list[dict]:
        found = []
        for start in range(0, len(ids), queries.ORDERS_PER_PAGE):
            gids = [f"gid://shopify/Order/{i}" for i in ids[start : start + queries.ORDERS_PER_PAGE]]
            nodes = self.query(queries.ORDERS_BY_ID_QUERY, {"ids": gids})["nodes"]
            found += [self._complete_lines(n) for n in nodes if n and n.get("__typename", "Order") == "Order"]
        return found

    def order_ids_created_between(self, start: datetime, end: datetime) -> Iterator[tuple[str, datetime]]:
        """(id, created) of every order created in [start, end): the platform's side of R43."""
        after = None
        search = f"created_at:>='{_iso(start)}' created_at:<'{_iso(end)}'"
        while True:
            variables = {"first": queries.ORDER_IDS_PER_PAGE, "after": after, "query": search}
            orders = self.query(queries.ORDER_IDS_QUERY, variables)["orders"]
            for edge in orders["edges"]:
                node = edge["node"]
                yield str(node["legacyResourceId"]), datetime.fromisoformat(node["createdAt"].replace("Z", "+00:00"))
            info = orders["pageInfo"]
            if not info.get("hasNextPage") or not info.get("endCursor"):
                return
            after = info["endCursor"]

    def _orders(self, search: str, sort_key: str, cursor: str) -> Iterator[Page]:
        after = cursor or None
        while True:
            variables = {"first": queries.ORDERS_PER_PAGE, "after": after, "query": search, "sortKey": sort_key}
            orders = self.query(queries.ORDERS_QUERY, variables)["orders"]
            nodes = [self._complete_lines(edge["node"]) for edge in orders["edges"]]
            info = orders["pageInfo"]
            after = info.get("endCursor") or after
            yield Page(payloads=nodes, cursor=after or "")
            if not info.get("hasNextPage"):
                return

    def _complete_lines(self, node: dict) -> dict:
        """Fetch the rest of an order's lines when the first page of them was not all (never trust a part)."""
        lines = node.get("lineItems") or {}
        info = lines.get("pageInfo") or {}
        while info.get("hasNextPage"):
            more = self.query(queries.ORDER_LINES_QUERY, {"id": node["id"], "after": info.get("endCursor")})
            page = more["order"]["lineItems"]
            lines = {"edges": [*lines.get("edges", []), *page["edges"]], "pageInfo": page["pageInfo"]}
            info = page["pageInfo"]
        if lines:
            node = {**node, "lineItems": lines}
        return node

    # --- transport -----------------------------------------------------------------------------
    def query(self, document: str, variables: dict | None = None) -> dict:
        self._wait_for_budget()
        token = self.tokens.current()
        try:
            data = self._post(document, variables, token)
        except PlatformError as exc:
            # A token Shopify no longer takes (expired early, revoked): renew it once and ask again (R46).
            if exc.status != 401 or not self.tokens.renew(rejected=token):
                raise
            logger.info("%s: the access token was refused; asking again with a renewed one", self.http.label)
            data = self._post(document, variables, self.tokens.current())
        return data["data"]

    def _post(self, document: str, variables: dict | None, token: str) -> dict:
        body = {"query": document, "variables": variables or {}}
        headers = {"X-Shopify-Access-Token": token}
        data, _ = self.http.call("POST", "graphql.json", json=body, headers=headers, check=self._check)
        return data

    def _check(self, data, response):
        self.api_version = response.headers.get("X-Shopify-API-Version") or self.api_version
        if not isinstance(data, dict):
            raise TransientError("unexpected answer shape from Shopify")
        cost = (data.get("extensions") or {}).get("cost") or {}
        self._remember_cost(cost)
        errors = data.get("errors")
        if errors:
            codes = {((e or {}).get("extensions") or {}).get("code") for e in errors if isinstance(e, dict)}
            messages = "; ".join(str((e or {}).get("message", e)) if isinstance(e, dict) else str(e) for e in errors)
            if "THROTTLED" in codes or "Throttled" in messages:
                raise TransientError("GraphQL THROTTLED", retry_after=self._refill_seconds(cost))
            # A partial answer is never trusted: the page fails and its checkpoint stays put.
            raise PlatformError(f"Shopify GraphQL error: {messages[:500]}")
        if not isinstance(data.get("data"), dict):
            raise TransientError("Shopify answered without data")

    def _remember_cost(self, cost: dict):
        if cost.get("throttleStatus"):
            self._bucket = cost["throttleStatus"]
            self._bucket_seen_at = time.monotonic()
            self.last_cost = cost

    def api_budget(self) -> ApiBudget | None:
        """The cost bucket as the last answer's throttleStatus stated it."""
        status = self._bucket or {}
        if status.get("currentlyAvailable") is None or status.get("maximumAvailable") is None:
            return None
        return ApiBudget(
            available=float(status["currentlyAvailable"]),
            maximum=float(status["maximumAvailable"]),
            restore_rate=float(status.get("restoreRate") or 0),
        )

    def _refill_seconds(self, cost: dict) -> float:
        status = cost.get("throttleStatus") or {}
        needed = float(cost.get("requestedQueryCost") or 0)
        available = float(status.get("currentlyAvailable") or 0)
        rate = float(status.get("restoreRate") or 50) or 50
        return min(max((needed - available) / rate, 0.05), MAX_THROTTLE_WAIT)

    def _wait_for_budget(self):
        """Wait before a query the bucket cannot afford, instead of spending a request on THROTTLED."""
        if not self._bucket or not self.last_cost:
            return
        needed = float(self.last_cost.get("requestedQueryCost") or 0)
        rate = float(self._bucket.get("restoreRate") or 50) or 50
        elapsed = time.monotonic() - self._bucket_seen_at
        available = min(
            float(self._bucket.get("currentlyAvailable") or 0) + elapsed * rate,
            float(self._bucket.get("maximumAvailable") or needed),
        )
        if available < needed:
            wait = min((needed - available) / rate, MAX_THROTTLE_WAIT)
            logger.info("%s: waiting %.2fs for the API cost budget", self.http.label, wait)
            self.sleep(wait)


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
