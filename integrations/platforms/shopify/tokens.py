"""Access tokens of Shopify apps made in the Dev Dashboard (R46): the client credentials grant and its renewal.

Since 2026-01-01 merchants can no longer create apps in the Shopify admin; an app made in the Dev Dashboard
and installed on the merchant's own shop gets its token from the client credentials grant
(https://shopify.dev/docs/apps/build/authentication-authorization/access-tokens/client-credentials-grant):
`POST https://{shop}/admin/oauth/access_token` with the form fields grant_type=client_credentials,
client_id and client_secret -> JSON `access_token`, `scope`, `expires_in` (about 24 hours).

The token lives in the store's encrypted credentials beside the client ID and secret. It is renewed before it
runs out (when less than a tenth of its lifetime, at most RENEW_BEFORE, remains) and whenever the API answers
401. One renewal at a time per store, across workers: the renewal holds a PostgreSQL advisory lock on the
store (integrations.locks) and, once it has it, reads the stored token again, so a worker that waited takes
the token another one has just obtained instead of asking Shopify again.

An app created in the admin before 2026 has a token that never expires and nothing to renew it with:
StaticToken. No token, client secret or form body is ever logged or put in an error message.
"""

import logging
import threading
from datetime import UTC, datetime, timedelta

from django.db import connection, transaction
from django.utils.translation import gettext as _

from integrations.crypto import decrypt_json, encrypt_json
from integrations.locks import lock_keys
from integrations.platforms.http import HttpClient, PlatformError

logger = logging.getLogger("integrations.shopify")

TOKEN_PATH = "admin/oauth/access_token"
RENEW_SHARE = 0.1  # renew when less than this share of the token's lifetime remains...
RENEW_BEFORE = timedelta(minutes=5)  # ...or, for long-lived tokens, when less than this remains
# Access scopes the import needs (docs/platforms.md): orders, orders older than 60 days (the backfill window
# reaches two months back), the products of their lines and their customers.
REQUIRED_SCOPES = ("read_orders", "read_all_orders", "read_products", "read_customers")
# What the credentials keep besides the secrets: shown plainly or not at all, never as a secret.
TOKEN_BOOKKEEPING = ("token_expires_at", "token_lifetime", "scope")


class CredentialsRefused(PlatformError):
    """Shopify refused the app's client ID or client secret, or the app lacks access scopes."""


def is_renewable(credentials: dict) -> bool:
    """Credentials of an app made in the Dev Dashboard (client ID and secret), not a fixed admin-app token."""
    return bool(credentials.get("client_id") and credentials.get("client_secret"))


def request_grant(*, url: str, client_id: str, client_secret: str, label: str, now: datetime | None = None) -> dict:
    """Ask the shop for a token; returns the credentials to store (the client ID and secret included)."""
    http = HttpClient(base_url=url.rstrip("/"), label=label, headers={"Accept": "application/json"})
    form = {"grant_type": "client_credentials", "client_id": client_id, "client_secret": client_secret}
    try:
        data, _response = http.call("POST", TOKEN_PATH, data=form)
    except PlatformError as exc:
        if exc.status in (400, 401, 403):
            # Shopify answers a wrong client ID or secret, or an app not installed on the shop, with a 4xx
            # OAuth error; its text is not repeated here (it may quote the request).
            raise CredentialsRefused(
                _(
                    "Shopify refused the app's client ID or client secret (HTTP %(status)s): check both in the "
                    "Dev Dashboard (the app's Settings) and that the app is installed on this shop."
                )
                % {"status": exc.status},
                status=exc.status,
            ) from None
        if exc.status == 404:
            raise PlatformError(
                _("This address has no Shopify token endpoint: check the shop's address."), status=404
            ) from None
        raise
    token = data.get("access_token") if isinstance(data, dict) else None
    if not isinstance(token, str) or not token:
        raise PlatformError(_("Shopify's token answer has no access token."))
    scope = str(data.get("scope") or "")
    missing = [s for s in REQUIRED_SCOPES if scope and s not in {p.strip() for p in scope.split(",")}]
    if missing:
        raise CredentialsRefused(
            _(
                "The app lacks the access scopes %(missing)s: add them to the app's version in the Dev Dashboard, "
                "release it, and connect again."
            )
            % {"missing": ", ".join(missing)}
        )
    credentials = {"client_id": client_id, "client_secret": client_secret, "token": token, "scope": scope}
    lifetime = _seconds(data.get("expires_in"))
    if lifetime:
        now = now or datetime.now(UTC)
        credentials["token_expires_at"] = (now + timedelta(seconds=lifetime)).isoformat()
        credentials["token_lifetime"] = lifetime
    logger.info("%s: obtained an access token (expires in %s s)", label, lifetime or "never")
    return credentials


def needs_renewal(credentials: dict, now: datetime | None = None) -> bool:
    """No token yet, or too little of its lifetime is left."""
    if not credentials.get("token"):
        return True
    expires_at = _moment(credentials.get("token_expires_at"))
    if expires_at is None:
        return False
    lifetime = timedelta(seconds=_seconds(credentials.get("token_lifetime")) or 0)
    margin = min(lifetime * RENEW_SHARE, RENEW_BEFORE)
    return (now or datetime.now(UTC)) >= expires_at - margin


class StaticToken:
    """The token of an app created in the Shopify admin before 2026: fixed, nothing to renew it with."""

    def __init__(self, token: str):
        self.token = token

    def current(self) -> str:
        return self.token

    def renew(self, rejected: str) -> bool:
        return False


class StoreTokens:
    """The access token of one store's Dev Dashboard app: the stored one while fresh, renewed one at a time."""

    def __init__(self, store, label: str):
        self.store = store
        self.label = label
        self.credentials = store.credentials
        self._lock = threading.Lock()  # the page-fetching thread and the importer may share this client
        self._thread = threading.get_ident()  # the thread whose database connection is the caller's

    def current(self) -> str:
        with self._lock:
            if needs_renewal(self.credentials):
                self._renew(held=self.credentials.get("token", ""))
            return self.credentials["token"]

    def renew(self, rejected: str) -> bool:
        """After a 401 on `rejected`: a token another worker got meanwhile, else a new one."""
        with self._lock:
            if self.credentials.get("token") == rejected:
                self._renew(held=rejected)
            return True

    def _renew(self, held: str) -> None:
        if self.store.pk is None:  # being connected: nothing stored yet, nobody else can renew it
            self._take(self._grant(self.credentials))
            return
        try:
            self._take(self._renew_stored(held))
        finally:
            if threading.get_ident() != self._thread:
                # The page-fetching thread talks to the database only for this: its own connection ends here.
                connection.close()

    def _renew_stored(self, held: str) -> dict:
        with transaction.atomic():
            lock_keys([f"shopify-token:{self.store.pk}"])
            stored = self._row().values_list("credentials_encrypted", flat=True).first()
            if stored is None:
                raise PlatformError(_("The store was deleted while it was being synced."))
            credentials = decrypt_json(stored)
            if credentials.get("token") and credentials["token"] != held and not needs_renewal(credentials):
                logger.info("%s: took the access token another worker has just obtained", self.label)
                return credentials
            credentials = self._grant(credentials)
            self._row().update(credentials_encrypted=encrypt_json(credentials))
            return credentials

    def _row(self):
        """The store's row, through the store's own model: platform packages import no integrations models, which
        read the platform registry for Store.platform's choices."""
        return type(self.store).objects.filter(pk=self.store.pk)

    def _grant(self, credentials: dict) -> dict:
        return request_grant(
            url=self.store.url,
            client_id=credentials.get("client_id", ""),
            client_secret=credentials.get("client_secret", ""),
            label=self.label,
        )

    def _take(self, credentials: dict) -> None:
        self.credentials = credentials
        self.store.credentials = credentials  # a store being connected is saved with its token


def _seconds(value) -> int:
    try:
        return max(int(value), 0)
    except (TypeError, ValueError):
        return 0


def _moment(value) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None
