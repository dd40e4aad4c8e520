"""Cartum API client: `POST <shop>/api/<function>/` with JSON, a short-lived token, offset pages (R41).

- Auth (https://horoshop.atlassian.net/wiki/spaces/DOCS/pages/3693183137): `auth` {login, password}
  answers a token that lives 600 s and goes in the body of every other call. It may be refused sooner,
  so an `UNAUTHORIZED` answer (or an HTTP 401/403) logs in again and repeats the call once; a token
  older than 540 s is renewed before use.
- Every answer is `{status, response}`: "OK", "EMPTY" (nothing found), "WARNING" (per-record `log`),
  "UNAUTHORIZED", and error codes. Cartum answers 200 even for those, so the status is checked here.
- `orders/get` (https://horoshop.atlassian.net/wiki/spaces/DOCS/pages/3693183343): `from`/`to` inclusive,
  "YYYY-MM-DD HH:mm:ss" since 3.30, `ids`, `offset` + `limit` (offset is ignored without a limit, so
  both always go). Page.cursor is the next offset. There is no "changed since" filter and no status
  webhook, so a poll re-reads the orders created in the last two months and the digest keeps unchanged
  ones from writing anything.
"""

import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from integrations.dto import Page, ShopInfo
from integrations.platforms.base import MappingError, PlatformClient, plain_number
from integrations.platforms.cartum.mapping import SHOP_TZ, STATUS_KEY, parse_shop_time
from integrations.platforms.cartum.statuses import CartumStatus, parse_statuses
from integrations.platforms.cartum.webhooks import CartumWebhooks
from integrations.platforms.http import HttpClient, PlatformError, TransientError

PER_PAGE = 100
TOKEN_LIFETIME = 600.0
TOKEN_MARGIN = 60.0
POLL_LOOKBACK = timedelta(days=62)  # the two calendar months a backfill covers (R3)
TOKEN_PROBLEMS = frozenset({"UNAUTHORIZED", "AUTHORIZATION_ERROR"})
ANSWERS = frozenset({"OK", "EMPTY", "WARNING"})


class CartumAnswer(PlatformError):
    """Cartum answered, but not with a result: `answer` is its status code (UNDEFINED_FUNCTION, ERROR, ...)."""

    def __init__(self, message: str, *, answer: str):
        super().__init__(message)
        self.answer = answer


class CartumClient(CartumWebhooks, PlatformClient):
    def __init__(
        self,
        *,
        url: str,
        login: str,
        password: str,
        label: str = "cartum",
        sleep=time.sleep,
        attempts: int = 6,
        clock=time.monotonic,
    ):
        self.url = url.rstrip("/")
        self.http = HttpClient(base_url=f"{self.url}/api", label=label, sleep=sleep, attempts=attempts)
        self.label, self.clock = label, clock
        self._credentials = {"login": login, "password": password}
        self._token, self._token_at = "", 0.0
        self._statuses: tuple[CartumStatus, ...] | None = None
        self.logins = 0

    @property
    def requests_made(self) -> int:
        return self.http.requests_made

    # --- transport ------------------------------------------------------------------------------
    def call(self, function: str, payload: dict | None = None) -> tuple[str, object]:
        """Call one API function with the token; return (status, response). Re-logs in once if refused."""
        for attempt in (1, 2):
            body = {**(payload or {}), "token": self._current_token()}
            try:
                data, _ = self.http.call("POST", f"{function}/", json=body, check=_envelope)
            except PlatformError as exc:
                if exc.status in (401, 403) and attempt == 1:
                    self._token = ""
                    continue
                raise
            status = data["status"]
            if status in TOKEN_PROBLEMS and attempt == 1:
                self._token = ""  # expired or revoked early: log in again and repeat once
                continue
            if status not in ANSWERS:
                message = f"{self.label}: {function} answered {status}: {str(data.get('response'))[:300]}"
                raise CartumAnswer(message, answer=status)
            return status, data.get("response")
        raise AssertionError("unreachable: the second attempt returns or raises")

    def _current_token(self) -> str:
        if not self._token or self.clock() - self._token_at > TOKEN_LIFETIME - TOKEN_MARGIN:
            self._login()
        return self._token

    def _login(self):
        data, _ = self.http.call("POST", "auth/", json=self._credentials, check=_envelope)
        token = (data.get("response") or {}).get("token") if isinstance(data.get("response"), dict) else None
        if data["status"] != "OK" or not token:
            # Only the answer's status: never the credentials, which the request carried.
            raise PlatformError(f"{self.label}: the login was refused ({data['status']})", status=401)
        self._token, self._token_at = str(token), self.clock()
        self.logins += 1

    # --- reads ----------------------------------------------------------------------------------
    def shop_info(self) -> ShopInfo:
        self.statuses()  # proves the login works; Cartum has no shop currency, orders carry theirs (R2)
        host = urlsplit(self.url).hostname or self.url
        return ShopInfo(name=host, currency="", domain=host)

    def statuses(self) -> tuple[CartumStatus, ...]:
        if self._statuses is None:
            try:
                _status, response = self.call("orders/get_available_statuses")
            except CartumAnswer as exc:
                if exc.answer in TOKEN_PROBLEMS:
                    raise
                response = None  # shops older than 4.0 lack the function: the documented defaults apply
            self._statuses = parse_statuses(response)
        return self._statuses

    def orders_created_since(self, since: datetime, cursor: str = "") -> Iterator[Page]:
        return self._orders(since, cursor)

    def orders_updated_since(self, since: datetime, cursor: str = "") -> Iterator[Page]:
        return self._orders(since - POLL_LOOKBACK, cursor)

    def orders_by_ids(self, ids: list[str]) -> list[dict]:
        wanted = sorted({int(i) for i in ids if plain_number(str(i))})
        found = []
        for start in range(0, len(wanted), PER_PAGE):
            chunk = wanted[start : start + PER_PAGE]
            found += self._get({"ids": chunk, "limit": len(chunk), "offset": 0})
        return self._annotate(found)

    def order_ids_created_between(self, start: datetime, end: datetime) -> Iterator[tuple[str, datetime]]:
        """(id, created) of every order created in [start, end) (R43); `to` is inclusive, hence a second less."""
        offset = 0
        while True:
            params = {
                "from": _shop_time(start),
                "to": _shop_time(end - timedelta(seconds=1)),
                "offset": offset,
                "limit": PER_PAGE,
            }
            orders = self._get(params)
            offset += len(orders)
            for order in orders:
                try:
                    created = parse_shop_time(order.get("stat_created"))
                except MappingError:
                    continue  # unreadable: the import logs it when the order itself is fetched (R40)
                if start <= created < end and str(order.get("order_id", "")).strip():
                    yield str(order["order_id"]).strip(), created
            if len(orders) < PER_PAGE:
                return

    def update_statuses(self, changes: list[tuple[str, str]]) -> list[dict]:
        """`orders/update` {orders: [{order_id, status}]}; the per-record log, parsed defensively."""
        orders = [{"order_id": int(order_id), "status": int(status)} for order_id, status in changes]
        status, response = self.call("orders/update", {"orders": orders})
        log = response.get("log") if isinstance(response, dict) else None
        if not isinstance(log, list):
            return [{"status": status} for _ in orders]
        return [entry if isinstance(entry, dict) else {"status": str(entry)} for entry in log]

    def _orders(self, since: datetime, cursor: str) -> Iterator[Page]:
        offset = int(cursor) if cursor.isdigit() else 0
        while True:
            orders = self._get({"from": _shop_time(since), "offset": offset, "limit": PER_PAGE})
            offset += len(orders)
            # `from` may be read as a date only (before Cartum 3.30): drop what is older than asked for.
            fresh = [o for o in orders if not _created_before(o, since)]
            yield Page(payloads=self._annotate(fresh), cursor=str(offset))
            if len(orders) < PER_PAGE:
                return

    def _get(self, params: dict) -> list[dict]:
        status, response = self.call("orders/get", params)
        orders = response.get("orders") if isinstance(response, dict) else None
        if status == "EMPTY" or orders is None:
            return []
        if not isinstance(orders, list):
            raise TransientError("orders/get answered an unexpected shape")
        return [o for o in orders if isinstance(o, dict)]

    def _annotate(self, orders: list[dict]) -> list[dict]:
        """Add the status's title and `is_successful`, so the mapping can tell finished orders (R3)."""
        if not orders:
            return []
        known = {s.id: s for s in self.statuses()}
        annotated = []
        for order in orders:
            status = known.get(str(order.get("stat_status", order.get("status")) or "").strip())
            extra = {"id": status.id, "title": status.title, "is_successful": status.is_successful} if status else None
            annotated.append({**order, STATUS_KEY: extra} if extra else order)
        return annotated


def _envelope(data, response):
    if not isinstance(data, dict) or not isinstance(data.get("status"), str):
        raise TransientError(f"unexpected answer shape from Cartum (HTTP {response.status_code})")


def _created_before(order: dict, moment: datetime) -> bool:
    try:
        return parse_shop_time(order.get("stat_created")) < moment
    except MappingError:
        return False  # unreadable: let the mapping log it (R40)


def _shop_time(moment: datetime) -> str:
    return moment.astimezone(SHOP_TZ).strftime("%Y-%m-%d %H:%M:%S")
