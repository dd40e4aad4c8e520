"""WooCommerce: REST API v3, no delivery (R12), contact required (R10, R23), `completed` pushed after write-off (R9)."""

import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from integrations.platforms.base import Platform
from integrations.platforms.credentials import Credential
from integrations.platforms.http import PlatformError
from integrations.platforms.signatures import hmac_sha256_base64_matches
from integrations.platforms.woocommerce.client import WooCommerceClient
from integrations.platforms.woocommerce.mapping import order_from_payload

# class-wc-webhook.php: on creation a webhook POSTs a form body `webhook_id=<id>` with no X-WC-* headers.
_PING = re.compile(rb"webhook_id=\d{1,20}")


class WooCommerce(Platform):
    key = "woocommerce"
    label = "WooCommerce"
    # A REST API key (WooCommerce > Settings > Advanced > REST API); its webhooks are signed with the webhook secret.
    credential_sets = (
        (
            Credential("consumer_key", gettext_lazy("consumer key (WooCommerce)")),
            Credential("consumer_secret", gettext_lazy("consumer secret (WooCommerce)")),
        ),
    )
    topic_header = "X-WC-Webhook-Topic"
    transfers_delivery = False  # R12: "WooCommerce: delivery is not transferred"
    requires_lines = True  # R10
    requires_client_contact = True  # R10, R23
    match_clients_by_email = True  # R23: phone or email
    inbound_status_sync = False
    pushes_status = True  # R9: `completed`, and only once the products are written off
    webhook_topics = ("order.created", "order.updated")  # R48: POST /webhooks for each
    webhook_order_key = "id"  # an order webhook's body is the order
    generates_webhook_secret = True  # the secret goes with the webhook when it is created

    def client(self, store, **options) -> WooCommerceClient:
        credentials = store.credentials
        return WooCommerceClient(
            url=store.url,
            consumer_key=credentials.get("consumer_key", ""),
            consumer_secret=credentials.get("consumer_secret", ""),
            label=f"woocommerce:{store.name}",
            **options,
        )

    def map_order(self, payload: dict):
        return order_from_payload(payload)

    def admin_order_url(self, store, external_id: str) -> str:
        # The classic order screen; with HPOS on, WooCommerce redirects it to admin.php?page=wc-orders&id=...
        return f"{store.url.rstrip('/')}/wp-admin/post.php?post={external_id}&action=edit"

    def push_status(self, order, **options) -> str:
        """Set `completed` on WooCommerce when the back-office completes a written-off order (R9)."""
        if not order.status.is_completed:
            return ""  # WooCommerce hears only of completion
        if order.written_off_at is None:
            return _(
                "Not sent to WooCommerce: the order is completed, but its products are not written off yet, "
                "so WooCommerce was not marked completed."
            )
        client = self.client(order.store, **options)
        try:
            if client.get_order(order.external_id).get("status") == "completed":
                return ""  # already completed there: nothing to send
            client.set_status(order.external_id, "completed")
        except PlatformError as exc:
            if exc.status == 404:
                return _("Not sent to WooCommerce: the order no longer exists there.")
            raise
        return _("WooCommerce order %(id)s marked completed.") % {"id": order.external_id}

    # --- webhooks (R42) -------------------------------------------------------------------------
    def verify_webhook(self, *, secret: str, body: bytes, headers) -> bool:
        """A signed delivery must match; the only unsigned body accepted is WooCommerce's ping."""
        signature = headers.get("X-WC-Webhook-Signature")
        if signature:
            # woocommerce-rest-api-docs `_webhooks.md`: base64 HMAC-SHA256 of the payload (the raw body).
            return hmac_sha256_base64_matches(secret=secret, body=body, signature=signature)
        return self.is_webhook_ping(headers=headers, body=body)

    def is_webhook_ping(self, *, headers, body: bytes) -> bool:
        """The creation ping: exactly `webhook_id=<digits>`, no X-WC-Webhook-* header. It names no order."""
        has_wc_headers = any(str(name).lower().startswith("x-wc-webhook-") for name in headers.keys())
        return not has_wc_headers and bool(_PING.fullmatch(body or b""))

    def webhook_delivery_id(self, *, headers, body: bytes) -> str:
        return headers.get("X-WC-Webhook-Delivery-ID", "")

    def webhook_order_id(self, *, headers, payload: dict) -> str:
        resource = headers.get("X-WC-Webhook-Resource", "order")
        if resource != "order":
            return ""  # a product or customer webhook on the same URL names no order
        return super().webhook_order_id(headers=headers, payload=payload)
