"""The Platform interface: how one e-commerce platform is reached, read and told apart.

Platform differences are *data on the class* (DESIGN.md): the import (integrations/sync/) reads these attributes
and never branches on a platform's name. A platform package provides one Platform subclass, which declares its
key, label, credentials and capabilities once; the registry (platforms/__init__.py), the Store.platform choices,
the admin's connect form and `connect_store`'s flags derive from it (docs/adding-a-platform.md).
"""

from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _

from integrations.dto import ApiBudget, Page, RemoteOrder, ShopInfo
from integrations.platforms.credentials import Credential, webhook_secret_input


class MappingError(ValueError):
    """A platform payload we cannot read; the message says why in plain words (R40)."""


def plain_number(text: str) -> bool:
    """Only ASCII digits: str.isdigit() alone also takes "²" or "٣", which int() and the platforms refuse (R51)."""
    return text.isascii() and text.isdigit()


def payload_order_id(payload, key: str) -> str:
    """The order id of a JSON-object payload under `key`, or MappingError in plain words."""
    if not isinstance(payload, dict):
        raise MappingError(_("The order is not a JSON object."))
    external_id = str(payload.get(key) or "").strip()
    if not plain_number(external_id):
        raise MappingError(_("The order has no id."))
    return external_id


@dataclass(frozen=True)
class WebhookSubscription:
    """One webhook subscription the platform holds: its id there, its topic, where it delivers, and whether it
    delivers at all (WooCommerce keeps `paused` and `disabled` webhooks in its list)."""

    id: str
    topic: str
    address: str
    active: bool = True


class PlatformClient(ABC):
    """Talks to one store's API. Pages are streamed, never the whole shop at once."""

    requests_made: int = 0

    @abstractmethod
    def shop_info(self) -> ShopInfo: ...

    @abstractmethod
    def orders_created_since(self, since: datetime, cursor: str = "") -> Iterator[Page]:
        """Every order created at or after `since`, oldest first, resuming after `cursor`."""

    @abstractmethod
    def orders_updated_since(self, since: datetime, cursor: str = "") -> Iterator[Page]:
        """Every order changed at or after `since`, oldest change first."""

    @abstractmethod
    def orders_by_ids(self, ids: list[str]) -> list[dict]:
        """The current payloads of these orders (missing ones are simply absent)."""

    @abstractmethod
    def order_ids_created_between(self, start: datetime, end: datetime) -> Iterator[tuple[str, datetime]]:
        """(id, created) of every order created in [start, end): the platform's side of R43."""

    # --- webhook subscriptions (R48); integrations/webhook_subscriptions.py drives them ----------------------
    def webhooks_list(self, address: str) -> list[WebhookSubscription]:
        """The subscriptions the platform holds that deliver to `address` (exactly that address)."""
        raise NotImplementedError

    def webhooks_create(self, *, topic: str, address: str, secret: str) -> WebhookSubscription:
        """Subscribe `address` to `topic`; `secret` signs the deliveries where the platform takes one."""
        raise NotImplementedError

    def webhooks_delete(self, subscription: WebhookSubscription) -> None:
        """Remove one subscription; one the platform no longer has counts as removed."""
        raise NotImplementedError

    def api_budget(self) -> ApiBudget | None:
        """The API allowance left as the platform's last answer stated it; None where the platform states none."""
        return None


class Platform(ABC):
    # --- what it is, declared once (docs/adding-a-platform.md) ---------------------------------------------------
    key: str = ""  # Store.platform's value and the registry's key: lower-case, never renamed once stores use it
    label: str = ""  # the platform's own name, as the staff see it
    # The credentials a store is connected with: alternative complete sets, the preferred first; every field of a set
    # is required (a missing one is "Required for this platform."). They are kept encrypted in Store.credentials.
    credential_sets: tuple[tuple[Credential, ...], ...] = ()
    # The secret webhooks are checked with, asked for beside the credentials (None: the platform takes none).
    webhook_secret_field: Credential | None = webhook_secret_input()
    # A credential that is also the webhook secret, when the store was connected with it (Shopify's client secret).
    webhook_secret_credential: str = ""

    # --- capabilities ---------------------------------------------------------------------------------------------
    # Is delivery transferred (as a feed comment or waybill, R12)?
    transfers_delivery: bool = True
    # Carriers (keys of integrations/carriers.py) whose deliveries become waybills instead of comments, asked in
    # this order (R13: Shopify's Nova Poshta TTNs). A delivery none of them recognizes stays a comment (R12).
    waybill_carriers: tuple[str, ...] = ()
    # Orders without lines / without a client with a phone or email are refused (R10).
    requires_lines: bool = False
    requires_client_contact: bool = False
    # Match existing contacts by email too, after the phone (R21, R23).
    match_clients_by_email: bool = True
    # Statuses come in from the platform through the store's mapping (R9: Cartum).
    inbound_status_sync: bool = False
    # Does `orders_updated_since` page strictly by time of change, oldest first? Then a poll may move its cursor
    # after every batch and stop when its task's time is up (Shopify's sortKey UPDATED_AT; WooCommerce pages by
    # creation date and Cartum re-reads recent orders, so their polls move the cursor only once complete).
    polls_in_change_order: bool = False
    # Plans on which the platform hides client data (R22); compared with Store.shop_plan.
    client_hidden_on_plans: frozenset[str] = frozenset()

    @abstractmethod
    def client(self, store) -> PlatformClient: ...

    @abstractmethod
    def map_order(self, payload: dict) -> RemoteOrder:
        """Translate one raw order payload; raise MappingError when it cannot be read. Pure."""

    def admin_order_url(self, store, external_id: str) -> str:
        """The order's page in the platform's own admin (Store column, R31)."""
        return ""

    def hides_client_data(self, store) -> bool:
        return store.shop_plan.strip().lower() in {p.lower() for p in self.client_hidden_on_plans}

    def skip_in_backfill(self, order: RemoteOrder) -> str:
        """Why an order that existed before connecting is not imported (R3), or ""."""
        return order.finished

    # --- hooks the engine calls --------------------------------------------------------------
    def on_connect(self, store) -> None:
        """Called once, right after a new store is saved (e.g. Cartum's default status mapping, R9)."""
        return None

    # Does a back-office status change go back to the platform (R9)? `push_status` does it.
    pushes_status: bool = False

    def push_status(self, order) -> str:
        """Tell the platform about the order's current status; return the feed text of what was done."""
        return ""

    # --- webhooks (R42) ---------------------------------------------------------------------
    # Platforms that sign their webhooks (Shopify, WooCommerce). For those that don't (Cartum), the
    # webhook address carries the store's secret as `?key=` and webhooks.py checks it instead.
    signs_webhooks: bool = True
    # The request header that names the webhook's topic, for the delivery record.
    topic_header: str = ""

    # The topics connecting a store subscribes its webhook address to (R48), in the platform's own names.
    webhook_topics: tuple[str, ...] = ()
    # Can the platform list its subscriptions? Cartum cannot: the ids the back-office created (kept on the
    # store) are then what counts as present.
    lists_webhooks: bool = True
    # Does the back-office make up the store's webhook secret when it has none? WooCommerce signs with the
    # secret given when a webhook is created, Cartum's address carries it as `?key=`; Shopify signs with the
    # app's own secret, which only the merchant can give.
    generates_webhook_secret: bool = False

    def verify_webhook(self, *, secret: str, body: bytes, headers) -> bool:
        return False

    def is_webhook_ping(self, *, headers, body: bytes) -> bool:
        """A platform's "is this address alive?" request, which names no order (WooCommerce)."""
        return False

    def webhook_delivery_id(self, *, headers, body: bytes) -> str:
        return ""

    # The key of a webhook body that names the order: "id" (Shopify, WooCommerce), "order_id" (Cartum).
    webhook_order_key: str = ""

    def webhook_order_id(self, *, headers, payload: dict) -> str:
        """The order id a webhook body names, as sent ("" when it names none). Whether it is a usable number is the
        drain's question: an unusable one becomes an import problem there, not a silent skip (R51)."""
        value = payload.get(self.webhook_order_key) if self.webhook_order_key and isinstance(payload, dict) else None
        if isinstance(value, bool) or not isinstance(value, int | str):
            return ""
        return str(value).strip()
