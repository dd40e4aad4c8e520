"""Cartum webhook subscriptions (R48), mixed into CartumClient.

`hooks/subscribe` {token, event, target_url} answers HTTP 201 `{"id": N}` (no status envelope); at most 5
subscriptions per event. `hooks/unSubscribe` {token, id, target_url} answers HTTP 410 Gone `{"status": "OK"}`
(https://horoshop.atlassian.net/wiki/spaces/DOCS/pages/3693183047, .../3693183029). There is no call that
lists subscriptions, so the back-office keeps the ids it created (Platform.lists_webhooks = False).
"""

from integrations.platforms.base import WebhookSubscription, plain_number
from integrations.platforms.http import PlatformError

GONE = (404, 410)  # 410 is unSubscribe's own success; 404: no such subscription, which is what was asked for


class CartumWebhooks:
    """Needs `http`, `label` and the token handling (`_current_token`, `_token`) of CartumClient."""

    def webhooks_list(self, address: str) -> list[WebhookSubscription]:
        raise NotImplementedError("Cartum has no call that lists webhook subscriptions")

    def webhooks_create(self, *, topic: str, address: str, secret: str = "") -> WebhookSubscription:
        # No secret: Cartum signs nothing; the address itself carries the store's key.
        data = self._hook_call("hooks/subscribe", {"event": topic, "target_url": address})
        subscription_id = str((data or {}).get("id", "")).strip()
        if not plain_number(subscription_id):
            raise PlatformError(f"{self.label}: hooks/subscribe did not subscribe: {_said(data)}")
        return WebhookSubscription(id=subscription_id, topic=topic, address=address)

    def webhooks_delete(self, subscription: WebhookSubscription) -> None:
        payload = {"id": int(subscription.id), "target_url": subscription.address}
        self._hook_call("hooks/unSubscribe", payload, gone_is_done=True)

    def _hook_call(self, function: str, payload: dict, *, gone_is_done: bool = False) -> dict:
        """One hooks/* call with the token, logging in again once when it is refused."""
        for attempt in (1, 2):
            body = {**payload, "token": self._current_token()}
            try:
                data, _ = self.http.call("POST", f"{function}/", json=body, check=_any_object)
            except PlatformError as exc:
                if gone_is_done and exc.status in GONE:
                    return {"status": "OK"}
                if exc.status in (401, 403) and attempt == 1:
                    self._token = ""
                    continue
                raise PlatformError(f"{self.label}: {function} was refused: {exc}", status=exc.status) from exc
            if data.get("status") in ("UNAUTHORIZED", "AUTHORIZATION_ERROR") and attempt == 1:
                self._token = ""  # expired or revoked early: log in again and repeat once
                continue
            if "id" not in data and data.get("status") != "OK":
                raise PlatformError(f"{self.label}: {function} answered {_said(data)}")
            return data
        raise AssertionError("unreachable: the second attempt returns or raises")


def _any_object(data, response):
    if not isinstance(data, dict):
        raise PlatformError(f"unexpected answer from Cartum (HTTP {response.status_code})")


def _said(data) -> str:
    response = (data or {}).get("response") if isinstance(data, dict) else None
    message = response.get("message") if isinstance(response, dict) else None
    return f"{(data or {}).get('status', '?')}: {message}"[:300] if message else str(data)[:300]
