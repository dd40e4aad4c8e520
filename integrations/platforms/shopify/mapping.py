"""Shopify GraphQL `Order` node -> RemoteOrder. Pure: no I/O, no Django models.

Field meanings: https://shopify.dev/docs/api/admin-graphql/latest/objects/Order. Money is read from
`shopMoney` (the shop's currency, which R2 compares), never from the buyer's presentment currency.
"""

from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation

from integrations.dto import RemoteClient, RemoteDelivery, RemoteLine, RemoteOrder
from integrations.novaposhta.recognize import names_nova_poshta
from integrations.platforms.base import MappingError, plain_number

# Orders in these states are finished and skipped by the backfill (R3).
FINISHED_FULFILLMENT = {"FULFILLED": "fulfilled"}
FINISHED_FINANCIAL = {"REFUNDED": "refunded"}

MAX_TEXT = 255
MAX_QUANTITY = 1_000_000  # pieces on one line; anything above is a broken payload, not an order


def order_from_node(node: dict) -> RemoteOrder:
    if not isinstance(node, dict):
        raise MappingError("The order is not a JSON object.")
    external_id = _legacy_id(node)
    try:
        lines = tuple(_line(edge.get("node") or {}) for edge in _edges(node.get("lineItems")))
        total_money = (node.get("totalPriceSet") or {}).get("shopMoney") or {}
        currency = (total_money.get("currencyCode") or node.get("currencyCode") or "").upper()
        return RemoteOrder(
            external_id=external_id,
            number=_text(node.get("name")) or external_id,
            created_at=_datetime(node.get("createdAt"), "createdAt"),
            updated_at=_datetime(node.get("updatedAt") or node.get("createdAt"), "updatedAt"),
            currency=currency,
            lines=lines,
            client=_client(node),
            delivery=_delivery(node),
            status=_text(node.get("displayFulfillmentStatus")),
            finished=_finished(node),
            raw=node,
        )
    except (AttributeError, TypeError) as exc:
        raise MappingError(f"Order {external_id} has an unexpected shape: {exc}") from exc


def _legacy_id(node: dict) -> str:
    value = node.get("legacyResourceId") or _gid_number(node.get("id"))
    value = str(value).strip()
    if not plain_number(value):
        raise MappingError("The order has no id.")
    return value


def _gid_number(gid) -> str:
    """The number at the end of a global id ("gid://shopify/LineItem/466157049" -> "466157049"), or ""."""
    return str(gid or "").rpartition("/")[2]


def _edges(connection) -> list:
    if connection is None:
        return []
    if not isinstance(connection, dict) or not isinstance(connection.get("edges", []), list):
        raise MappingError("A list in the order has an unexpected shape.")
    return connection.get("edges") or []


def _line(node: dict) -> RemoteLine:
    product = node.get("product") or {}
    name = _text(node.get("name") or node.get("title"))
    if not name:
        raise MappingError("A line item has no product name.")
    quantity = _decimal(node.get("quantity"), "quantity").quantize(Decimal("0.001"))
    if quantity <= 0 or quantity >= MAX_QUANTITY:
        raise MappingError(f"The line {name!r} has quantity {quantity}; it must be between 0 and {MAX_QUANTITY}.")
    price = _money(node.get("originalUnitPriceSet"), "price")
    product_type = _text(product.get("productType"))
    return RemoteLine(
        external_id=_gid_number(node.get("id")) or name,
        name=name,
        quantity=quantity,
        price=price,
        sku=_text(node.get("sku")),
        product_id=str(product.get("legacyResourceId") or _gid_number(product.get("id"))),
        description=str(product.get("description") or "").replace("\x00", "")[:10000],
        category_path=(product_type,) if product_type else (),
    )


def _client(node: dict) -> RemoteClient | None:
    customer = node.get("customer") or {}
    shipping = node.get("shippingAddress") or {}
    billing = node.get("billingAddress") or {}
    client = RemoteClient(
        first_name=_text(customer.get("firstName") or shipping.get("firstName") or billing.get("firstName")),
        last_name=_text(customer.get("lastName") or shipping.get("lastName") or billing.get("lastName")),
        phone=_text(_customer_phone(customer) or node.get("phone") or shipping.get("phone") or billing.get("phone")),
        email=_text(_customer_email(customer) or node.get("email")),
        address=_address(shipping) or _address(billing),
    )
    return client if any(vars(client).values()) else None


def _customer_email(customer: dict):
    # Customer.email is deprecated since 2025-04: defaultEmailAddress { emailAddress } replaces it (R47).
    return (customer.get("defaultEmailAddress") or {}).get("emailAddress")


def _customer_phone(customer: dict):
    # Customer.phone is deprecated likewise: defaultPhoneNumber { phoneNumber }.
    return (customer.get("defaultPhoneNumber") or {}).get("phoneNumber")


def _delivery(node: dict) -> RemoteDelivery | None:
    edges = _edges(node.get("shippingLines"))
    if not edges:
        return None
    line = edges[0].get("node") or {}
    shipping = node.get("shippingAddress") or {}
    infos = [t for f in node.get("fulfillments") or [] if isinstance(f, dict) for t in f.get("trackingInfo") or []]
    infos = [t for t in infos if isinstance(t, dict)]
    # Prefer the tracking info of a Nova Poshta shipment, in any spelling R13 recognizes ("Нова Пошта" too): that
    # number is the waybill (TTN).
    tracking = next((t for t in infos if names_nova_poshta(str(t.get("company")))), infos[0] if infos else {})
    cost = (line.get("originalPriceSet") or {}).get("shopMoney")
    return RemoteDelivery(
        service=_text(line.get("title")) or _text(line.get("code")),
        cost=_money(line.get("originalPriceSet"), "delivery cost") if cost else None,
        address=_address(shipping),
        carrier_code=_text(line.get("carrierIdentifier") or line.get("code") or line.get("source")),
        tracking_number=_text(tracking.get("number")),
        tracking_company=_text(tracking.get("company")),
        recipient_name=" ".join(p for p in (_text(shipping.get("firstName")), _text(shipping.get("lastName"))) if p),
        recipient_phone=_text(shipping.get("phone")),
    )


def _finished(node: dict) -> str:
    if node.get("cancelledAt"):
        return "cancelled"
    fulfillment, financial = node.get("displayFulfillmentStatus"), node.get("displayFinancialStatus")
    return FINISHED_FULFILLMENT.get(fulfillment) or FINISHED_FINANCIAL.get(financial) or ""


def _address(address: dict) -> str:
    parts = [address.get(k) for k in ("address1", "address2", "city", "province", "zip", "country")]
    return ", ".join(str(p).strip() for p in parts if p and str(p).strip())


def _text(value) -> str:
    # NUL characters are refused by PostgreSQL text columns; they carry no meaning in a name anyway.
    return str(value).replace("\x00", "").strip()[:MAX_TEXT] if value is not None else ""


def _money(money_bag, what: str) -> Decimal:
    amount = ((money_bag or {}).get("shopMoney") or {}).get("amount")
    value = _decimal(amount, what)
    if value < 0:
        raise MappingError(f"The {what} {value} is negative.")
    return value.quantize(Decimal("0.01"))


def _decimal(value, what: str) -> Decimal:
    if isinstance(value, bool) or value is None:
        raise MappingError(f"The {what} is missing.")
    try:
        number = Decimal(str(value))
    except InvalidOperation as exc:
        raise MappingError(f"The {what} {str(value)[:40]!r} is not a number.") from exc
    if not number.is_finite() or abs(number) >= 10**11:
        raise MappingError(f"The {what} {str(value)[:40]!r} is out of range.")
    return number


def _datetime(value, what: str) -> datetime:
    if not value or not isinstance(value, str):
        raise MappingError(f"The order's {what} is missing.")
    try:
        parsed = datetime.fromisoformat(value)  # a trailing "Z" too (Python 3.11)
        if parsed.tzinfo is not None:
            parsed.astimezone(UTC)  # stored in UTC: year 1 east of UTC has no UTC date (OverflowError)
    except (ValueError, OverflowError) as exc:
        raise MappingError(f"The order's {what} {value[:40]!r} is not a date.") from exc
    if parsed.tzinfo is None:
        raise MappingError(f"The order's {what} has no time zone.")
    return parsed
