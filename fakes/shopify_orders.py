"""The fake Shopify's orders: their shape, REST <-> GraphQL conversion and loading a directory of saved answers.

Orders are kept as GraphQL `Order` node dicts in the shape the Admin API answers them (connections as
`{"edges": [{"node": ...}]}`), so a file saved from a real API answer, a converted REST fixture and a generated
order all look alike. Money is a Decimal string ("199.00"), ids are GIDs, datetimes are ISO 8601 UTC with Z.
"""

from __future__ import annotations

import json
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


def edges(nodes: list) -> dict:
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


def money(amount, currency: str) -> dict:
    return {"shopMoney": {"amount": None if amount is None else str(amount), "currencyCode": currency}}


def _rest_money(rest: dict, key: str, currency: str) -> dict:
    """REST keeps `<key>_set.shop_money` next to a plain `<key>` string; prefer the set (it names the currency)."""
    shop_money = (rest.get(f"{key}_set") or {}).get("shop_money")
    if shop_money:
        return money(shop_money["amount"], shop_money.get("currency_code") or currency)
    return money(rest.get(key) or "0.00", currency)


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
        "lineItems": edges(lines),
        "shippingLines": edges(shipping),
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
