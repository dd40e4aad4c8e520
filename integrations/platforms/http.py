"""HTTP to the platforms: retries with backoff that honours their rate limits (R41).

429 waits what `Retry-After` says; 5xx, timeouts, dropped connections and unreadable JSON back off
exponentially with jitter. Every wait is bounded, every retry is logged (without credentials),
and after the last attempt the error surfaces so the task fails and its checkpoint stays put.
"""

import json
import logging
import time
from dataclasses import dataclass

import requests
from tenacity import RetryCallState, Retrying, retry_if_exception_type, stop_after_attempt, wait_random_exponential

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


def _wait(state: RetryCallState) -> float:
    """The platform's Retry-After when it gave one, else exponential backoff with full jitter."""
    from django.conf import settings

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
            from django.conf import settings

            self.timeout = settings.ROAPP_PLATFORM_TIMEOUT
        self.session = requests.Session()
        self.session.headers.update({"User-Agent": "roapp-backoffice/1.0", **(self.headers or {})})
        if self.auth is not None:
            self.session.auth = self.auth
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
        if response.status_code == 429:
            raise TransientError(f"429 Too Many Requests on {path}", retry_after=_retry_after(response))
        if response.status_code >= 500:
            raise TransientError(f"HTTP {response.status_code} on {path}", retry_after=_retry_after(response))
        if response.status_code in (401, 403):
            raise PlatformError(f"{self.label}: access refused (HTTP {response.status_code}); check the credentials",
                                status=response.status_code)  # fmt: skip
        try:
            data = response.json() if response.content else None
        except (ValueError, json.JSONDecodeError) as exc:
            raise TransientError(f"unreadable JSON from {path} (HTTP {response.status_code})") from exc
        if response.status_code >= 400:
            raise PlatformError(f"{self.label}: HTTP {response.status_code} on {path}: {_short(data)}",
                                status=response.status_code)  # fmt: skip
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
