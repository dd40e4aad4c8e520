"""A local fake of the Cartum API (`POST /api/<function>/`, JSON), over real HTTP.

What the importer depends on, as the Cartum docs describe it (see PROTOCOLS.md 3): `auth` hands out a
32-character token that lives `token_lifetime` seconds (600 by default; `expire_tokens()` revokes them
early, as Cartum may), every other call answers `{"status": "UNAUTHORIZED"}` for a bad or old token,
`orders/get` filters `from`/`to` (inclusive, shop time, "YYYY-MM-DD[ HH:mm:ss]" or "DD.MM.YYYY"), `ids`,
`status`, and pages with `offset` + `limit` (offset ignored without limit, as a third-party client measured),
`orders/get_available_statuses` answers the docs' own example, `orders/update` logs per record with
"WARNING" when one fails. Answers are HTTP 200 with a `status`, faults come from server.Faults.
Orders are `orders/get` objects shaped like the `order_created` fixture.
"""

from __future__ import annotations

import hmac
import json
import random
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit
from zoneinfo import ZoneInfo

import requests

from .cartum_hooks import ShopHooks
from .server import CONTROL_PREFIX, FakeServer, Faults, KeyedOrders, json_response
from .woocommerce import PHONE_FORMATS, admin_page, sample_customers

SHOP_TZ = ZoneInfo("Europe/Kyiv")
# cartum_orders_get_available_statuses_response.json
STATUSES = {
    "1": {"id": 1, "title": {"ua": "Нове", "en": "New"}, "is_successful": 0},
    "2": {"id": 2, "title": {"ua": "В обробці", "en": "Processing"}, "is_successful": 0},
    "3": {"id": 3, "title": {"ua": "Доставлене", "en": "Delivered"}, "is_successful": 1},
    "4": {"id": 4, "title": {"ua": "Не доставлене", "en": "Canceled"}, "is_successful": 0},
    "6": {"id": 6, "title": {"ua": "Надіслане", "en": "Shipping"}, "is_successful": 0},
}
# fmt: off
PRODUCTS = [("Чохол для iPhone 15", "CASE-15", 450), ("Скло захисне", "GLASS-01", 199),
            ("Кабель USB-C 1 м", "USBC-1", 249), ("Зарядний блок 20 Вт", "CHG-20", 699),
            ('MacBook Air 11.6" 128 GB, Green', "MJVM2UAA", 31799)]
DELIVERIES = [({"id": 1, "title": "Нова Пошта"}, 70), ({"id": 2, "title": "Укрпошта"}, 45),
              ({"id": 42, "title": "Local pickup"}, 0)]
# fmt: on
DATE_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d", "%d.%m.%Y %H:%M:%S", "%d.%m.%Y")


def _parse(value: str, end_of_day: bool = False) -> str | None:
    for fmt in DATE_FORMATS:
        try:
            moment = datetime.strptime(str(value).strip(), fmt)
        except ValueError:
            continue
        if end_of_day and "%H" not in fmt:
            moment += timedelta(days=1, seconds=-1)  # a date alone: the whole day, inclusive
        return moment.strftime("%Y-%m-%d %H:%M:%S")
    return None


def sample_orders(
    n: int, *, seed: int = 0, now: datetime | None = None, months: int = 3, currency: str = "UAH", start: int = 0
) -> list[dict]:
    """n Cartum orders created evenly over `months` up to `now`, a quarter of the buyers coming back."""
    rng, end = random.Random(seed), (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    span = timedelta(days=30 * months)
    repeat = sample_customers(rng, n // 4)
    slots = [c for c in repeat for _ in range(2 + (rng.random() < 0.2))][:n]
    slots += sample_customers(rng, n - len(slots))
    rng.shuffle(slots)
    orders = []
    for i, c in enumerate(slots):
        created = (end - span + span * (i + rng.random()) / max(n, 1)).astimezone(SHOP_TZ)
        products = []
        for title, article, price in rng.sample(PRODUCTS, rng.choice([1, 1, 2, 3])):
            qty = 1 if rng.random() < 0.8 else rng.randint(2, 3)
            products.append(
                {
                    "title": title,
                    "article": article,
                    "price": price,
                    "quantity": qty,
                    "total_price": price * qty,
                    "discount_marker": "NONE",
                    "type": "product",
                }
            )
        delivery, price = rng.choice(DELIVERIES)
        # Cartum sends one full name (R20); some have a middle name, a few only one word.
        name = rng.choice(
            [f"{c['first']} {c['last']}", f"{c['first']} {c['last']}", f"{c['first']} Марія {c['last']}", c["first"]]
        )
        phone = rng.choice(PHONE_FORMATS)(c["operator"], c["number"]) if c["has_phone"] else ""
        total = sum(p["total_price"] for p in products)
        orders.append(
            {
                "order_id": 100 + start + i,
                "user": 1000 + start + i,
                "delivery_name": name,
                "delivery_email": c["email"],
                "delivery_phone": phone,
                "delivery_city": "Київ",
                "delivery_address": "Відділення №5" if delivery["id"] != 2 else "вул. Січових Стрільців@12@3",
                "delivery_type": delivery,
                "delivery_price": price,
                "comment": "",
                "payment_type": {"id": 13, "title": "In cash"},
                "payed": 0,
                "total_default": total,
                "total_sum": total,
                "total_quantity": sum(p["quantity"] for p in products),
                "stat_status": int(rng.choices(list(STATUSES), weights=[20, 25, 30, 10, 15])[0]),
                "stat_created": created.strftime("%Y-%m-%d %H:%M:%S"),
                "currency": currency,
                "products": products,
            }
        )
    return orders


def load_orders_dir(path) -> list[dict]:
    """Every Cartum order in *.json files under `path`: an order, a list, or an `orders/get` answer."""
    orders = []
    for file in sorted(Path(path).glob("*.json")):
        doc = json.loads(file.read_text(encoding="utf-8"))
        if isinstance(doc, dict) and isinstance(doc.get("response"), dict):
            doc = doc["response"].get("orders") or []
        for item in doc if isinstance(doc, list) else [doc]:
            if not (isinstance(item, dict) and str(item.get("order_id", "")).isdigit() and "products" in item):
                raise ValueError(f"{file.name}: not a Cartum orders/get order")
            orders.append(item)
    return orders


class FakeCartum(ShopHooks, KeyedOrders, FakeServer):
    """One Cartum shop. Use as `with FakeCartum(orders=...) as shop: shop.url, shop.credentials`."""

    order_key = "order_id"
    load_orders_dir = staticmethod(load_orders_dir)
    sample_orders = staticmethod(sample_orders)

    platform = "cartum"

    def __init__(
        self,
        *,
        orders: list[dict] | None = None,
        login: str = "api",
        password: str = "q4lrfb3",
        token_lifetime: float = 600.0,
        faults: Faults | None = None,
        seed: int = 0,
        port: int = 0,
    ):
        super().__init__(port=port, faults=faults, seed=seed)
        self.login, self.password, self.token_lifetime = login, password, token_lifetime
        self.tokens: dict[str, float] = {}  # token -> when it was issued (monotonic)
        self.logins = 0
        self.updates: list[dict] = []  # every record orders/update received, in order
        self._orders: dict[int, dict] = {}
        for item in orders or ():
            self.add_order(item)

    @property
    def credentials(self) -> dict:
        return {"login": self.login, "password": self.password}

    # -- data helpers ----------------------------------------------------------------------------------------
    def update_order(self, order_id, **fields) -> dict:
        with self._lock:
            new = {**self._orders[int(order_id)], **fields}
            self._orders[int(order_id)] = new
        return new

    def expire_tokens(self):
        """Revoke every token now, as Cartum may before the 600 s are up."""
        with self._lock:
            self.tokens.clear()

    def send_webhook(self, url: str, order_id, *, timeout: float = 10):
        """Deliver `order_created` as Cartum does: the order as JSON, by PUT, unsigned."""
        return requests.put(url, json=self.get_order(order_id), timeout=timeout)

    # -- HTTP ------------------------------------------------------------------------------------------------
    def dispatch(self, method, path, headers, body):
        parts = urlsplit(path)
        if method == "GET" and parts.path.rstrip("/") == "/edit":  # a browser, not the API: never faulted
            return self.admin_order_page(dict(parse_qsl(parts.query)).get("order_id", ""))
        return super().dispatch(method, path, headers, body)

    def admin_order_page(self, order_id: str):
        """The shop admin (<shop>/edit/) showing the order the back-office's Store link names (order_id)."""
        found = self.get_order(order_id) if order_id.isdigit() else None
        if found is None:
            return admin_page(
                "Cartum admin", [("Order", order_id or "—"), ("Found", "no")], [], status=404 if order_id else 200
            )
        status = STATUSES.get(str(found.get("stat_status")), {}).get("title", {}).get("en", found.get("stat_status"))
        facts = [
            ("Status", status),
            ("Created", found.get("stat_created")),
            ("Customer", found.get("delivery_name")),
            ("Phone", found.get("delivery_phone")),
            ("Email", found.get("delivery_email")),
            ("Total", f"{found.get('total_sum')} {found.get('currency', '')}".strip()),
        ]
        lines = [(p.get("title"), p.get("quantity"), p.get("price")) for p in found.get("products") or []]
        return admin_page(f"Order #{found['order_id']}", facts, lines)

    def handle(self, method, path, headers, body):
        route = urlsplit(path).path
        if route.startswith(CONTROL_PREFIX):
            return self.hooks_control(method, route, body)  # demo/test control (cartum_hooks)
        if method != "POST" or not route.startswith("/api/"):
            return json_response(404, {"status": "NOT_FOUND"})
        function = route[len("/api/") :].strip("/")
        try:
            request = json.loads(body or b"{}")
            if not isinstance(request, dict):
                raise ValueError
        except ValueError:
            return json_response(200, {"status": "ERROR", "response": {"message": "Invalid JSON"}})
        if function == "auth":
            return self._auth(request)
        with self._lock:
            issued = self.tokens.get(str(request.get("token")))
        if issued is None or time.monotonic() - issued > self.token_lifetime:
            return json_response(200, {"status": "UNAUTHORIZED", "response": {"message": "Token is not valid"}})
        hooks_answer = self.hooks_call(function, request)  # R48: hooks/subscribe, hooks/unSubscribe
        if hooks_answer is not None:
            return hooks_answer
        handler = {
            "orders/get": self._get,
            "orders/get_available_statuses": lambda r: ("OK", {"statuses": STATUSES}),
            "orders/update": self._update,
        }.get(function)
        if handler is None:
            return json_response(200, {"status": "UNDEFINED_FUNCTION", "response": {"message": function}})
        status, response = handler(request)
        return json_response(200, {"status": status, "response": response})

    def _auth(self, request: dict):
        good = hmac.compare_digest(str(request.get("login", "")), self.login) and hmac.compare_digest(
            str(request.get("password", "")), self.password
        )
        if not good:
            return json_response(
                200, {"status": "AUTHORIZATION_ERROR", "response": {"message": "Wrong login or password"}}
            )
        token = uuid.uuid4().hex
        with self._lock:
            self.tokens[token] = time.monotonic()
            self.logins += 1
        return json_response(200, {"status": "OK", "response": {"token": token}})

    def _get(self, request: dict):
        with self._lock:
            rows = sorted(self._orders.values(), key=lambda o: int(o["order_id"]))
        low = _parse(request["from"]) if request.get("from") else None
        high = _parse(request["to"], end_of_day=True) if request.get("to") else None
        rows = [o for o in rows if (not low or _parse(o["stat_created"]) >= low)]
        rows = [o for o in rows if (not high or _parse(o["stat_created"]) <= high)]
        if request.get("ids"):
            wanted = {int(i) for i in request["ids"] if str(i).isdigit()}
            rows = [o for o in rows if int(o["order_id"]) in wanted]
        if request.get("status") not in (None, "", []):
            wanted = {
                int(s) for s in (request["status"] if isinstance(request["status"], list) else [request["status"]])
            }
            rows = [o for o in rows if int(o["stat_status"]) in wanted]
        if str(request.get("limit", "")).isdigit():
            offset = int(request["offset"]) if str(request.get("offset", "")).isdigit() else 0
            rows = rows[offset : offset + int(request["limit"])]
        return ("OK", {"orders": rows}) if rows else ("EMPTY", {})

    def _update(self, request: dict):
        log = []
        for record in request.get("orders") or []:
            self.updates.append(record)
            order_id, status = str(record.get("order_id", "")), str(record.get("status", ""))
            if not order_id.isdigit() or self.get_order(order_id) is None:
                log.append({"status": "ERROR", "messages": "order is not found"})
            elif status not in STATUSES:
                log.append({"status": "ERROR", "messages": "status is not defined or defined incorrectly"})
            else:
                self.update_order(order_id, stat_status=int(status))
                log.append({"status": "OK", "messages": "UPDATED"})
        return ("OK" if all(e["status"] == "OK" for e in log) else "WARNING"), {"log": log}
