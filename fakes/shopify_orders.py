"""Data for the fake Shopify: REST <-> GraphQL order conversion and a generated sample shop.

Orders are kept as GraphQL `Order` node dicts in the shape the Admin API answers them (connections as
`{"edges": [{"node": ...}]}`), so a file saved from a real API answer, a converted REST fixture and a generated
order all look alike. Money is a Decimal string ("199.00"), ids are GIDs, datetimes are ISO 8601 UTC with Z.
"""

from __future__ import annotations

import json
import random
import time
from datetime import UTC, datetime
from pathlib import Path

ORDER_GID = "gid://shopify/Order/"


# --- small helpers ------------------------------------------------------------------------------------------
def iso_utc(value: str | None) -> str | None:
    """'2008-01-10T11:00:00-05:00' -> '2008-01-10T16:00:00Z' (Shopify GraphQL always answers in UTC)."""
    if not value:
        return None
    dt = datetime.fromisoformat(value)
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def gid(kind: str, legacy_id) -> str | None:
    return None if legacy_id is None else f"gid://shopify/{kind}/{legacy_id}"


def legacy_id(gid_or_id) -> int:
    """'gid://shopify/Order/450789469', '450789469' or 450789469 -> 450789469."""
    return int(str(gid_or_id).rsplit("/", 1)[-1])


def connection_nodes(value) -> list:
    """Items of a stored connection: a plain list, {"edges": [{"node": ..}]} or {"nodes": [..]}."""
    if value is None:
        return []
    if isinstance(value, list):
        return value
    if "edges" in value:
        return [edge["node"] for edge in value["edges"]]
    return list(value.get("nodes") or [])


def _edges(nodes: list) -> dict:
    return {"edges": [{"node": node} for node in nodes]}


def customer_node(customer_id: str, *, first, last, email, phone) -> dict:
    """A Customer as the 2026-04 Admin API serves it: the contact in defaultEmailAddress/defaultPhoneNumber, and
    in the deprecated email/phone that Shopify still serves beside them (R47: the product reads only the new)."""
    return {
        "id": customer_id,
        "firstName": first,
        "lastName": last,
        "defaultEmailAddress": {"emailAddress": email} if email else None,
        "defaultPhoneNumber": {"phoneNumber": phone} if phone else None,
        "email": email,
        "phone": phone,
    }


def _money(amount, currency: str) -> dict:
    return {"shopMoney": {"amount": None if amount is None else str(amount), "currencyCode": currency}}


def _rest_money(rest: dict, key: str, currency: str) -> dict:
    """REST keeps `<key>_set.shop_money` next to a plain `<key>` string; prefer the set (it names the currency)."""
    shop_money = (rest.get(f"{key}_set") or {}).get("shop_money")
    if shop_money:
        return _money(shop_money["amount"], shop_money.get("currency_code") or currency)
    return _money(rest.get(key) or "0.00", currency)


# --- REST -> GraphQL ----------------------------------------------------------------------------------------
_FULFILLMENT_STATUS = {
    None: "UNFULFILLED",
    "unfulfilled": "UNFULFILLED",
    "unshipped": "UNFULFILLED",
    "partial": "PARTIALLY_FULFILLED",
    "fulfilled": "FULFILLED",
    "shipped": "FULFILLED",
    "restocked": "RESTOCKED",
}
_ADDRESS_FIELDS = {"first_name": "firstName", "last_name": "lastName", "phone": "phone", "address1": "address1"}
_ADDRESS_FIELDS |= {"address2": "address2", "city": "city", "province": "province", "zip": "zip", "country": "country"}


def _address(rest: dict | None) -> dict | None:
    return None if not rest else {gql: rest.get(key) for key, gql in _ADDRESS_FIELDS.items()}


def _tracking(fulfillment: dict) -> list[dict]:
    numbers = fulfillment.get("tracking_numbers") or (
        [fulfillment["tracking_number"]] if fulfillment.get("tracking_number") else []
    )
    urls = fulfillment.get("tracking_urls") or (
        [fulfillment["tracking_url"]] if fulfillment.get("tracking_url") else []
    )
    company = fulfillment.get("tracking_company")
    if not numbers:
        return [{"company": company, "number": None, "url": urls[0] if urls else None}] if company else []
    return [
        {"company": company, "number": number, "url": urls[i] if i < len(urls) else None}
        for i, number in enumerate(numbers)
    ]


def rest_order_to_graphql(rest: dict) -> dict:
    """One REST order (as in shared/fixtures/shopify) -> the GraphQL Order node the client's queries select."""
    currency = rest.get("currency") or ((rest.get("total_price_set") or {}).get("shop_money") or {}).get(
        "currency_code", "USD"
    )
    customer = rest.get("customer")
    lines = []
    for line in rest.get("line_items") or []:
        product_id = line.get("product_id")
        lines.append(
            {
                "id": line.get("admin_graphql_api_id") or gid("LineItem", line["id"]),
                "name": line.get("name") or line.get("title") or "",
                "title": line.get("title") or line.get("name") or "",
                "variantTitle": line.get("variant_title") or None,
                "quantity": line.get("quantity", 1),
                "sku": line.get("sku") or None,
                "originalUnitPriceSet": _rest_money(line, "price", currency),
                "product": None
                if product_id is None
                else {
                    "id": gid("Product", product_id),
                    "legacyResourceId": str(product_id),
                    "productType": "",
                    "description": "",
                },
            }
        )
    shipping = [
        {
            "title": line.get("title") or "",
            "code": line.get("code"),
            "carrierIdentifier": line.get("carrier_identifier"),
            "source": line.get("source"),
            "originalPriceSet": _rest_money(line, "price", currency),
        }
        for line in rest.get("shipping_lines") or []
    ]
    financial = rest.get("financial_status")
    created = iso_utc(rest.get("created_at") or rest.get("processed_at"))
    return {
        "id": rest.get("admin_graphql_api_id") or gid("Order", rest["id"]),
        "legacyResourceId": str(rest["id"]),
        "name": rest.get("name") or f"#{rest.get('order_number', rest['id'])}",
        "createdAt": created,
        "updatedAt": iso_utc(rest.get("updated_at")) or created,
        "cancelledAt": iso_utc(rest.get("cancelled_at")),
        "currencyCode": currency,
        "displayFinancialStatus": financial.upper() if financial else None,
        "displayFulfillmentStatus": _FULFILLMENT_STATUS.get(
            rest.get("fulfillment_status"), str(rest.get("fulfillment_status")).upper()
        ),
        "email": rest.get("email") or rest.get("contact_email") or None,
        "phone": rest.get("phone") or None,
        "customer": None
        if not customer
        else customer_node(
            customer.get("admin_graphql_api_id") or gid("Customer", customer["id"]),
            first=customer.get("first_name"),
            last=customer.get("last_name"),
            email=customer.get("email"),
            phone=customer.get("phone"),
        ),
        "shippingAddress": _address(rest.get("shipping_address")),
        "billingAddress": _address(rest.get("billing_address")),
        "totalPriceSet": _rest_money(rest, "total_price", currency),
        "lineItems": _edges(lines),
        "shippingLines": _edges(shipping),
        "fulfillments": [
            {"id": f.get("admin_graphql_api_id") or gid("Fulfillment", f.get("id")), "trackingInfo": _tracking(f)}
            for f in rest.get("fulfillments") or []
        ],
    }


# --- GraphQL -> REST (webhook bodies are "the full REST resource") -----------------------------------------
def _rest_address(address: dict | None) -> dict | None:
    return None if address is None else {key: address.get(gql) for key, gql in _ADDRESS_FIELDS.items()}


def graphql_order_to_rest(node: dict) -> dict:
    """A GraphQL Order node -> the REST order body a webhook carries (the fields an importer reads)."""
    amount = (node.get("totalPriceSet") or {}).get("shopMoney", {}).get("amount")
    fulfillment = {v: k for k, v in _FULFILLMENT_STATUS.items() if k not in ("unfulfilled", "unshipped", "shipped")}
    customer = node.get("customer")
    return {
        "id": legacy_id(node["id"]),
        "admin_graphql_api_id": node["id"],
        "name": node.get("name"),
        "created_at": node.get("createdAt"),
        "updated_at": node.get("updatedAt"),
        "cancelled_at": node.get("cancelledAt"),
        "currency": node.get("currencyCode"),
        "financial_status": (node.get("displayFinancialStatus") or "").lower() or None,
        "fulfillment_status": fulfillment.get(node.get("displayFulfillmentStatus")),
        "email": node.get("email"),
        "phone": node.get("phone"),
        "total_price": amount,
        "customer": None
        if not customer
        else {
            "id": legacy_id(customer["id"]),
            "admin_graphql_api_id": customer["id"],
            "first_name": customer.get("firstName"),
            "last_name": customer.get("lastName"),
            "email": (customer.get("defaultEmailAddress") or {}).get("emailAddress"),
            "phone": (customer.get("defaultPhoneNumber") or {}).get("phoneNumber"),
        },
        "shipping_address": _rest_address(node.get("shippingAddress")),
        "billing_address": _rest_address(node.get("billingAddress")),
        "line_items": [
            {
                "id": legacy_id(line["id"]),
                "admin_graphql_api_id": line["id"],
                "name": line.get("name"),
                "title": line.get("title"),
                "variant_title": line.get("variantTitle"),
                "quantity": line.get("quantity"),
                "sku": line.get("sku"),
                "price": (line.get("originalUnitPriceSet") or {}).get("shopMoney", {}).get("amount"),
                "product_id": legacy_id(line["product"]["id"]) if line.get("product") else None,
            }
            for line in connection_nodes(node.get("lineItems"))
        ],
        "shipping_lines": [
            {
                "title": line.get("title"),
                "code": line.get("code"),
                "carrier_identifier": line.get("carrierIdentifier"),
                "source": line.get("source"),
                "price": (line.get("originalPriceSet") or {}).get("shopMoney", {}).get("amount"),
            }
            for line in connection_nodes(node.get("shippingLines"))
        ],
        "fulfillments": [
            {
                "tracking_company": info.get("company"),
                "tracking_number": info.get("number"),
                "tracking_url": info.get("url"),
            }
            for f in node.get("fulfillments") or []
            for info in f.get("trackingInfo") or []
        ],
    }


# --- loading a directory ------------------------------------------------------------------------------------
def _is_graphql_order(obj) -> bool:
    return isinstance(obj, dict) and str(obj.get("id", "")).startswith(ORDER_GID)


def orders_in_document(doc) -> list[dict]:
    """Every order a JSON document holds, as GraphQL nodes; [] for documents that hold no orders."""
    if isinstance(doc, list):
        return [order for item in doc for order in orders_in_document(item)]
    if not isinstance(doc, dict):
        return []
    if _is_graphql_order(doc):
        return [doc]
    if isinstance(doc.get("data"), dict):  # a saved GraphQL answer: data.orders / data.nodes / data.order
        data = doc["data"]
        return orders_in_document(
            connection_nodes(data.get("orders")) + (data.get("nodes") or []) + [data.get("order")]
        )
    if isinstance(doc.get("orders"), list):
        return orders_in_document(doc["orders"])
    if isinstance(doc.get("order"), dict):
        return orders_in_document(doc["order"])
    if isinstance(doc.get("id"), int) and ("created_at" in doc or "admin_graphql_api_id" in doc):
        return [rest_order_to_graphql(doc)]  # a bare REST order (also the shape of a webhook body)
    return []


def load_orders_dir(path) -> list[dict]:
    """GraphQL Order nodes from every *.json file in `path` (GraphQL nodes, lists of them, or REST orders).

    Several files may hold the same order (the Shopify fixtures all describe #1001): the copy with the latest
    updatedAt wins, as the API would show the latest state. Raises FileNotFoundError/NotADirectoryError for a
    bad path and ValueError naming the file for invalid JSON.
    """
    directory = Path(path)
    if not directory.exists():
        raise FileNotFoundError(f"{directory} does not exist")
    if not directory.is_dir():
        raise NotADirectoryError(f"{directory} is not a directory")
    by_id: dict[str, dict] = {}
    for file in sorted(directory.glob("*.json")):
        try:
            doc = json.loads(file.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError) as exc:
            raise ValueError(f"{file}: not valid JSON ({exc})") from exc
        for order in orders_in_document(doc):
            known = by_id.get(order["id"])
            if known is None or (order.get("updatedAt") or "") >= (known.get("updatedAt") or ""):
                by_id[order["id"]] = order
    return list(by_id.values())


# --- generated sample shop ----------------------------------------------------------------------------------
ORDER_ID_BASE = 5_000_000_000_000
LINE_ID_BASE = 6_000_000_000_000
CUSTOMER_ID_BASE = 7_000_000_000_000
PRODUCT_ID_BASE = 8_000_000_000_000

_FIRST_NAMES = [
    ("Олена", "olena"), ("Іван", "ivan"), ("Андрій", "andrii"), ("Марія", "mariia"), ("Оксана", "oksana"),
    ("Дмитро", "dmytro"), ("Наталія", "nataliia"), ("Сергій", "serhii"), ("Юлія", "yuliia"), ("Тарас", "taras"),
    ("Ірина", "iryna"), ("Богдан", "bohdan"), ("Катерина", "kateryna"), ("Олександр", "oleksandr"),
    ("Анна", "anna"), ("Віктор", "viktor"),
]  # fmt: skip
_LAST_NAMES = [
    ("Шевченко", "shevchenko"), ("Коваленко", "kovalenko"), ("Бондаренко", "bondarenko"), ("Ткаченко", "tkachenko"),
    ("Кравченко", "kravchenko"), ("Олійник", "oliinyk"), ("Мельник", "melnyk"), ("Поліщук", "polishchuk"),
    ("Бойко", "boiko"), ("Савченко", "savchenko"), ("Руденко", "rudenko"), ("Левченко", "levchenko"),
]  # fmt: skip
_CITIES = [
    ("Київ", "Київська область", "01001"), ("Львів", "Львівська область", "79000"),
    ("Одеса", "Одеська область", "65000"), ("Харків", "Харківська область", "61000"),
    ("Дніпро", "Дніпропетровська область", "49000"), ("Вінниця", "Вінницька область", "21000"),
    ("Полтава", "Полтавська область", "36000"), ("Черкаси", "Черкаська область", "18000"),
]  # fmt: skip
_STREETS = ["вул. Хрещатик", "вул. Шевченка", "просп. Перемоги", "вул. Грушевського", "вул. Соборна"]
_OPERATORS = ["50", "63", "66", "67", "68", "73", "93", "95", "96", "97", "98", "99"]
# The same number written the ways customers really type it; the importer has to match them all.
_PHONE_FORMATS = [
    lambda op, n: f"0{op} {n[:3]} {n[3:5]} {n[5:]}",  # 067 123 45 67
    lambda op, n: f"+380{op}{n}",  # +380671234567
    lambda op, n: f"380-{op}-{n[:3]}-{n[3:]}",  # 380-67-123-4567
    lambda op, n: f"0{op}{n}",  # 0671234567
]
# productType -> [(title, price, variants)]: 40 products, the product type doubles as the category.
_CATALOG = {
    "Чохли": [
        ("Чохол силіконовий iPhone 15", 549, ("Чорний", "Синій", "Рожевий")),
        ("Чохол-книжка Samsung Galaxy A54", 459, ("Чорний", "Коричневий")),
        ("Чохол прозорий iPhone 14", 299, ()),
        ("Чохол MagSafe iPhone 15 Pro", 899, ("Чорний", "Бежевий")),
        ("Чохол протиударний Xiaomi Redmi Note 13", 399, ()),
    ],
    "Захисне скло": [
        ("Захисне скло iPhone 15", 399, ()),
        ("Захисне скло Samsung Galaxy S24", 449, ()),
        ("Захисне скло Xiaomi Redmi Note 13", 249, ()),
        ("Гідрогелева плівка універсальна", 199, ("Глянцева", "Матова")),
        ("Захисне скло на камеру iPhone 15 Pro", 299, ()),
    ],
    "Зарядні пристрої": [
        ("Мережевий зарядний пристрій USB-C 20W", 699, ()),
        ("Мережевий зарядний пристрій 65W GaN", 1499, ("Білий", "Чорний")),
        ("Бездротова зарядка MagSafe 15W", 1199, ()),
        ("Автомобільний зарядний пристрій 2xUSB", 399, ()),
        ("Павербанк 20000 mAh", 1299, ("Чорний", "Білий")),
    ],
    "Кабелі": [
        ("Кабель USB-C - Lightning 1 м", 349, ()),
        ("Кабель USB-C - USB-C 2 м", 399, ("Білий", "Чорний")),
        ("Кабель USB-A - micro-USB 1 м", 149, ()),
        ("Кабель магнітний 3-в-1", 299, ()),
        ("Подовжувач USB 3.0 1,5 м", 199, ()),
    ],
    "Навушники": [
        ("Навушники бездротові TWS Pro", 1999, ("Білий", "Чорний")),
        ("Навушники накладні Bluetooth", 1499, ()),
        ("Навушники дротові USB-C", 499, ()),
        ("Амбушури для навушників", 249, ("S", "M", "L")),
        ("Кейс для навушників", 299, ()),
    ],
    "Запчастини": [
        ("Дисплей iPhone 11 (оригінал)", 3899, ()),
        ("Акумулятор iPhone 12", 1299, ()),
        ("Акумулятор Samsung Galaxy A52", 899, ()),
        ("Шлейф зарядки Xiaomi Redmi Note 10", 349, ()),
        ("Задня кришка iPhone 13", 1099, ("Чорна", "Біла", "Синя")),
    ],
    "Послуги": [
        ("Заміна дисплея", 800, ()),
        ("Заміна акумулятора", 500, ()),
        ("Діагностика", 0, ()),
        ("Чистка після потрапляння вологи", 600, ()),
        ("Наклеювання захисного скла", 100, ()),
    ],
    "Аксесуари": [
        ("Тримач для телефону в авто", 449, ()),
        ("Селфі-палиця з тригером", 399, ()),
        ("Кільце-тримач", 99, ("Срібне", "Золоте")),
        ("Стилус універсальний", 249, ()),
        ("Карта пам'яті microSD 128 GB", 599, ()),
    ],
}
# (title, code, carrierIdentifier, price): the names shops really use for the same carriers.
_SHIPPING = [
    ("Нова Пошта", "nova_poshta_warehouse", None, "80.00"),
    ("Nova Poshta", "nova-poshta", "np-carrier", "80.00"),
    ("Укрпошта", "ukrposhta", None, "45.00"),
    ("Meest Express", "meest", "meest-carrier", "70.00"),
    ("Nova Poshta Global", "np-global", "np-global-carrier", "450.00"),
]


_LINE_COUNTS = [1] * 45 + [2] * 25 + [3] * 15 + [4] * 10 + [5] * 5  # lines per order, weighted (choices() is slow)


def _products() -> list[dict]:
    """The shared catalogue: one entry per sellable variant, all variants of a product share its id."""
    sellables = []
    for type_index, (product_type, items) in enumerate(_CATALOG.items()):
        for item_index, (title, price, variants) in enumerate(items):
            number = type_index * 10 + item_index + 1
            product = {
                "id": gid("Product", PRODUCT_ID_BASE + number),
                "legacyResourceId": str(PRODUCT_ID_BASE + number),
                "productType": product_type,
                "description": "",
            }
            for variant_index, variant in enumerate(variants or (None,)):
                sku = f"RO-{number:03d}" + (f"-{variant_index + 1}" if variant else "")
                sellables.append((title, variant, sku, f"{price}.00", product))
    return sellables


def _customer(rng: random.Random, index: int) -> dict:
    first, first_latin = rng.choice(_FIRST_NAMES)
    last, last_latin = rng.choice(_LAST_NAMES)
    contact = rng.random()  # 70% give phone and email, 15% phone only, 15% email only
    return {
        "index": index,
        "first": first,
        "last": last,
        "operator": rng.choice(_OPERATORS),
        "number": f"{rng.randrange(10_000_000):07d}",
        "has_phone": contact < 0.85,
        "email": f"{first_latin}.{last_latin}{index}@example.{rng.choice(('com', 'net', 'org'))}"
        if contact < 0.7 or contact >= 0.85
        else None,
        "account": rng.random() < 0.6,  # has a Shopify customer account; the others check out as guests
        "city": rng.choice(_CITIES),
        "street": f"{rng.choice(_STREETS)}, {rng.randint(1, 120)}",
    }


def _status(rng: random.Random) -> tuple[str, str, bool]:
    """(displayFinancialStatus, displayFulfillmentStatus, cancelled) with the mix a small shop really has."""
    r = rng.random()
    if r < 0.60:
        return ("PAID" if rng.random() < 0.8 else "PENDING"), "UNFULFILLED", False
    if r < 0.75:
        return "PAID", "FULFILLED", False
    if r < 0.85:
        return rng.choice(("VOIDED", "REFUNDED")), "UNFULFILLED", True
    if r < 0.95:
        return "REFUNDED", rng.choice(("FULFILLED", "UNFULFILLED")), False
    return "PAID", "PARTIALLY_FULFILLED", False


def _iso(ts: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(ts))


def sample_orders(
    n: int, *, seed: int = 0, now: datetime | None = None, months: int = 3, currency: str = "UAH", start: int = 0
) -> list[dict]:
    """`n` generated GraphQL Order nodes, created evenly over the last `months` months up to `now` (UTC).

    Deterministic for a given (n, seed, now, start). `start` continues the numbering (ids, names #1001...) so
    orders generated later for a running shop do not collide with the first batch.
    """
    rng = random.Random(seed)
    end = int((now or datetime.now(UTC)).timestamp())
    span = months * 30 * 86400
    sellables = _products()
    # About n/4 customers come back (2-3 orders each, with their phone written differently); the rest buy once.
    repeat = [_customer(rng, 2 * start + i) for i in range(n // 4)]
    slots = [c for c in repeat for _ in range(2 + (rng.random() < 0.2))][:n]
    slots += [None] * (n - len(slots))
    rng.shuffle(slots)
    orders = []
    for i, who in enumerate(slots):
        number = start + i
        c = who or _customer(rng, 2 * start + len(repeat) + i)
        created = end - span + (i + rng.random()) * span / max(n, 1) if span else end
        financial, fulfillment, cancelled = _status(rng)
        updated = min(end, created + (rng.randint(1, 72) * 3600 if (fulfillment != "UNFULFILLED" or cancelled) else 0))
        phone = _PHONE_FORMATS[rng.randrange(4)](c["operator"], c["number"]) if c["has_phone"] else None
        address = {
            "firstName": c["first"],
            "lastName": c["last"],
            "phone": phone,
            "address1": c["street"],
            "address2": None,
            "city": c["city"][0],
            "province": c["city"][1],
            "zip": c["city"][2],
            "country": "Ukraine",
        }
        lines, total = [], 0
        for k, (title, variant, sku, price, product) in enumerate(rng.sample(sellables, rng.choice(_LINE_COUNTS))):
            quantity = 1 if rng.random() < 0.8 else rng.randint(2, 3)
            total += float(price) * quantity
            lines.append(
                {
                    "id": gid("LineItem", LINE_ID_BASE + number * 8 + k),
                    "name": f"{title} - {variant}" if variant else title,
                    "title": title,
                    "variantTitle": variant,
                    "quantity": quantity,
                    "sku": sku,
                    "originalUnitPriceSet": _money(price, currency),
                    "product": product,
                }
            )
        ship_title, code, carrier, ship_price = rng.choice(_SHIPPING)
        if total >= 3000 and ship_title != "Nova Poshta Global":
            ship_price = "0.00"  # free delivery over 3000, as many Ukrainian shops do
        total += float(ship_price)
        fulfillments = []
        if fulfillment in ("FULFILLED", "PARTIALLY_FULFILLED"):
            tracking = []
            if ship_title in ("Нова Пошта", "Nova Poshta") and rng.random() < 0.7:
                waybill = f"20{rng.randrange(10**12):012d}"
                tracking = [
                    {
                        "company": "Nova Poshta",
                        "number": waybill,
                        "url": f"https://novaposhta.ua/tracking/?cargo_number={waybill}",
                    }
                ]
            fulfillments.append({"id": gid("Fulfillment", LINE_ID_BASE + number * 8), "trackingInfo": tracking})
        legacy = ORDER_ID_BASE + number
        orders.append(
            {
                "id": gid("Order", legacy),
                "legacyResourceId": str(legacy),
                "name": f"#{1001 + number}",
                "createdAt": _iso(created),
                "updatedAt": _iso(updated),
                "cancelledAt": _iso(min(end, created + rng.randint(1, 48) * 3600)) if cancelled else None,
                "currencyCode": currency,
                "displayFinancialStatus": financial,
                "displayFulfillmentStatus": fulfillment,
                "email": c["email"],
                "phone": phone,
                "customer": customer_node(
                    gid("Customer", CUSTOMER_ID_BASE + c["index"]),
                    first=c["first"],
                    last=c["last"],
                    email=c["email"],
                    # Shopify stores an account's phone in E.164; the order's own phone is as typed.
                    phone=f"+380{c['operator']}{c['number']}" if c["has_phone"] else None,
                )
                if c["account"]
                else None,
                "shippingAddress": address,
                "billingAddress": address if rng.random() < 0.5 else None,
                "totalPriceSet": _money(f"{total:.2f}", currency),
                "lineItems": _edges(lines),
                "shippingLines": _edges(
                    [
                        {
                            "title": ship_title,
                            "code": code,
                            "carrierIdentifier": carrier,
                            "source": "shopify" if carrier is None else "carrier_service",
                            "originalPriceSet": _money(ship_price, currency),
                        }
                    ]
                ),
                "fulfillments": fulfillments,
            }
        )
    return orders
