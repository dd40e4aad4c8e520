"""Webhook subscriptions in the fake Cartum (R48), as its API documents them.

`hooks/subscribe` {token, event, target_url} answers HTTP 201 `{"id": N}`, at most 5 subscriptions per event;
`hooks/unSubscribe` {token, id, target_url} answers HTTP 410 Gone `{"status": "OK"}`
(https://horoshop.atlassian.net/wiki/spaces/DOCS/pages/3693183047, .../3693183029). What Cartum answers past the
limit is not documented: the fake answers like its other refusals, HTTP 200 `{"status": "ERROR", "response":
{"message": ...}}`. There is no call that lists subscriptions. `order_created` is delivered by PUT, unsigned,
to every subscriber when an order is created through the control endpoint (Cartum has no update event).
"""

from __future__ import annotations

import json

import requests

from .server import json_response

EVENTS = ("order_created", "user_signup", "request_call_me")
MAX_PER_EVENT = 5


def _refused(status: str, message: str):
    return json_response(200, {"status": status, "response": {"message": message}})


class ShopHooks:
    """Mixed into FakeCartum: its subscriptions, and the deliveries to them."""

    @property
    def hooks(self) -> dict[int, dict]:
        with self._lock:
            if getattr(self, "_hooks", None) is None:
                self._hooks, self._next_hook = {}, 1
            return self._hooks

    def hooks_call(self, function: str, request: dict):
        """The hooks/* functions, or None for another function."""
        if function == "hooks/subscribe":
            event, url = str(request.get("event") or ""), str(request.get("target_url") or "")
            if event not in EVENTS:
                return _refused("ERROR", f"Unknown event: {event}")
            if not url.startswith(("http://", "https://")):
                return _refused("ERROR", "target_url is not a valid URL")
            with self._lock:
                if sum(h["event"] == event for h in self.hooks.values()) >= MAX_PER_EVENT:
                    return _refused("ERROR", f"The maximum of {MAX_PER_EVENT} subscriptions for {event} is reached")
                number, self._next_hook = self._next_hook, self._next_hook + 1
                self.hooks[number] = {"id": number, "event": event, "target_url": url}
            return json_response(201, {"id": number})
        if function == "hooks/unSubscribe":
            number = request.get("id")
            with self._lock:
                hook = self.hooks.get(number) if isinstance(number, int) else None
                if hook is None or hook["target_url"] != request.get("target_url"):
                    return _refused("NOT_FOUND", "Subscription is not found")
                del self.hooks[number]
            return json_response(410, {"status": "OK"})
        return None

    def remove_in_admin(self, number: int):
        """A manager deletes the subscription in Cartum's admin: Cartum then sends DELETE to its target_url."""
        with self._lock:
            hook = self.hooks.pop(number)
        try:
            return requests.delete(hook["target_url"], timeout=10)
        except requests.RequestException:
            return None

    def deliver_order_created(self, order_id) -> list:
        """PUT the order to every `order_created` subscriber: HTTP statuses, or the error in words."""
        with self._lock:
            urls = [h["target_url"] for h in self.hooks.values() if h["event"] == "order_created"]
        outcomes = []
        for url in urls:
            try:
                outcomes.append(self.send_webhook(url, order_id).status_code)
            except requests.RequestException as exc:
                outcomes.append(str(exc))
        return outcomes

    def hooks_control(self, method: str, path: str, body: bytes):
        """POST /_fake/orders {"generate": n} | {"order": {...}}: new orders, announced to the subscribers;
        {"update": id, "fields": {...}} changes one silently, as Cartum has no update event. GET /_fake/hooks."""
        if path == "/_fake/hooks" and method == "GET":
            with self._lock:
                return json_response(200, list(self.hooks.values()))
        if path != "/_fake/orders" or method != "POST":
            return json_response(404, {"status": "NOT_FOUND"})
        try:
            doc = json.loads(body or b"{}")
            if "update" in doc:
                orders, created = [self.update_order(doc["update"], **(doc.get("fields") or {}))], False
            elif "generate" in doc:
                orders, created = self.generate_orders(int(doc["generate"])), True
            else:
                orders, created = [self.add_order(doc["order"])], True
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            return json_response(400, {"status": "ERROR", "response": {"message": f"bad control request: {exc!r}"}})
        deliveries = [d for o in orders for d in self.deliver_order_created(o["order_id"])] if created else []
        return json_response(201, {"orders": [{"order_id": o["order_id"]} for o in orders], "webhooks": deliveries})

    def generate_orders(self, n: int) -> list[dict]:
        """n new orders created now, numbered after the shop's last one: just placed, so status 1 (New)."""
        with self._lock:
            start = max(self._orders, default=99) - 99
            created = [{**item, "stat_status": 1} for item in self.sample_orders(n, seed=start, months=0, start=start)]
            for item in created:
                self.add_order(item)
        return created
