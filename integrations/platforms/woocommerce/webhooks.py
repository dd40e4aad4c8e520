"""WooCommerce webhooks over REST v3 (R48), mixed into WooCommerceClient.

`GET /webhooks` lists every webhook of the shop (any status), `POST /webhooks` {name, topic, delivery_url,
secret, status} creates one and answers 201, `DELETE /webhooks/<id>?force=true` removes it (webhooks cannot
be trashed). Creating needs a key with Write permission. Right after creating, WooCommerce pings the
delivery URL (`webhook_id=<id>`) and counts any answer but exactly 200 as an error (R49; webhooks.py answers it).
"""

from integrations.platforms.base import WebhookSubscription
from integrations.platforms.http import PlatformError

WEBHOOK_NAME = "RO back-office: %s"


class WooCommerceWebhooks:
    """Needs `http` and `_pages(path, params)` from the client it is mixed into."""

    def webhooks_list(self, address: str) -> list[WebhookSubscription]:
        return [_subscription(hook) for hook in self._pages("webhooks", {}) if hook.get("delivery_url") == address]

    def webhooks_create(self, *, topic: str, address: str, secret: str) -> WebhookSubscription:
        body = {
            "name": WEBHOOK_NAME % topic,
            "topic": topic,
            "delivery_url": address,
            "secret": secret,
            "status": "active",
        }
        try:
            data, _ = self.http.call("POST", "webhooks", json=body, check=_object)
        except PlatformError as exc:
            if exc.status in (401, 403):  # the key read the shop a moment ago: it may read, not write
                raise PlatformError(
                    f"WooCommerce refused to create a webhook (HTTP {exc.status}): creating webhooks needs an API "
                    "key with Read/Write permission (WooCommerce > Settings > Advanced > REST API)",
                    status=exc.status,
                ) from exc
            raise
        return _subscription(data)

    def webhooks_delete(self, subscription: WebhookSubscription) -> None:
        try:
            self.http.call("DELETE", f"webhooks/{int(subscription.id)}", params={"force": "true"}, check=_object)
        except PlatformError as exc:
            if exc.status != 404:  # already gone is what was asked for
                raise


def _subscription(hook: dict) -> WebhookSubscription:
    return WebhookSubscription(
        id=str(hook.get("id", "")),
        topic=str(hook.get("topic", "")),
        address=str(hook.get("delivery_url", "")),
        active=hook.get("status") == "active",  # paused and disabled ones deliver nothing
    )


def _object(data, response):
    if not isinstance(data, dict) or "id" not in data:
        raise PlatformError(f"WooCommerce answered HTTP {response.status_code} without a webhook")
