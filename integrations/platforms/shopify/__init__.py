"""Shopify: GraphQL Admin API, Dev Dashboard apps (R46), a supported API version (R47), HMAC-signed webhooks,
no status sync (R9), Basic plan hides clients (R22)."""

from django.utils.translation import gettext_lazy as _

from integrations.platforms.base import Platform
from integrations.platforms.credentials import Credential, webhook_secret_input
from integrations.platforms.shopify.bulk import BulkExport
from integrations.platforms.shopify.client import ShopifyClient
from integrations.platforms.shopify.mapping import order_from_node
from integrations.platforms.shopify.queries import API_VERSION, WEBHOOK_TOPICS
from integrations.platforms.shopify.tokens import StoreTokens, is_renewable
from integrations.platforms.signatures import hmac_sha256_base64_matches


class Shopify(Platform):
    key = "shopify"
    label = "Shopify"
    # An app made in the Dev Dashboard (R46), or the fixed token of an app created in the admin before 2026.
    credential_sets = (
        (
            Credential("client_id", _("client ID (Shopify, app made in the Dev Dashboard)"), secret=False),
            Credential("client_secret", _("client secret (Shopify, app made in the Dev Dashboard)")),
        ),
        (
            Credential(
                "token",
                _("Admin API access token (Shopify, app created in the admin before 2026)"),
                help_text=_(
                    "Only for an app created in the Shopify admin before 2026; leave the client ID and secret empty."
                ),
            ),
        ),
    )
    webhook_secret_field = webhook_secret_input(
        _("Not for a Shopify app made in the Dev Dashboard: its client secret signs its webhooks.")
    )
    # A Dev Dashboard app signs its webhooks with its client secret (R46): that credential is the webhook secret.
    webhook_secret_credential = "client_secret"
    topic_header = "X-Shopify-Topic"
    waybill_carriers = ("novaposhta",)  # R13: a Nova Poshta delivery and its TTN become a waybill
    bulk_export = BulkExport  # a large backfill window is exported as one bulk operation (R50)
    polls_in_change_order = True  # orders(sortKey: UPDATED_AT), see ShopifyClient.orders_updated_since
    # Help article: "For the Basic pricing plan, client data is not transferred". ShopPlan.publicDisplayName
    # names that plan "Basic"; the other names are what the deprecated displayName gave stores connected before.
    client_hidden_on_plans = frozenset({"Basic", "Basic Shopify", "Shopify Basic"})
    # The Admin API version every request names; answers naming another are warned about (R47).
    api_version = API_VERSION

    webhook_topics = WEBHOOK_TOPICS  # R48: webhookSubscriptionCreate for each
    webhook_order_key = "id"  # an orders/* webhook's body is the order

    def client(self, store) -> ShopifyClient:
        label = f"shopify:{store.name}"
        credentials = store.credentials
        if is_renewable(credentials):
            return ShopifyClient(url=store.url, tokens=StoreTokens(store, label), label=label)
        return ShopifyClient(url=store.url, token=credentials.get("token", ""), label=label)

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
