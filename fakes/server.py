"""Shared base for the local fake platforms: a real threaded HTTP server plus fault injection.

The fakes speak each platform's protocol over real sockets so the production clients (requests sessions,
timeouts, retries) are exercised exactly as they run against the real platforms. Faults are drawn from a
seeded `random.Random`, so a benchmark or test run with the same seed sees the same faults in the same order.
"""

from __future__ import annotations

import json
import random
import sys
import threading
import time
import traceback
from collections import deque
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

FAULT_KINDS = ("429", "5xx", "timeout", "truncated", "throttled")
CONTROL_PREFIX = "/_fake/"  # demo/test control endpoints: never faulted, never counted as API requests


@dataclass
class Faults:
    """Probabilities (0..1) of each fault per API request, plus their timings."""

    rate_429: float = 0.0
    rate_5xx: float = 0.0
    rate_timeout: float = 0.0
    rate_truncated: float = 0.0
    rate_throttled: float = 0.0  # platform-specific "soft" throttle (Shopify: HTTP 200 + THROTTLED error)
    retry_after: float = 0.05  # seconds sent in Retry-After; small so tests that retry stay fast
    timeout_delay: float = 2.0  # longer than a sane client timeout, so the client gives up first
    latency: float = 0.0  # seconds every API answer takes (network + platform), 0 = loopback speed


JSON_HEADERS = {"Content-Type": "application/json; charset=utf-8"}


def json_response(status: int, payload, headers: dict | None = None) -> tuple[int, dict, bytes]:
    return status, {**JSON_HEADERS, **(headers or {})}, json.dumps(payload).encode()


class _Handler(BaseHTTPRequestHandler):
    # HTTP/1.1 keeps connections alive, so a client's pooled session does not reconnect for every page
    # (benchmarks measure the importer, not TCP handshakes). Every answer therefore carries Content-Length.
    protocol_version = "HTTP/1.1"
    timeout = 30  # an idle keep-alive connection frees its thread after this many seconds
    disable_nagle_algorithm = True  # headers and body are two writes; Nagle + delayed ACK would add ~40 ms

    def _serve(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        status, headers, payload = self.server.fake.dispatch(self.command, self.path, self.headers, body)
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _serve

    def log_message(self, format, *args):
        if self.server.fake.verbose:
            super().log_message(format, *args)


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True  # a handler held by a "timeout" fault must not block stop() or interpreter exit

    def handle_error(self, request, client_address):
        # A client that timed out (the "timeout" fault) closes its socket before we answer; that is expected.
        if not isinstance(sys.exc_info()[1], ConnectionError | TimeoutError):
            super().handle_error(request, client_address)


class FakeServer:
    """Base class: binds 127.0.0.1:port at construction (port 0 picks a free one), so `.url` is known early.

    Subclasses implement `handle(method, path, headers, body) -> (status, headers_dict, body_bytes)` and may
    override `throttled_response()` for the platform's own throttle answer.
    """

    platform = "fake"

    def __init__(self, *, port: int = 0, host: str = "127.0.0.1", faults: Faults | None = None, seed: int = 0):
        self.fault_rates = faults or Faults()
        self.verbose = False
        self.requests: list[tuple[str, str]] = []  # (method, path) of every API request, faulted or not
        self.faults: list[str] = []  # kind of every injected fault, in order
        self._rng = random.Random(seed)
        self._scripted: deque[str] = deque()
        self._lock = threading.RLock()
        self._httpd = _HTTPServer((host, port), _Handler)
        self._httpd.fake = self
        self._thread: threading.Thread | None = None

    # -- data hooks for `manage.py fake_platform` (each platform loads its own order format) ----------------
    @classmethod
    def load_orders(cls, path) -> list:
        raise NotImplementedError

    @classmethod
    def generate(cls, n: int, *, seed: int = 0, currency: str = "UAH") -> list:
        raise NotImplementedError

    # -- lifecycle ---------------------------------------------------------------------------------------
    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def start(self):
        if self._thread is None:
            # A short poll interval makes stop() (which waits for the loop to notice) take ~50 ms, not 0.5 s.
            self._thread = threading.Thread(
                target=self._httpd.serve_forever, args=(0.05,), name=f"fake-{self.platform}", daemon=True
            )
            self._thread.start()
        return self

    def serve_forever(self):
        """Serve in the calling thread (the management command); returns after stop() or raises KeyboardInterrupt."""
        try:
            self._httpd.serve_forever()
        finally:
            self._httpd.server_close()

    def stop(self):
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join()
            self._thread = None
        self._httpd.server_close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # -- faults ------------------------------------------------------------------------------------------
    def fail_next(self, kind: str, times: int = 1):
        """Force the next `times` API requests to fail with `kind` (one of FAULT_KINDS), before random faults."""
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault {kind!r}; expected one of {', '.join(FAULT_KINDS)}")
        with self._lock:
            self._scripted.extend([kind] * times)

    def _pick_fault(self) -> str | None:
        if self._scripted:
            return self._scripted.popleft()
        r = self.fault_rates
        rates = (r.rate_429, r.rate_5xx, r.rate_timeout, r.rate_truncated, r.rate_throttled)
        # Always one draw per kind, so the random sequence (and a seeded run) does not depend on which fired.
        draws = [self._rng.random() for _ in FAULT_KINDS]
        return next((kind for kind, draw, rate in zip(FAULT_KINDS, draws, rates, strict=True) if draw < rate), None)

    def throttled_response(self, body: bytes) -> tuple[int, dict, bytes]:
        """The platform's soft throttle for this request body; the generic answer is a 429."""
        return self._fault_429()

    def _fault_429(self):
        # The REST Admin API's 429 text; Shopify's official clients read Retry-After as float seconds.
        message = "Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service."
        return json_response(
            429,
            {"errors": message},
            {"Retry-After": f"{self.fault_rates.retry_after:g}"},
        )

    # -- request entry point (called from handler threads) ----------------------------------------------
    def dispatch(self, method: str, path: str, headers, body: bytes) -> tuple[int, dict, bytes]:
        try:
            return self._dispatch(method, path, headers, body)
        except Exception as exc:  # a bug in a fake must show up as an answer, not as a silently dropped connection
            traceback.print_exc()
            return json_response(500, {"errors": f"fake {self.platform} crashed: {exc!r}"})

    def _dispatch(self, method, path, headers, body):
        if path.startswith(CONTROL_PREFIX):
            return self.handle(method, path, headers, body)
        if self.fault_rates.latency:
            time.sleep(self.fault_rates.latency)  # the platform's own response time, as configured
        with self._lock:
            self.requests.append((method, path))
            fault = self._pick_fault()
            if fault:
                self.faults.append(fault)
            if fault == "5xx":
                status_5xx = self._rng.choice((500, 502, 503))
        if fault == "429":
            return self._fault_429()
        if fault == "5xx":
            return json_response(status_5xx, {"errors": "Internal Server Error"})
        if fault == "throttled":
            return self.throttled_response(body)
        if fault == "timeout":
            time.sleep(self.fault_rates.timeout_delay)  # outside the lock: other requests keep flowing
        status, out_headers, payload = self.handle(method, path, headers, body)
        if fault == "truncated":
            # A 200 whose body stops half-way (consistent Content-Length, so the HTTP layer is happy but the
            # JSON parser is not) – what a proxy cutting a response short looks like to the client.
            return 200, out_headers, payload[: len(payload) // 2]
        return status, out_headers, payload

    def handle(self, method: str, path: str, headers, body: bytes) -> tuple[int, dict, bytes]:
        raise NotImplementedError


class KeyedOrders:
    """Orders kept in a dict by their integer id, for fakes whose orders are plain JSON objects.

    A subclass names the id field (`order_key`) and its module's `load_orders_dir` / `sample_orders`.
    """

    order_key = "id"
    load_orders_dir = None
    sample_orders = None

    @classmethod
    def load_orders(cls, path) -> list[dict]:
        return cls.load_orders_dir(path)

    @classmethod
    def generate(cls, n: int, *, seed: int = 0, currency: str = "UAH") -> list[dict]:
        return cls.sample_orders(n, seed=seed, currency=currency)

    def add_order(self, item: dict) -> dict:
        with self._lock:
            self._orders[int(item[self.order_key])] = item
        return item

    def get_order(self, order_id) -> dict | None:
        return self._orders.get(int(order_id))
