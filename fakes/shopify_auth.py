"""The fake Shopify's access tokens and API versions (test infrastructure, not product code).

Tokens. An app made in the Dev Dashboard gets its token from the client credentials grant: `POST
/admin/oauth/access_token` with the form fields grant_type=client_credentials, client_id and client_secret
(JSON accepted too, as Shopify's Node library sends it) -> `{"access_token", "scope", "expires_in"}`
(https://shopify.dev/docs/apps/build/authentication-authorization/access-tokens/client-credentials-grant).
Tokens expire after `lifetime` seconds (86,399 as third-party clients see it; a test sets a few) and are then
refused with the same 401 as a wrong token. A wrong client ID or secret gets a 400 OAuth error; PROTOCOLS.md
records no exact body for it, so the fake gives the OAuth 2.0 shape (RFC 6749 §5.2: `error`,
`error_description`), which is what the product must not depend on beyond "4xx: refused".
The fixed token of an app created in the admin before 2026 (`static_token`) stays valid, as on Shopify.

Versions. Shopify serves a request naming an unsupported (too old) version as the oldest supported one,
without an error, and names the version it used in `X-Shopify-API-Version`
(https://shopify.dev/docs/api/usage/versioning). On 2026-12-02 that is 2026-01 ... 2026-10.
"""

from __future__ import annotations

import hmac
import json
import re
import secrets
import threading
import time
from urllib.parse import parse_qs

SUPPORTED_VERSIONS = ("2026-01", "2026-04", "2026-07", "2026-10")
DEFAULT_SCOPE = "read_orders,read_all_orders,read_products,read_customers"
TOKEN_LIFETIME = 86399.0
_VERSION = re.compile(r"^\d{4}-(01|04|07|10)$")


def served_version(requested: str, supported=SUPPORTED_VERSIONS) -> str | None:
    """The version a request naming `requested` is answered as; None: no such version (404)."""
    if requested in supported:
        return requested
    if _VERSION.match(requested) and requested < min(supported):
        return min(supported)  # "falls forward" to the oldest supported version
    return None


class AppTokens:
    """Tokens of one shop: the admin app's fixed token and those the client credentials grant issues."""

    def __init__(
        self,
        *,
        static_token: str | None,
        client_id: str | None,
        client_secret: str | None,
        lifetime: float = TOKEN_LIFETIME,
        scope: str = DEFAULT_SCOPE,
        latency: float = 0.0,
        clock=time.monotonic,
    ):
        self.static_token = static_token or ""
        self.client_id, self.client_secret = client_id or "", client_secret or ""
        self.lifetime, self.scope, self.latency, self.clock = lifetime, scope, latency, clock
        self.granted = 0  # tokens issued so far
        self._issued: dict[str, float] = {}  # token -> when it expires (clock)
        self._lock = threading.Lock()

    def valid(self, token: str) -> bool:
        if self.static_token and hmac.compare_digest(token.encode(), self.static_token.encode()):
            return True
        with self._lock:
            expires = self._issued.get(token)
        return expires is not None and self.clock() < expires

    def expire_all(self) -> None:
        """Every issued token runs out now (what a long wait, or Shopify revoking them, does)."""
        with self._lock:
            self._issued = dict.fromkeys(self._issued, float("-inf"))

    def grant(self, headers, body: bytes) -> tuple[int, dict]:
        """Answer one token request: (status, JSON body)."""
        if self.latency:
            time.sleep(self.latency)  # the token endpoint's own response time, as configured
        form = _form(headers, body)
        if form.get("grant_type") != "client_credentials":
            return 400, {
                "error": "unsupported_grant_type",
                "error_description": "The authorization grant type is not supported.",
            }
        if not form.get("client_id") or not form.get("client_secret"):
            return 400, {
                "error": "invalid_request",
                "error_description": "The request is missing a required parameter.",
            }
        known = bool(self.client_id) and _same(form["client_id"], self.client_id)
        if not known or not _same(form["client_secret"], self.client_secret):
            return 400, {"error": "invalid_client", "error_description": "Client authentication failed."}
        token = "shpat_" + secrets.token_hex(16)
        with self._lock:
            self._issued[token] = self.clock() + self.lifetime
            self.granted += 1
        return 200, {"access_token": token, "scope": self.scope, "expires_in": int(self.lifetime)}


def _same(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode(), expected.encode())


def _form(headers, body: bytes) -> dict:
    text = (body or b"").decode("utf-8", "replace")
    if "json" in (headers.get("Content-Type") or ""):
        try:
            data = json.loads(text or "{}")
        except ValueError:
            return {}
        return {k: str(v) for k, v in data.items()} if isinstance(data, dict) else {}
    return {key: values[-1] for key, values in parse_qs(text).items()}
