"""Cartum: POST /api/<function>/ with a token, two-way status sync through a per-store mapping (R9).

Webhooks: Cartum's `order_created` hook is unsigned (no signature or HMAC is documented; the body is sent
by PUT, https://horoshop.atlassian.net/wiki/x/aYAh3). We accept it as a *hint* only: `verify_webhook` checks
that the body is an order_created-shaped JSON object, and the task then fetches that order from the API
with our own credentials, so a forged hook can at worst make us re-read a real order (nothing in its body
is imported). The cost is that anyone who knows the hook URL can trigger such fetches; webhooks.py dedupes
identical bodies (docs/webhooks.md), and the URL carries the store's secret key.
"""

import json
from urllib.parse import quote

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from integrations.platforms.base import Platform
from integrations.platforms.cartum.client import CartumClient
from integrations.platforms.cartum.mapping import order_from_payload
from integrations.platforms.cartum.statuses import create_default_mapping, platform_status_for
from integrations.platforms.credentials import Credential


class Cartum(Platform):
    key = "cartum"
    label = "Cartum"
    # An API user of the shop; client.py trades them for the short-lived token every call carries.
    credential_sets = (
        (
            Credential("login", gettext_lazy("API login (Cartum)"), secret=False),
            Credential("password", gettext_lazy("API password (Cartum)")),
        ),
    )
    # Cartum signs nothing (PROTOCOLS.md 3): the webhook address carries `?key=<webhook secret>`.
    signs_webhooks = False
    transfers_delivery = True  # R12: as a feed comment
    requires_lines = False
    requires_client_contact = False
    match_clients_by_email = True  # R21: by phone, then email
    inbound_status_sync = True  # R9: statuses come in through the store's StatusMapping
    pushes_status = True  # R9: and go back out through it
    webhook_topics = ("order_created",)  # R48: hooks/subscribe; Cartum has no order-updated event
    webhook_order_key = "order_id"  # order_created's body names the order; the task fetches it (see above)
    lists_webhooks = False  # no call lists subscriptions: the ids the back-office created count as present
    generates_webhook_secret = True  # the key in the subscribed address

    def client(self, store, **options) -> CartumClient:
        credentials = store.credentials
        return CartumClient(
            url=store.url,
            login=credentials.get("login", ""),
            password=credentials.get("password", ""),
            label=f"cartum:{store.name}",
            **options,
        )

    def map_order(self, payload: dict):
        return order_from_payload(payload)

    def admin_order_url(self, store, external_id: str) -> str:
        # Cartum's admin lives at <shop>/edit/ (Horoshop's engine). Its order pages are addressed by an internal
        # record id that is not the API's order number (a third-party client measured #7 at record 9), so no
        # documented per-order address can be built from what the API gives. The link opens the admin with the
        # API's order_id as a parameter: the staff member sees which order to open, the admin ignores what it
        # does not know, and the demo's fake shows that order's page.
        return f"{store.url.rstrip('/')}/edit/?order_id={quote(str(external_id))}"

    def on_connect(self, store, **options) -> None:
        """Create the default status mapping from the shop's own statuses (R9)."""
        create_default_mapping(store=store, statuses=self.client(store, **options).statuses())

    def push_status(self, order, **options) -> str:
        """Send the order's back-office status, mapped back to Cartum's, through `orders/update` (R9)."""
        mapping = platform_status_for(store=order.store, status=order.status)
        if mapping is None:
            return ""  # no Cartum status for it: nothing to send
        title = mapping.platform_title or mapping.platform_status
        log = self.client(order.store, **options).update_statuses([(order.external_id, mapping.platform_status)])
        entry = log[0] if log else {}
        if str(entry.get("status", "OK")).upper() != "OK":
            # The docs name the field `message`, their example `messages`.
            message = entry.get("messages") or entry.get("message") or entry.get("status")
            return _("Cartum did not accept the status %(status)s: %(message)s") % {"status": title, "message": message}
        return _("Cartum order %(id)s set to %(status)s.") % {"id": order.external_id, "status": title}

    # --- webhooks: hints only, see the module docstring ------------------------------------------
    def verify_webhook(self, *, secret: str, body: bytes, headers) -> bool:
        try:
            payload = json.loads(body)
        except (ValueError, UnicodeDecodeError):
            return False
        # Shaped like order_created: an object naming an order. An id that is no plain number is still taken, so
        # that the drain logs it as an import problem (R51) instead of the platform seeing a 401.
        return bool(self.webhook_order_id(headers=headers, payload=payload))

    def webhook_delivery_id(self, *, headers, body: bytes) -> str:
        return ""  # none sent: webhooks.py falls back to a hash of the body, which Cartum's retries repeat
