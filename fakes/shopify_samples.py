"""A generated sample Shopify shop: Ukrainian customers, a small catalog and orders spread over recent months.

Deterministic for a seed, so a test, the demo and a benchmark see the same shop; returning customers write their
phone differently from one order to the next, as people do. The orders are GraphQL `Order` nodes in the shape of
shopify_orders.
"""

from __future__ import annotations

import random
import time
from datetime import UTC, datetime

from .shopify_orders import customer_node, edges, gid, money

ORDER_ID_BASE = 5_000_000_000_000
LINE_ID_BASE = 6_000_000_000_000
CUSTOMER_ID_BASE = 7_000_000_000_000
PRODUCT_ID_BASE = 8_000_000_000_000

_FIRST_NAMES = [
    ("Олена", "olena"),
    ("Іван", "ivan"),
    ("Андрій", "andrii"),
    ("Марія", "mariia"),
    ("Оксана", "oksana"),
    ("Дмитро", "dmytro"),
    ("Наталія", "nataliia"),
    ("Сергій", "serhii"),
    ("Юлія", "yuliia"),
    ("Тарас", "taras"),
    ("Ірина", "iryna"),
    ("Богдан", "bohdan"),
    ("Катерина", "kateryna"),
    ("Олександр", "oleksandr"),
    ("Анна", "anna"),
    ("Віктор", "viktor"),
]
_LAST_NAMES = [
    ("Шевченко", "shevchenko"),
    ("Коваленко", "kovalenko"),
    ("Бондаренко", "bondarenko"),
    ("Ткаченко", "tkachenko"),
    ("Кравченко", "kravchenko"),
    ("Олійник", "oliinyk"),
    ("Мельник", "melnyk"),
    ("Поліщук", "polishchuk"),
    ("Бойко", "boiko"),
    ("Савченко", "savchenko"),
    ("Руденко", "rudenko"),
    ("Левченко", "levchenko"),
]
_CITIES = [
    ("Київ", "Київська область", "01001"),
    ("Львів", "Львівська область", "79000"),
    ("Одеса", "Одеська область", "65000"),
    ("Харків", "Харківська область", "61000"),
    ("Дніпро", "Дніпропетровська область", "49000"),
    ("Вінниця", "Вінницька область", "21000"),
    ("Полтава", "Полтавська область", "36000"),
    ("Черкаси", "Черкаська область", "18000"),
]
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
                    "originalUnitPriceSet": money(price, currency),
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
                "totalPriceSet": money(f"{total:.2f}", currency),
                "lineItems": edges(lines),
                "shippingLines": edges(
                    [
                        {
                            "title": ship_title,
                            "code": code,
                            "carrierIdentifier": carrier,
                            "source": "shopify" if carrier is None else "carrier_service",
                            "originalPriceSet": money(ship_price, currency),
                        }
                    ]
                ),
                "fulfillments": fulfillments,
            }
        )
    return orders
