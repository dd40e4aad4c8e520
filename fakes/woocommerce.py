"""A local fake of the WooCommerce REST API v3 (orders, products, categories, currency), over real HTTP.

It speaks what the importer depends on, as WooCommerce does it: OAuth 1.0a one-legged signatures on plain
http (checked like `WC_REST_Authentication::check_oauth_signature`, nonces remembered, 15-minute window;
Basic auth only when told the site is behind TLS), numbered pages with X-WP-Total / X-WP-TotalPages,
per_page 1..100, `after` / `modified_after` exclusive and read as *site* time unless `dates_are_gmt`
(the fake's site runs at UTC+3, so a client that forgets it gets the wrong orders), default order desc,
PUT /orders/<id>, and webhooks signed like class-wc-webhook.php. Faults come from server.Faults.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import html
import json
import random
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qsl, quote, urlsplit

import requests

from .server import CONTROL_PREFIX, FakeServer, Faults, KeyedOrders, json_response
from .woocommerce_webhooks import ShopWebhooks

API = "/wp-json/wc/v3/"
MAX_REMEMBERED_PAGES = 2000  # listing pages answered from memory (see _list)
SITE_OFFSET = timedelta(hours=3)
STATUSES = ("pending", "processing", "on-hold", "completed", "cancelled", "refunded", "failed", "trash")
# fmt: off
# The docs' category tree (wc_v3_product_categories_list.json) and products filed in it.
CATEGORIES = [(9, "Clothing", 0), (10, "Hoodies", 9), (11, "Music", 0), (12, "Posters", 0), (13, "Singles", 11),
              (14, "T-shirts", 9), (15, "Albums", 11)]
PRODUCTS = [(101, "Футболка базова", "TS-001", "450.00", [9, 14]), (102, "Худі з капюшоном", "HD-001", "1200.00", [10]),
            (103, "Альбом «Океан»", "AL-001", "350.00", [11, 15]), (104, "Сингл «Весна»", "SG-001", "90.00", [13]),
            (105, "Постер А2", "PS-001", "200.00", [12]), (106, "Футболка + худі", "KT-001", "1500.00", [14, 10])]
FIRST = ["Олена", "Андрій", "Ірина", "Тарас", "Марія", "Богдан", "Oksana", "Dmytro"]
LAST = ["Шевченко", "Коваленко", "Бондаренко", "Ткаченко", "Kravets", "Melnyk"]
PHONE_FORMATS = [lambda o, n: f"0{o} {n[:3]} {n[3:5]} {n[5:]}", lambda o, n: f"+380{o}{n}",
                 lambda o, n: f"380-{o}-{n[:3]}-{n[3:]}", lambda o, n: f"(0{o}) {n[:3]}-{n[3:5]}-{n[5:]}"]
# fmt: on


def _wc_encode(value: str) -> str:
    return quote(value, safe="-._~")  # PHP rawurlencode (RFC 3986)


def check_oauth_signature(method: str, url: str, params: dict, secret: str) -> bool:
    """WooCommerce's own check, step by step: sort by key, encode each key and value, encode each `k=v` again."""
    params = dict(params)
    given = params.pop("oauth_signature", "").replace(" ", "+")
    algorithm = {"HMAC-SHA1": hashlib.sha1, "HMAC-SHA256": hashlib.sha256}.get(params.get("oauth_signature_method"))
    if algorithm is None:
        return False
    pairs = [_wc_encode(f"{_wc_encode(k)}={_wc_encode(params[k])}") for k in sorted(params)]
    string_to_sign = f"{method.upper()}&{_wc_encode(url)}&{'%26'.join(pairs)}"
    expected = base64.b64encode(hmac.new(f"{secret}&".encode(), string_to_sign.encode(), algorithm).digest()).decode()
    return hmac.compare_digest(expected, given)


def _error(status: int, code: str, message: str):
    return json_response(status, {"code": code, "message": message, "data": {"status": status}})


NO_ROUTE = _error(404, "rest_no_route", "No route was found matching the URL and request method.")


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S")


def sample_customers(rng: random.Random, n: int) -> list[dict]:
    """n people; about one in ten gives only an email, one in twenty neither (WooCommerce refuses those, R10)."""
    people = []
    for i in range(n):
        kind = rng.random()
        operator, number = rng.choice(["50", "63", "67", "93", "97"]), f"{rng.randrange(10**7):07d}"
        people.append(
            {
                "first": rng.choice(FIRST),
                "last": rng.choice(LAST),
                "operator": operator,
                "number": number,
                "email": f"buyer{i}@example.com" if kind > 0.05 else "",
                "has_phone": kind > 0.15,
            }
        )
    return people


def sample_orders(
    n: int, *, seed: int = 0, now: datetime | None = None, months: int = 3, currency: str = "UAH", start: int = 0
) -> list[dict]:
    """n WooCommerce orders created evenly over `months` up to `now`; a quarter of the buyers come back with
    their phone written differently."""
    rng, end = random.Random(seed), (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    span = timedelta(days=30 * months)
    repeat = sample_customers(rng, n // 4)
    slots = [c for c in repeat for _ in range(2 + (rng.random() < 0.2))][:n]
    slots += sample_customers(rng, n - len(slots))
    rng.shuffle(slots)
    orders = []
    for i, c in enumerate(slots):
        created = end - span + span * (i + rng.random()) / max(n, 1)
        status = rng.choices(STATUSES[:7], weights=[10, 40, 10, 25, 8, 4, 3])[0]
        modified = min(end, created + timedelta(hours=rng.randint(1, 72) if status != "pending" else 0))
        phone = rng.choice(PHONE_FORMATS)(c["operator"], c["number"]) if c["has_phone"] else ""
        lines = []
        for k, (pid, name, sku, price, _cats) in enumerate(rng.sample(PRODUCTS, rng.choice([1, 1, 1, 2, 2, 3]))):
            qty = 1 if rng.random() < 0.8 else rng.randint(2, 3)
            amount = f"{float(price) * qty:.2f}"
            lines.append(
                {
                    "id": 10_000 + (start + i) * 8 + k,
                    "name": name,
                    "product_id": pid,
                    "variation_id": 0,
                    "quantity": qty,
                    "subtotal": amount,
                    "total": amount,
                    "sku": sku,
                    "price": float(price),
                    "meta_data": [],
                }
            )
        orders.append(order(1000 + start + i, created, modified, status, c, phone, lines, currency, rng.random() < 0.5))
    return orders


def order(oid, created, modified, status, c, phone, lines, currency, phone_on_shipping=False) -> dict:
    """One order in WooCommerce's shape (wc_v3_order_retrieve.json), phone on shipping (5.6+) or billing."""
    total = sum(float(li["total"]) for li in lines)
    # fmt: off
    address = {"first_name": c["first"], "last_name": c["last"], "company": "", "address_1": "вул. Хрещатик, 1",
               "address_2": "", "city": "Київ", "state": "", "postcode": "01001", "country": "UA"}
    return {"id": oid, "parent_id": 0, "number": str(oid), "order_key": f"wc_order_{oid}", "created_via": "checkout",
            "status": status, "currency": currency, "date_created": _stamp(created + SITE_OFFSET),
            "date_created_gmt": _stamp(created), "date_modified": _stamp(modified + SITE_OFFSET),
            "date_modified_gmt": _stamp(modified), "total": f"{total + 70:.2f}", "shipping_total": "70.00",
            "customer_id": 0, "billing": {**address, "email": c["email"], "phone": "" if phone_on_shipping else phone},
            "shipping": {**address, "phone": phone if phone_on_shipping else ""}, "payment_method": "cod",
            "line_items": lines, "meta_data": [], "shipping_lines": [{"id": oid * 8, "method_title": "Нова Пошта",
                                                                      "method_id": "flat_rate", "total": "70.00"}]}
    # fmt: on


def admin_page(
    title: str, facts: list[tuple[str, object]], lines: list[tuple[object, object, object]], status: int = 200
) -> tuple[int, dict, bytes]:
    """A minimal HTML page of the platform's own admin for one order, so the back-office's Store links land
    somewhere in the demo (R31): a title, label/value facts and the order's lines (name, quantity, price)."""
    esc = html.escape
    facts_html = "".join(f"<tr><th>{esc(str(k))}</th><td>{esc(str(v))}</td></tr>" for k, v in facts)
    lines_html = "".join(
        f"<tr><td>{esc(str(n))}</td><td>{esc(str(q))}</td><td>{esc(str(p))}</td></tr>" for n, q, p in lines
    )
    body = (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{esc(title)}</title></head>'
        f"<body><h1>{esc(title)}</h1><table>{facts_html}</table>"
        f"{'<table><tr><th>Item</th><th>Qty</th><th>Price</th></tr>' + lines_html + '</table>' if lines else ''}"
        "</body></html>"
    )
    return status, {"Content-Type": "text/html; charset=utf-8"}, body.encode()


def load_orders_dir(path) -> list[dict]:
    """Every WooCommerce order in *.json files under `path` (an order object or a list of them per file)."""
    orders = []
    for file in sorted(Path(path).glob("*.json")):
        doc = json.loads(file.read_text(encoding="utf-8"))
        for item in doc if isinstance(doc, list) else [doc]:
            if not (isinstance(item, dict) and isinstance(item.get("id"), int) and "line_items" in item):
                raise ValueError(f"{file.name}: not a WooCommerce REST v3 order")
            orders.append(item)
    return orders


class FakeWooCommerce(ShopWebhooks, KeyedOrders, FakeServer):
    """One WooCommerce shop. Use as `with FakeWooCommerce(orders=...) as shop: shop.url, shop.credentials`."""

    order_key = "id"
    load_orders_dir = staticmethod(load_orders_dir)
    sample_orders = staticmethod(sample_orders)

    platform = "woocommerce"
    # Seconds a real shop takes to answer a page of orders (WordPress renders each order: 0.5-1 s for 100);
    # 0 answers at once. Set on an instance: `shop.page_latency = 0.7` (bench.fakeshop --paced).
    page_latency = 0.0

    def __init__(
        self,
        *,
        orders: list[dict] | None = None,
        consumer_key: str = "ck_test",
        consumer_secret: str = "cs_test",
        currency: str = "UAH",
        allow_basic: bool = False,
        faults: Faults | None = None,
        seed: int = 0,
        port: int = 0,
    ):
        super().__init__(port=port, faults=faults, seed=seed)
        self.consumer_key, self.consumer_secret, self.currency = consumer_key, consumer_secret, currency
        self.allow_basic = allow_basic  # WooCommerce takes Basic auth only over https (is_ssl())
        self._orders: dict[int, dict] = {}
        self._listings: dict[tuple, list[dict]] = {}  # filtered and sorted orders, until an order changes
        self._pages: dict[tuple, tuple] = {}  # answered listing pages, until an order changes
        self._nonces: dict[str, float] = {}
        self.categories = [{"id": i, "name": n, "slug": n.lower(), "parent": p} for i, n, p in CATEGORIES]
        names = {i: n for i, n, _ in CATEGORIES}
        self.products = {
            pid: {
                "id": pid,
                "name": name,
                "sku": sku,
                "price": price,
                "short_description": f"<p>{name}",
                "categories": [{"id": c, "name": names[c]} for c in cats],
            }
            for pid, name, sku, price, cats in PRODUCTS
        }
        for item in orders or ():
            self.add_order(item)

    @property
    def credentials(self) -> dict:
        return {"consumer_key": self.consumer_key, "consumer_secret": self.consumer_secret}

    # -- data helpers ----------------------------------------------------------------------------------------
    def update_order(self, order_id, **fields) -> dict:
        """A merchant's edit: `date_modified` moves to now (at least a second later than before)."""
        with self._lock:
            old = self._orders[int(order_id)]
            later = datetime.fromisoformat(old["date_modified_gmt"]) + timedelta(seconds=1)
            moment = max(datetime.now(UTC).replace(microsecond=0, tzinfo=None), later)
            new = {**old, **fields, "date_modified_gmt": _stamp(moment), "date_modified": _stamp(moment + SITE_OFFSET)}
            self._orders[int(order_id)] = new
            self._forget_answers()
        return new

    def add_order(self, item: dict) -> dict:
        with self._lock:
            self._forget_answers()
            return super().add_order(item)

    def _forget_answers(self):
        self._listings.clear()
        self._pages.clear()

    def send_webhook(self, url: str, order_id, secret: str, *, topic: str = "order.updated", timeout: float = 10):
        """POST the order the way WooCommerce delivers it: trim(wp_json_encode(payload)), base64 HMAC-SHA256."""
        body = json.dumps(self.get_order(order_id), separators=(",", ":")).replace("/", "\\/").encode()
        resource, event = topic.split(".", 1)
        signature = base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "WooCommerce/9.0 Hookshot (WordPress/6.5)",
            "X-WC-Webhook-Source": f"{self.url}/",
            "X-WC-Webhook-Topic": topic,
            "X-WC-Webhook-ID": "1",
            "X-WC-Webhook-Resource": resource,
            "X-WC-Webhook-Event": event,
            "X-WC-Webhook-Signature": signature,
            "X-WC-Webhook-Delivery-ID": uuid.uuid4().hex,
        }
        return requests.post(url, data=body, headers=headers, timeout=timeout)

    def send_ping(self, url: str, webhook_id: int = 1, timeout: float = 10):
        """The unsigned ping WooCommerce POSTs when a webhook is created: a form body, no X-WC-* headers."""
        return requests.post(url, data={"webhook_id": str(webhook_id)}, timeout=timeout)

    # -- HTTP ------------------------------------------------------------------------------------------------
    def dispatch(self, method, path, headers, body):
        parts = urlsplit(path)
        if method == "GET" and parts.path == "/wp-admin/post.php":  # a browser, not the API: never faulted
            return self.admin_order_page(dict(parse_qsl(parts.query)).get("post", ""))
        return super().dispatch(method, path, headers, body)

    def admin_order_page(self, post: str):
        """wp-admin's "Edit order" screen (post.php?post=<id>&action=edit), reduced to what identifies the order."""
        found = self.get_order(post) if post.isdigit() else None
        if found is None:
            return admin_page("Sorry, you are not allowed to edit this item.", [], [], status=404)
        billing = found.get("billing") or {}
        facts = [
            ("Status", found.get("status")),
            ("Date created", found.get("date_created")),
            ("Customer", f"{billing.get('first_name', '')} {billing.get('last_name', '')}".strip()),
            ("Phone", billing.get("phone") or (found.get("shipping") or {}).get("phone", "")),
            ("Email", billing.get("email", "")),
            ("Total", f"{found.get('total')} {found.get('currency')}"),
        ]
        lines = [(li.get("name"), li.get("quantity"), li.get("price")) for li in found.get("line_items") or []]
        return admin_page(f"Edit order #{found.get('number', found['id'])}", facts, lines)

    def _authorized(self, method: str, parts, headers) -> bool:
        params = dict(parse_qsl(parts.query, keep_blank_values=True))
        if "oauth_signature" not in params:
            basic = base64.b64encode(f"{self.consumer_key}:{self.consumer_secret}".encode()).decode()
            return self.allow_basic and hmac.compare_digest(headers.get("Authorization", ""), f"Basic {basic}")
        stamp, nonce = params.get("oauth_timestamp", ""), params.get("oauth_nonce", "")
        if params.get("oauth_consumer_key") != self.consumer_key or not stamp.isdigit() or not nonce:
            return False
        if abs(time.time() - int(stamp)) > 15 * 60 or "oauth_version" in params:
            return False
        if not check_oauth_signature(method, f"{self.url}{parts.path}", params, self.consumer_secret):
            return False
        with self._lock:  # as WooCommerce: the signature first, then the nonce is spent
            self._nonces = {k: v for k, v in self._nonces.items() if v > time.time() - 15 * 60}
            if nonce in self._nonces:
                return False  # replayed
            self._nonces[nonce] = time.time()
        return True

    def handle(self, method, path, headers, body):
        parts = urlsplit(path)
        if parts.path.startswith(CONTROL_PREFIX):
            return self.webhooks_control(method, parts.path, body)  # demo/test control (woocommerce_webhooks)
        route = parts.path[len(API) :].strip("/") if parts.path.startswith(API) else None
        if route is None:
            return NO_ROUTE
        if not self._authorized(method, parts, headers):
            return _error(
                401, "woocommerce_rest_authentication_error", "Invalid signature - provided signature does not match."
            )
        query = dict(parse_qsl(parts.query))
        if route == "webhooks" or route.startswith("webhooks/"):  # R48, woocommerce_webhooks
            return self.webhooks_route(method, route, query, body) or NO_ROUTE
        if method == "GET" and route == "data/currencies/current":
            return json_response(200, {"code": self.currency, "name": self.currency, "symbol": "₴"})
        if method == "GET" and route in ("orders", "products", "products/categories"):
            return self._list(route, query)
        if route.startswith("orders/") and route[7:].isdigit() and method in ("GET", "PUT"):
            found = self.get_order(route[7:])
            if found is None:
                return _error(404, "woocommerce_rest_shop_order_invalid_id", "Invalid ID.")
            if method == "PUT":
                change = json.loads(body or b"{}")
                if change.get("status") not in (None, *STATUSES):
                    return _error(400, "rest_invalid_param", "Invalid parameter(s): status")
                found = self.update_order(found["id"], **change)
            return json_response(200, found)
        return NO_ROUTE

    def _list(self, route: str, q: dict):
        if route == "orders" and self.page_latency:
            time.sleep(self.page_latency)  # the shop's own time for a page; outside the lock, as PHP workers
        per_page, page = q.get("per_page", "10"), q.get("page", "1")
        if not (per_page.isdigit() and 1 <= int(per_page) <= 100 and page.isdigit() and int(page) >= 1):
            return _error(400, "rest_invalid_param", "Invalid parameter(s): per_page, page")
        # A listing page is answered once while no order changes (a benchmark reads the shop untimed first, so
        # its timed pass measures the importer rather than this fake sharing the machine's cores). Under the
        # lock, so a concurrent edit cannot leave a stale page behind.
        cacheable = route == "orders" and not q.get("include")
        key = (route, tuple(sorted((k, v) for k, v in q.items() if k[:6] != "oauth_")))
        with self._lock:
            answer = self._pages.get(key) if cacheable else None
            if answer is None:
                answer = self._page(route, q, int(per_page), int(page))
                if cacheable:
                    if len(self._pages) >= MAX_REMEMBERED_PAGES:  # a long-running demo polls with moving dates
                        self._pages.clear()
                    self._pages[key] = answer
        return answer

    def _page(self, route: str, q: dict, size: int, number: int):
        rows = {
            "orders": list(self._orders.values()),
            "products": list(self.products.values()),
            "products/categories": list(self.categories),
        }[route]
        if q.get("include"):
            wanted = {int(i) for i in q["include"].split(",") if i.strip().isdigit()}
            rows = [r for r in rows if r["id"] in wanted]
        if route == "orders":
            rows = self._listing(rows, q)
        headers = {"X-WP-Total": str(len(rows)), "X-WP-TotalPages": str(-(-len(rows) // size))}
        return json_response(200, rows[(number - 1) * size : number * size], headers)

    def _listing(self, rows: list[dict], q: dict) -> list[dict]:
        """The filtered, sorted orders for these parameters, kept while no order changes: a client paging
        through 20,000 orders must not cost a sort of the whole shop per page (WordPress's SQL has indexes)."""
        if q.get("include"):
            return self._filter_orders(rows, q)
        key = tuple(sorted((k, v) for k, v in q.items() if k not in ("page", "per_page") and k[:6] != "oauth_"))
        with self._lock:  # computed under the lock, so a concurrent edit cannot leave a stale listing behind
            cached = self._listings.get(key)
            if cached is None:
                cached = self._listings[key] = self._filter_orders(list(self._orders.values()), q)
        return cached

    def _filter_orders(self, rows: list[dict], q: dict) -> list[dict]:
        suffix = "_gmt" if q.get("dates_are_gmt") in ("true", "1") else ""  # else: site time, as WooCommerce
        for param, field in (("after", "date_created"), ("modified_after", "date_modified")):
            if q.get(param):
                rows = [r for r in rows if r[field + suffix] > _stamp(datetime.fromisoformat(q[param]))]
        for param, field in (("before", "date_created"), ("modified_before", "date_modified")):
            if q.get(param):
                rows = [r for r in rows if r[field + suffix] < _stamp(datetime.fromisoformat(q[param]))]
        wanted = set(q.get("status", "any").split(","))
        rows = [r for r in rows if "any" in wanted or r["status"] in wanted]
        key = {"id": "id", "modified": "date_modified_gmt"}.get(q.get("orderby", "date"), "date_created_gmt")
        return sorted(rows, key=lambda r: (r[key], r["id"]), reverse=q.get("order", "desc") == "desc")
