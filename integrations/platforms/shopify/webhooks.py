"""Shopify webhook subscriptions over the Admin GraphQL API (R48), mixed into ShopifyClient.

`webhookSubscriptions(uri:, topics:)` lists what delivers to one address, `webhookSubscriptionCreate` with
`webhookSubscription: {uri, format: JSON}` subscribes it, `webhookSubscriptionDelete(id:)` removes one
(https://shopify.dev/docs/api/admin-graphql/latest/mutations/webhookSubscriptionCreate). Shopify refuses a
second subscription of one topic to one address with a userError; the caller lists first anyway.
"""

from integrations.platforms.base import WebhookSubscription
from integrations.platforms.http import PlatformError
from integrations.platforms.shopify import queries


class ShopifyWebhooks:
    """Needs `query(document, variables)` from the client it is mixed into."""

    def webhooks_list(self, address: str) -> list[WebhookSubscription]:
        found, after = [], None
        while True:
            variables = {
                "first": queries.WEBHOOKS_PER_PAGE,
                "after": after,
                "uri": address,
                "topics": list(queries.WEBHOOK_TOPICS),
            }
            page = self.query(queries.WEBHOOK_SUBSCRIPTIONS_QUERY, variables)["webhookSubscriptions"]
            found += [_subscription(edge["node"]) for edge in page["edges"]]
            info = page["pageInfo"]
            if not info.get("hasNextPage") or not info.get("endCursor"):
                break
            after = info["endCursor"]
        return [s for s in found if s.address == address]  # exactly this address, whatever the filter matched

    def webhooks_create(self, *, topic: str, address: str, secret: str = "") -> WebhookSubscription:
        # No secret here: Shopify signs with the app's own secret (client secret, or the admin app's webhook key).
        answer = self.query(queries.WEBHOOK_SUBSCRIPTION_CREATE, {"topic": topic, "uri": address})
        result = answer["webhookSubscriptionCreate"] or {}
        _raise_user_errors(result, f"subscribing to {topic}")
        return _subscription(result["webhookSubscription"])

    def webhooks_delete(self, subscription: WebhookSubscription) -> None:
        answer = self.query(queries.WEBHOOK_SUBSCRIPTION_DELETE, {"id": subscription.id})
        _raise_user_errors(answer["webhookSubscriptionDelete"] or {}, f"removing {subscription.topic}")


def _subscription(node: dict) -> WebhookSubscription:
    return WebhookSubscription(id=str(node["id"]), topic=str(node["topic"]), address=str(node.get("uri") or ""))


def _raise_user_errors(result: dict, doing: str) -> None:
    errors = result.get("userErrors") or []
    if errors:
        text = "; ".join(str((e or {}).get("message", e)) for e in errors)
        raise PlatformError(f"Shopify refused {doing}: {text[:300]}")
