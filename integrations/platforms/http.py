"""HTTP to the platforms: retries with backoff that honours their rate limits (R41).

429 waits what `Retry-After` says; 5xx, timeouts, dropped connections and unreadable JSON back off
exponentially with jitter. Every wait is bounded, every retry is logged (without credentials),
and after the last attempt the error surfaces so the task fails and its checkpoint stays put.

Credentials stay with the platform (R52): a redirect is followed only within the same origin (scheme,
host, port), and, unless ROAPP_ALLOW_INSECURE_PLATFORM_URLS, a connection is opened only to a public
address, checked when it is opened (DNS may have changed since the store was connected).
"""

import json
import logging
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import requests
from django.conf import settings
from requests.adapters import HTTPAdapter
from tenacity import RetryCallState, Retrying, retry_if_exception_type, stop_after_attempt, wait_random_exponential
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import NameResolutionError

from integrations.platforms import addresses

logger = logging.getLogger("integrations.http")

MAX_WAIT_SECONDS = 60.0


class PlatformError(Exception):
    """The platform refused or failed in a way a retry will not fix (bad credentials, 404, bad query)."""

    def __init__(self, message: str, *, status: int | None = None):
        super().__init__(message)
        self.status = status


class TransientError(Exception):
    """A failure worth retrying; `retry_after` is the platform's own hint in seconds, if any."""

    def __init__(self, message: str, *, retry_after: float | None = None):
        super().__init__(message)
        self.retry_after = retry_after


class RefusedRequest(PlatformError):
    """A request the back-office will not send: to a private address, or redirected to another host (R52)."""


def _wait(state: RetryCallState) -> float:
    """The platform's Retry-After when it gave one, else exponential backoff with full jitter."""
    exc = state.outcome.exception() if state.outcome else None
    hint = getattr(exc, "retry_after", None)
    if hint is not None:
        return min(max(float(hint), 0.0), MAX_WAIT_SECONDS)
    return wait_random_exponential(multiplier=settings.ROAPP_PLATFORM_BACKOFF_SECONDS, max=30)(state)


@dataclass
class HttpClient:
    """A requests session bound to one platform endpoint, with bounded retries."""

    base_url: str
    label: str  # for log lines: platform and store name, never a credential
    headers: dict | None = None
    auth: object = None
    timeout: tuple[float, float] | None = None  # default: settings.ROAPP_PLATFORM_TIMEOUT
    attempts: int = 6
    sleep: object = time.sleep

    def __post_init__(self):
        if self.timeout is None:
            self.timeout = settings.ROAPP_PLATFORM_TIMEOUT
        self.session = SameOriginSession()
        self.session.headers.update({"User-Agent": "roapp-backoffice/1.0", **(self.headers or {})})
        if self.auth is not None:
            self.session.auth = self.auth
        if not settings.ROAPP_ALLOW_INSECURE_PLATFORM_URLS:
            adapter = PublicAddressAdapter()
            self.session.mount("http://", adapter)
            self.session.mount("https://", adapter)
        self.requests_made = 0

    def call(self, method: str, path: str, *, check=None, **kwargs):
        """Send a request, retrying transient failures; return (parsed JSON, response).

        `check(data, response)` may raise TransientError (e.g. a GraphQL THROTTLED answer).
        """
        retrying = Retrying(
            stop=stop_after_attempt(self.attempts),
            wait=_wait,
            retry=retry_if_exception_type(TransientError),
            sleep=self.sleep,
            before_sleep=self._log_retry,
            reraise=True,
        )
        try:
            return retrying(self._once, method, path, check, kwargs)
        except TransientError as exc:
            raise PlatformError(f"{self.label}: gave up after {self.attempts} attempts: {exc}") from exc

    def _once(self, method, path, check, kwargs):
        url = self.base_url.rstrip("/") + "/" + path.lstrip("/")
        self.requests_made += 1
        try:
            response = self.session.request(method, url, timeout=self.timeout, **kwargs)
        except (requests.Timeout, requests.ConnectionError) as exc:
            raise TransientError(f"{type(exc).__name__} on {path}") from exc
        except RefusedRequest as exc:
            raise RefusedRequest(f"{self.label}: {exc}") from exc
        if response.status_code == 429:
            raise TransientError(f"429 Too Many Requests on {path}", retry_after=_retry_after(response))
        if response.status_code >= 500:
            raise TransientError(f"HTTP {response.status_code} on {path}", retry_after=_retry_after(response))
        if response.status_code in (401, 403):
            raise PlatformError(
                f"{self.label}: access refused (HTTP {response.status_code}); check the credentials",
                status=response.status_code,
            )
        try:
            data = response.json() if response.content else None
        except (ValueError, json.JSONDecodeError) as exc:
            raise TransientError(f"unreadable JSON from {path} (HTTP {response.status_code})") from exc
        if response.status_code >= 400:
            raise PlatformError(
                f"{self.label}: HTTP {response.status_code} on {path}: {_short(data)}", status=response.status_code
            )
        if check is not None:
            check(data, response)
        return data, response

    def _log_retry(self, state: RetryCallState):
        exc = state.outcome.exception()
        logger.warning("%s: %s; retry %d in %.2fs", self.label, exc, state.attempt_number, state.next_action.sleep)


def _retry_after(response) -> float | None:
    value = response.headers.get("Retry-After")
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


def _short(data) -> str:
    text = json.dumps(data, ensure_ascii=False) if not isinstance(data, str) else data
    return text[:300]


# --- where requests may go (R52) ----------------------------------------------------------------------
def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    return parts.scheme, (parts.hostname or ""), parts.port or {"http": 80, "https": 443}.get(parts.scheme)


class SameOriginSession(requests.Session):
    """Follows a redirect only to the same scheme, host and port, so headers and query credentials
    (Shopify's access token, WooCommerce's keys, Cartum's token) never reach another host."""

    def rebuild_auth(self, prepared_request, response):
        if _origin(prepared_request.url) != _origin(response.request.url):
            scheme, host, port = _origin(prepared_request.url)
            raise RefusedRequest(
                f"the platform redirected {urlsplit(response.request.url).path} to another host "
                f"({scheme}://{host}:{port}); it is not followed, check the shop address"
            )
        super().rebuild_auth(prepared_request, response)


class _PublicAddressOnly:
    """A urllib3 connection that resolves its host itself and connects only to a checked public address.

    The socket is opened to the very address that was checked, so a second DNS answer (rebinding) cannot
    slip in between check and connect. TLS still verifies the certificate against the host name.
    """

    def _new_conn(self):
        host = self._dns_host
        try:
            resolved = addresses.resolve(host)
        except OSError as exc:
            raise NameResolutionError(self.host, self, exc) from exc
        forbidden = addresses.first_non_public(resolved)
        if forbidden is not None:
            raise RefusedRequest(
                f"{host} resolves to {forbidden}, a private or local network address; "
                "platform requests go to public addresses only"
            )
        self._dns_host = str(resolved[0])
        try:
            return super()._new_conn()
        finally:
            self._dns_host = host


class _PublicHTTPConnection(_PublicAddressOnly, HTTPConnection):
    pass


class _PublicHTTPSConnection(_PublicAddressOnly, HTTPSConnection):
    pass


class _PublicHTTPPool(HTTPConnectionPool):
    ConnectionCls = _PublicHTTPConnection


class _PublicHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _PublicHTTPSConnection


class PublicAddressAdapter(HTTPAdapter):
    """Direct connections only to public addresses. Through an outgoing proxy (HTTPS_PROXY) the proxy
    connects, and it is the proxy's rules that apply to the address."""

    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _PublicHTTPPool, "https": _PublicHTTPSPool}
