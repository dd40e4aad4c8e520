"""Shopify: GraphQL Admin API, HMAC-signed webhooks, no status sync (R9), Basic plan hides clients (R22)."""

from integrations.platforms.base import Platform, webhook_named_id
from integrations.platforms.shopify.bulk import BulkExport
from integrations.platforms.shopify.client import ShopifyClient
from integrations.platforms.shopify.mapping import order_from_node
from integrations.platforms.signatures import hmac_sha256_base64_matches


class Shopify(Platform):
    topic_header = "X-Shopify-Topic"
    nova_poshta_waybills = True
    bulk_export = BulkExport  # a large backfill window is exported as one bulk operation (R50)
    polls_in_change_order = True  # orders(sortKey: UPDATED_AT), see ShopifyClient.orders_updated_since
    key = "shopify"
    label = "Shopify"
    # Help article: "For the Basic pricing plan, client data is not transferred".
    client_hidden_on_plans = frozenset({"Basic", "Basic Shopify", "Shopify Basic"})

    def client(self, store) -> ShopifyClient:
        return ShopifyClient(url=store.url, token=store.credentials.get("token", ""), label=f"shopify:{store.name}")

    def map_order(self, payload: dict):
        return order_from_node(payload)

    def admin_order_url(self, store, external_id: str) -> str:
        # The handle is the myshopify subdomain the API reported, not the URL we reach the shop by.
        handle = (store.shop_domain or "").removesuffix(".myshopify.com")
        return f"https://admin.shopify.com/store/{handle}/orders/{external_id}" if handle else ""

    def verify_webhook(self, *, secret: str, body: bytes, headers) -> bool:
        # https://shopify.dev/docs/apps/build/webhooks/verify-deliveries: HMAC-SHA256 of the raw body.
        return hmac_sha256_base64_matches(secret=secret, body=body, signature=headers.get("X-Shopify-Hmac-Sha256"))

    def webhook_delivery_id(self, *, headers, body: bytes) -> str:
        # "A unique composite key per delivery. Use to identify and deduplicate individual deliveries."
        return headers.get("X-Shopify-Webhook-Id", "")

    def webhook_order_id(self, *, headers, payload: dict) -> str:
        value = payload.get("id") if isinstance(payload, dict) else None
        return webhook_named_id(value)
