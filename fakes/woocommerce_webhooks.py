"""Webhooks in the fake WooCommerce (R48, R49), as `WC_REST_Webhooks_Controller` and `class-wc-webhook.php` do.

- `GET /webhooks` (any status, numbered pages), `GET /webhooks/<id>`, `POST /webhooks` {name, topic,
  delivery_url, secret, status} -> 201, `DELETE /webhooks/<id>?force=true` (without `force`: 501, webhooks
  cannot be trashed). Writing needs a key with Write permission: a Read key gets WooCommerce's 401 "The API
  key provided does not have write permissions."
- Creating one pings the delivery URL right away: a POST with the form body `webhook_id=<id>`, no X-WC-*
  headers. `deliver_ping()` counts every answer but exactly 200 as an error ("Error: Delivery URL returned
  response code: N"); the webhook stays pending and the error is what the merchant sees in the WooCommerce
  admin (kept here as `ping_error`; the REST answer does not carry it).
- Deliveries: signed with the webhook's own secret, `X-WC-Webhook-ID` its id, and `X-WC-Webhook-Delivery-ID`
  = wp_hash(webhook id . the current second), so every delivery of one webhook within a second shares it.
  More than 5 failures in a row disable the webhook.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from datetime import UTC, datetime
from urllib.parse import urlsplit

import requests

from .server import json_response

RESOURCES = ("order", "product", "customer", "coupon")
EVENTS = ("created", "updated", "deleted", "restored")
STATUSES = ("active", "paused", "disabled")
WP_SALT = b"fake-wordpress-auth-salt"  # wp_salt('auth'): per site, secret
FAILURES_BEFORE_DISABLED = 5


def wp_hash(data: str) -> str:
    """WordPress's wp_hash(): HMAC-MD5 of the data with the site's auth salt."""
    return hmac.new(WP_SALT, data.encode(), hashlib.md5).hexdigest()


def _error(status: int, code: str, message: str):
    return json_response(status, {"code": code, "message": message, "data": {"status": status}})


class ShopWebhooks:
    """Mixed into FakeWooCommerce: its webhooks, their ping, and the deliveries to them."""

    # "read", "write" or "read_write", as a key is created under WooCommerce > Settings > Advanced > REST API.
    key_permissions = "read_write"
    clock = staticmethod(time.time)  # the site's clock: the second that goes into a delivery id

    @property
    def webhooks(self) -> dict[int, dict]:
        with self._lock:
            if getattr(self, "_webhooks", None) is None:
                self._webhooks, self._next_webhook = {}, 1
            return self._webhooks

    # -- REST ------------------------------------------------------------------------------------------------
    def webhooks_route(self, method: str, route: str, query: dict, body: bytes):
        if method != "GET" and "write" not in self.key_permissions:
            return _error(
                401, "woocommerce_rest_authentication_error", "The API key provided does not have write permissions."
            )
        if route == "webhooks" and method == "GET":
            return self._webhooks_page(query)
        if route == "webhooks" and method == "POST":
            return self._webhook_create(body)
        tail = route[len("webhooks/") :]
        if not tail.isdigit() or method not in ("GET", "DELETE"):
            return None
        hook = self.webhooks.get(int(tail))
        if method == "DELETE" and query.get("force") not in ("true", "1"):
            return _error(501, "woocommerce_rest_trash_not_supported", "Webhooks do not support trashing.")
        if hook is None:
            return _error(404, "woocommerce_rest_shop_webhook_invalid_id", "Invalid ID.")
        if method == "DELETE":
            with self._lock:
                self.webhooks.pop(hook["id"], None)
        return json_response(200, _public(hook))

    def _webhooks_page(self, query: dict):
        per_page, page = query.get("per_page", "10"), query.get("page", "1")
        if not (per_page.isdigit() and 1 <= int(per_page) <= 100 and page.isdigit() and int(page) >= 1):
            return _error(400, "rest_invalid_param", "Invalid parameter(s): per_page, page")
        wanted = query.get("status", "all")
        with self._lock:
            rows = [h for h in self.webhooks.values() if wanted == "all" or h["status"] == wanted]
        size, number = int(per_page), int(page)
        headers = {"X-WP-Total": str(len(rows)), "X-WP-TotalPages": str(-(-len(rows) // size))}
        return json_response(200, [_public(h) for h in rows[(number - 1) * size : number * size]], headers)

    def _webhook_create(self, body: bytes):
        try:
            request = json.loads(body or b"{}")
            if not isinstance(request, dict):
                raise ValueError
        except ValueError:
            return _error(400, "rest_invalid_json", "Invalid JSON body passed.")
        topic = str(request.get("topic") or "").lower()
        resource, _, event = topic.partition(".")
        if resource not in RESOURCES or event not in EVENTS:
            message = "Webhook topic is required and must be valid."
            return _error(400, "woocommerce_rest_shop_webhook_invalid_topic", message)
        url = str(request.get("delivery_url") or "")
        if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).hostname:
            return _error(
                400,
                "woocommerce_rest_shop_webhook_invalid_delivery_url",
                "Webhook delivery URL must be a valid URL starting with http:// or https://.",
            )
        status = request.get("status") or "active"
        if status not in STATUSES:
            return _error(400, "rest_invalid_param", "Invalid parameter(s): status")
        now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S")
        with self._lock:
            self.webhooks  # noqa: B018 -- makes sure the store and its counter exist
            number, self._next_webhook = self._next_webhook, self._next_webhook + 1
            hook = {
                "id": number,
                "name": request.get("name") or f"Webhook created on {now}",
                "status": status,
                "topic": topic,
                "resource": resource,
                "event": event,
                "hooks": [],
                "delivery_url": url,
                "secret": request.get("secret") or secrets.token_urlsafe(37),
                "date_created": now,
                "date_created_gmt": now,
                "date_modified": now,
                "date_modified_gmt": now,
                "pending_delivery": True,
                "ping_error": "",
                "failures": 0,
            }
            self.webhooks[number] = hook
        answer = json_response(201, _public(hook))  # prepared before the ping, as create_item() does
        self._ping(hook)
        return answer

    def _ping(self, hook: dict) -> None:
        """deliver_ping(): the form body `webhook_id=<id>`, no X-WC-* headers; only exactly 200 is a success."""
        try:
            answer = requests.post(
                hook["delivery_url"],
                data={"webhook_id": str(hook["id"])},
                timeout=10,
                headers={"User-Agent": "WooCommerce/9.0 Hookshot (WordPress/6.5)"},
            )
        except requests.RequestException as exc:
            hook["ping_error"] = f"Error: Delivery URL cannot be reached: {exc}"
            return
        if answer.status_code != 200:
            hook["ping_error"] = f"Error: Delivery URL returned response code: {answer.status_code}"
            return
        hook["pending_delivery"], hook["ping_error"] = False, ""

    # -- deliveries ------------------------------------------------------------------------------------------
    def deliver_webhooks(self, order_id, *, event: str = "created") -> list:
        """Deliver the order to every active webhook of `order.<event>`: HTTP statuses, or the error in words."""
        outcomes = []
        with self._lock:
            hooks = [h for h in self.webhooks.values() if h["topic"] == f"order.{event}" and h["status"] == "active"]
        for hook in hooks:
            outcomes.append(self._deliver(hook, order_id))
        return outcomes

    def _deliver(self, hook: dict, order_id):
        body = json.dumps(self.get_order(order_id), separators=(",", ":")).replace("/", "\\/").encode()
        signature = base64.b64encode(hmac.new(hook["secret"].encode(), body, hashlib.sha256).digest()).decode()
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "WooCommerce/9.0 Hookshot (WordPress/6.5)",
            "X-WC-Webhook-Source": f"{self.url}/",
            "X-WC-Webhook-Topic": hook["topic"],
            "X-WC-Webhook-Resource": hook["resource"],
            "X-WC-Webhook-Event": hook["event"],
            "X-WC-Webhook-Signature": signature,
            "X-WC-Webhook-ID": str(hook["id"]),
            "X-WC-Webhook-Delivery-ID": wp_hash(f"{hook['id']}{int(self.clock())}"),
        }
        try:
            answer = requests.post(hook["delivery_url"], data=body, headers=headers, timeout=10)
        except requests.RequestException as exc:
            self._delivery_failed(hook)
            return str(exc)
        if 200 <= answer.status_code < 300 or answer.status_code in (301, 302):
            hook["failures"] = 0
        else:
            self._delivery_failed(hook)
        return answer.status_code

    def _delivery_failed(self, hook: dict) -> None:
        with self._lock:
            hook["failures"] += 1
            if hook["failures"] > FAILURES_BEFORE_DISABLED:
                hook["status"] = "disabled"

    # -- control (demo, tests) -------------------------------------------------------------------------------
    def webhooks_control(self, method: str, path: str, body: bytes):
        """POST /_fake/orders {"generate": n} | {"update": id, "fields": {...}} | {"order": {...}}: the orders
        change as in the shop, and every active webhook of the matching topic hears of it. GET /_fake/webhooks:
        the webhooks with their secrets and ping errors, as the WooCommerce admin shows them."""
        if path == "/_fake/webhooks" and method == "GET":
            with self._lock:
                return json_response(200, [dict(h) for h in self.webhooks.values()])
        if path != "/_fake/orders" or method != "POST":
            return _error(404, "rest_no_route", "No route was found matching the URL and request method.")
        try:
            doc = json.loads(body or b"{}")
            if "generate" in doc:
                orders = self.generate_orders(int(doc["generate"]))
            elif "update" in doc:
                orders = [self.update_order(doc["update"], **(doc.get("fields") or {}))]
            else:
                orders = [self.add_order(doc["order"])]
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            return _error(400, "rest_invalid_param", f"bad control request: {exc!r}")
        event = "updated" if "update" in doc else "created"
        deliveries = [outcome for order in orders for outcome in self.deliver_webhooks(order["id"], event=event)]
        return json_response(201, {"orders": [{"id": o["id"]} for o in orders], "webhooks": deliveries})

    def generate_orders(self, n: int) -> list[dict]:
        """n new orders created now, numbered after the shop's last one: just placed, so `processing`."""
        with self._lock:
            start = max(self._orders, default=999) - 999
            created = self.sample_orders(n, seed=start, months=0, currency=self.currency, start=start)
            created = [{**item, "status": "processing"} for item in created]
            for item in created:
                self.add_order(item)
        return created


def _public(hook: dict) -> dict:
    """A webhook as the REST API shows it: no secret, no internal bookkeeping."""
    hidden = ("secret", "pending_delivery", "ping_error", "failures")
    return {k: v for k, v in hook.items() if k not in hidden}
