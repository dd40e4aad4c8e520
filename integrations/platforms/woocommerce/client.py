"""WooCommerce REST API v3 client: auth by scheme, numbered pages, categories for the lines (R18, R41).

- Base `<shop>/wp-json/wc/v3/`; errors are `{code, message, data: {status}}` with 400/401/404/500
  (woocommerce-rest-api-docs `_introduction.md`).
- Auth (`_authentication.md`): over https, HTTP Basic with the consumer key and secret; over plain http
  WooCommerce refuses Basic and accepts only OAuth 1.0a "one-legged": HMAC-SHA1/SHA256, no token, no
  `oauth_version`, a timestamp within 15 minutes, parameters in the query string.
- Pages: `per_page` at most 100 (WordPress `WP_REST_Controller::get_collection_params`), `page` from 1,
  totals in `X-WP-Total` / `X-WP-TotalPages`. Pages are ordered by creation date, which an edit never
  changes: an order created or edited while we page can only be seen twice (harmless), never skipped.
- `after` / `modified_after` are exclusive and read as site time unless `dates_are_gmt=true`, so we
  send UTC, ask one second early and drop what is older than asked for.
"""

import base64
import hashlib
import hmac
import secrets
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from requests.auth import AuthBase, HTTPBasicAuth

from integrations.dto import Page, ShopInfo
from integrations.platforms.base import PlatformClient, plain_number
from integrations.platforms.http import HttpClient, TransientError
from integrations.platforms.woocommerce import categories
from integrations.platforms.woocommerce.mapping import CATEGORY_KEY, DESCRIPTION_KEY
from integrations.platforms.woocommerce.webhooks import WooCommerceWebhooks
from integrations.prefetch import numbered_pages

PER_PAGE = 100
CONCURRENT_PAGES = 4  # order pages asked for at once: a shop's PHP workers answer them side by side
OVERLAP = timedelta(seconds=1)


def _encode(value) -> str:
    return quote(str(value), safe="-._~")  # RFC 3986, as WooCommerce's wc_rest_urlencode_rfc3986


def oauth_signature(method: str, url: str, params: list[tuple[str, str]], secret: str) -> str:
    """Base64 HMAC-SHA256 of the RFC 5849 base string; WooCommerce keys it with `secret + "&"` (no token)."""
    normalized = "&".join(f"{k}={v}" for k, v in sorted((_encode(k), _encode(v)) for k, v in params))
    base = "&".join((method.upper(), _encode(url), _encode(normalized)))
    return base64.b64encode(hmac.new(f"{secret}&".encode(), base.encode(), hashlib.sha256).digest()).decode()


class OAuth1OneLegged(AuthBase):
    """Sign every request (a retry included: a fresh nonce and timestamp each time) in the query string."""

    def __init__(self, consumer_key: str, consumer_secret: str, clock=time.time):
        self.key, self.secret, self.clock = consumer_key, consumer_secret, clock

    def __call__(self, request):
        parts = urlsplit(request.url)
        params = parse_qsl(parts.query, keep_blank_values=True)
        params += [
            ("oauth_consumer_key", self.key),
            ("oauth_nonce", secrets.token_hex(16)),
            ("oauth_signature_method", "HMAC-SHA256"),
            ("oauth_timestamp", str(int(self.clock()))),
        ]
        url = urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
        params.append(("oauth_signature", oauth_signature(request.method, url, params, self.secret)))
        request.url = f"{url}?{urlencode(params, quote_via=quote, safe='-._~')}"
        return request


class SharedPauseHttpClient(HttpClient):
    """Pages fetched side by side share one pause: a 429's Retry-After holds back every request of the client,
    not only the one retried, so the shop is not asked again before it said it could answer (R41)."""

    def __post_init__(self):
        super().__post_init__()
        self._pause_until, self._paused_by = 0.0, None
        self._pause_lock = threading.Lock()

    def _once(self, method, path, check, kwargs):
        wait = self._pause_until - time.monotonic()
        if wait > 0 and self._paused_by != threading.get_ident():  # the 429's own retry waits in call()
            self.sleep(wait)
        try:
            answer = super()._once(method, path, check, kwargs)
        except TransientError as exc:
            if exc.retry_after:
                with self._pause_lock:
                    self._pause_until = max(self._pause_until, time.monotonic() + exc.retry_after)
                    self._paused_by = threading.get_ident()
            raise
        if self._paused_by == threading.get_ident():  # the shop answers the retried request again: pause over
            with self._pause_lock:
                self._pause_until, self._paused_by = 0.0, None
        return answer


class WooCommerceClient(WooCommerceWebhooks, PlatformClient):
    def __init__(
        self,
        *,
        url: str,
        consumer_key: str,
        consumer_secret: str,
        label: str = "woocommerce",
        sleep=time.sleep,
        attempts: int = 6,
    ):
        self.url = url.rstrip("/")
        secure = urlsplit(self.url).scheme == "https"
        auth = (
            HTTPBasicAuth(consumer_key, consumer_secret) if secure else OAuth1OneLegged(consumer_key, consumer_secret)
        )
        self.http = SharedPauseHttpClient(
            base_url=f"{self.url}/wp-json/wc/v3", label=label, auth=auth, sleep=sleep, attempts=attempts
        )
        self._tree: dict[int, categories.Node] | None = None  # read once per client (R18)
        self._products: dict[int, dict | None] = {}

    @property
    def requests_made(self) -> int:
        return self.http.requests_made

    def shop_info(self) -> ShopInfo:
        # /data/currencies/current (WooCommerce 3.5+, WC_REST_Data_Currencies_Controller): {code, name, symbol}.
        data, _ = self.http.call("GET", "data/currencies/current", check=_expect(dict))
        host = urlsplit(self.url).hostname or self.url
        return ShopInfo(name=host, currency=str(data.get("code") or "").upper(), domain=host)

    def orders_created_since(self, since: datetime, cursor: str = "") -> Iterator[Page]:
        return self._orders({"after": _iso(since - OVERLAP)}, "date_created_gmt", since, cursor)

    def orders_updated_since(self, since: datetime, cursor: str = "") -> Iterator[Page]:
        return self._orders({"modified_after": _iso(since - OVERLAP)}, "date_modified_gmt", since, cursor)

    def orders_by_ids(self, ids: list[str]) -> list[dict]:
        wanted = sorted({int(i) for i in ids if plain_number(str(i))})
        found = []
        for start in range(0, len(wanted), PER_PAGE):
            chunk = ",".join(str(i) for i in wanted[start : start + PER_PAGE])
            data, _ = self.http.call(
                "GET", "orders", params={"include": chunk, "per_page": PER_PAGE}, check=_expect(list)
            )
            found += data
        return self._annotate(found)

    def order_ids_created_between(self, start: datetime, end: datetime) -> Iterator[tuple[str, datetime]]:
        """(id, created) of every order created in [start, end) (R43); `_fields` keeps the pages light.

        `after`/`before` are exclusive (so `after` asks a second early and the older ones are dropped);
        `_fields` is WordPress's global field filter (REST API handbook, "Global Parameters").
        """
        params = {
            "after": _iso(start - OVERLAP),
            "before": _iso(end),
            "dates_are_gmt": "true",
            "orderby": "date",
            "order": "asc",
            "_fields": "id,date_created_gmt",
        }
        for order in self._pages("orders", params):
            try:
                created = datetime.fromisoformat(str(order.get("date_created_gmt"))).replace(tzinfo=UTC)
            except ValueError:
                continue  # unreadable: the import logs it when the order itself is fetched (R40)
            if start <= created < end and order.get("id") is not None:
                yield str(order["id"]), created

    def get_order(self, order_id: str) -> dict:
        data, _ = self.http.call("GET", f"orders/{int(order_id)}", check=_expect(dict))
        return data

    def set_status(self, order_id: str, status: str) -> dict:
        # "Update an Order": PUT /orders/<id> {"status": "completed"} answers the whole order.
        data, _ = self.http.call("PUT", f"orders/{int(order_id)}", json={"status": status}, check=_expect(dict))
        return data

    # --- paging ---------------------------------------------------------------------------------
    def _orders(self, filters: dict, field: str, since: datetime, cursor: str) -> Iterator[Page]:
        """Up to CONCURRENT_PAGES pages at a time (a real shop takes 0.5-1 s a page), handed on in page order,
        so the cursor after a page still means "every page up to here" (prefetch.numbered_pages)."""
        first = int(cursor) if cursor.isdigit() and int(cursor) > 0 else 1

        def fetch(page: int):
            params = {
                **filters,
                "dates_are_gmt": "true",
                "orderby": "date",
                "order": "asc",
                "per_page": PER_PAGE,
                "page": page,
            }
            data, response = self.http.call("GET", "orders", params=params, check=_expect(list))
            pages = _int(response.headers.get("X-WP-TotalPages"))
            if not data:
                last = page  # nothing here: nothing after it either
            else:
                last = pages if pages is not None else (page + 1 if len(data) >= PER_PAGE else page)
            return (page, data, _int(response.headers.get("X-WP-Total"))), last

        for page, data, total in numbered_pages(fetch, first, width=CONCURRENT_PAGES):
            fresh = [o for o in data if not _older(o, field, since)]
            yield Page(payloads=self._annotate(fresh), cursor=str(page + 1), total=total)

    def _pages(self, path: str, params: dict) -> Iterator[dict]:
        page = 1
        while True:
            data, response = self.http.call(
                "GET", path, params={**params, "per_page": PER_PAGE, "page": page}, check=_expect(list)
            )
            yield from data
            pages = _int(response.headers.get("X-WP-TotalPages"))
            if not data or (page >= pages if pages is not None else len(data) < PER_PAGE):
                return
            page += 1

    # --- products and categories of the lines (R17, R18) ------------------------------------------
    def _annotate(self, orders: list[dict]) -> list[dict]:
        """Add each line's chosen category path and product description, so the mapping stays pure."""
        ids = {li.get("product_id") for o in orders for li in _items(o)}
        missing = sorted(i for i in ids if isinstance(i, int) and i > 0 and i not in self._products)
        for start in range(0, len(missing), PER_PAGE):  # one call per 100 products of the page
            chunk = missing[start : start + PER_PAGE]
            self._products.update(dict.fromkeys(chunk))  # deleted products stay None: asked once
            include = ",".join(map(str, chunk))
            self._products.update({p["id"]: p for p in self._pages("products", {"include": include}) if "id" in p})
        if any((p or {}).get("categories") for p in self._products.values()) and self._tree is None:
            self._tree = categories.tree_from_api(self._pages("products/categories", {}))
        return [self._with_lines(o) for o in orders]

    def _with_lines(self, order) -> dict:
        items = order.get("line_items") if isinstance(order, dict) else None
        if not isinstance(items, list):
            return order  # unreadable: the mapping says what is wrong (R40)
        return {**order, "line_items": [self._line(li) if isinstance(li, dict) else li for li in items]}

    def _line(self, item: dict) -> dict:
        product = self._products.get(item.get("product_id")) or {}
        path = categories.choose(product.get("categories") or [], self._tree or {})
        return {
            **item,
            CATEGORY_KEY: list(path),
            DESCRIPTION_KEY: product.get("short_description") or product.get("description") or "",
        }


def _items(order) -> list[dict]:
    items = order.get("line_items") if isinstance(order, dict) else None
    return [i for i in items if isinstance(i, dict)] if isinstance(items, list) else []


def _expect(kind):
    def check(data, response):
        if not isinstance(data, kind):  # a proxy's HTML page or a half answer: worth another try
            raise TransientError(f"unexpected answer shape from WooCommerce (HTTP {response.status_code})")

    return check


def _older(order, field: str, since: datetime) -> bool:
    try:
        moment = datetime.fromisoformat(str(order.get(field))).replace(tzinfo=UTC)
    except (AttributeError, ValueError):
        return False  # unreadable: let the mapping log it (R40)
    return moment < since


def _int(value) -> int | None:
    return int(value) if value is not None and plain_number(str(value)) else None


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")
