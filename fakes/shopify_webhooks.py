"""Webhook subscriptions in the fake Shopify (R48), as the Admin GraphQL API keeps them per shop and app.

`webhookSubscriptions(first:, uri:, topics:)` lists them, `webhookSubscriptionCreate(topic:, webhookSubscription:
{uri, format})` adds one (a second of one topic to one address is refused with Shopify's userError "Address for
this topic has already been taken"), `webhookSubscriptionDelete(id:)` removes one. The documents go through
graphql-core against the 2026-04 schema like every other request. When an order is created or updated through
the control endpoint, the shop delivers `orders/create` / `orders/updated` to every subscription of that topic.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from urllib.parse import urlsplit

import requests

from .shopify_orders import legacy_id

GID = "gid://shopify/WebhookSubscription/"
TAKEN = "Address for this topic has already been taken"
API_VERSION = {"handle": "2026-04", "displayName": "2026-04", "supported": True}


def delivery_topic(topic: str) -> str:
    """ORDERS_CREATE -> orders/create, the X-Shopify-Topic of its deliveries."""
    resource, _, event = topic.lower().partition("_")
    return f"{resource}/{event}"


class Subscriptions:
    """The shop's subscriptions, in creation order; `changed` is told of every change (answer caches)."""

    def __init__(self, changed):
        self._items: dict[str, dict] = {}
        self._next = 1
        self._lock = threading.Lock()
        self._changed = changed

    def all(self) -> list[dict]:
        with self._lock:
            return list(self._items.values())

    def create(self, topic: str, uri: str) -> tuple[dict | None, list[dict]]:
        parts = urlsplit(uri or "")
        if parts.scheme not in ("http", "https") or not parts.hostname:
            return None, [{"field": ["webhookSubscription", "uri"], "message": "Address is invalid"}]
        with self._lock:
            if any(s["topic"] == topic and s["uri"] == uri for s in self._items.values()):
                return None, [{"field": ["webhookSubscription", "callbackUrl"], "message": TAKEN}]
            number, self._next = self._next, self._next + 1
            now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
            node = {
                "id": f"{GID}{number}",
                "legacyResourceId": str(number),
                "topic": topic,
                "uri": uri,
                "callbackUrl": uri,
                "endpoint": {"__typename": "WebhookHttpEndpoint", "callbackUrl": uri},
                "format": "JSON",
                "createdAt": now,
                "updatedAt": now,
                "apiVersion": API_VERSION,
                "filter": None,
                "includeFields": [],
                "metafieldNamespaces": [],
                "metafields": [],
                "name": None,
            }
            self._items[node["id"]] = node
        self._changed()
        return node, []

    def delete(self, gid: str) -> tuple[str | None, list[dict]]:
        with self._lock:
            found = self._items.pop(gid, None)
        if found is None:
            return None, [{"field": ["id"], "message": "Webhook subscription does not exist"}]
        self._changed()
        return gid, []


class SubscriptionsRoot:
    """The QueryRoot / Mutation fields, mixed into the fake's root value (`self._shop` is the FakeShopify)."""

    def webhookSubscriptions(self, info, **args):
        wanted_topics, uri = args.get("topics"), args.get("uri")
        return [
            node
            for node in self._shop.subscriptions.all()
            if (not wanted_topics or node["topic"] in wanted_topics) and (uri is None or node["uri"] == uri)
        ]  # the resolver pages the list (first/after)

    def webhookSubscription(self, info, id):
        return next((n for n in self._shop.subscriptions.all() if n["id"] == id), None)

    def webhookSubscriptionCreate(self, info, topic, webhookSubscription):
        uri = webhookSubscription.get("uri") or webhookSubscription.get("callbackUrl") or ""
        node, errors = self._shop.subscriptions.create(topic, uri)
        return {"webhookSubscription": node, "userErrors": errors}

    def webhookSubscriptionDelete(self, info, id):
        legacy_id(id)  # an id that is no GID is a GraphQL error, as Shopify's "Invalid global id"
        deleted, errors = self._shop.subscriptions.delete(id)
        return {"deletedWebhookSubscriptionId": deleted, "userErrors": errors}


class ShopSubscriptions:
    """Mixed into FakeShopify: its subscriptions and the deliveries to them."""

    # What deliveries to subscriptions are signed with when the request names no secret. None: the app's client
    # secret, as Shopify signs a Dev Dashboard app's webhooks; an app made in the admin before 2026 signs with
    # its own API secret key, which only the merchant's app settings know (tests set it).
    webhook_signing_secret: str | None = None

    @property
    def subscriptions(self) -> Subscriptions:
        with self._lock:
            if getattr(self, "_subscriptions", None) is None:
                self._subscriptions = Subscriptions(self._subscriptions_changed)
            return self._subscriptions

    def _subscriptions_changed(self):
        with self._lock:
            self._version += 1  # cached answers (listings included) are stale now

    def deliver_to_subscriptions(self, nodes, *, updated: bool, secret: str | None = None) -> list:
        """Deliver each order to every subscription of its topic: HTTP statuses, or the error in words."""
        topic = "ORDERS_UPDATED" if updated else "ORDERS_CREATE"
        key = secret or self.webhook_signing_secret
        outcomes = []
        for subscription in [s for s in self.subscriptions.all() if s["topic"] == topic]:
            for node in nodes:
                try:
                    answer = self.send_webhook(
                        subscription["uri"], topic=delivery_topic(topic), order_id=node["id"], secret=key
                    )
                    outcomes.append(answer.status_code)
                except requests.RequestException as exc:
                    outcomes.append(str(exc))
        return outcomes
