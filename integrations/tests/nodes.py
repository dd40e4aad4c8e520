"""Build Shopify GraphQL `Order` nodes for tests, in the shape the Admin API returns them."""

from datetime import UTC, datetime


def money(amount, currency="UAH"):
    return {"shopMoney": {"amount": str(amount), "currencyCode": currency}}


def line(n, *, name="Case", qty=1, price="100.00", sku=None, product_id=None, product_type="Cases", currency="UAH"):
    return {
        "node": {
            "id": f"gid://shopify/LineItem/{n}",
            "name": name,
            "title": name,
            "variantTitle": None,
            "quantity": qty,
            "sku": sku if sku is not None else f"SKU-{name}",
            "originalUnitPriceSet": money(price, currency),
            "product": {
                "id": f"gid://shopify/Product/{product_id or 700 + n}",
                "legacyResourceId": str(product_id or 700 + n),
                "productType": product_type,
                "description": f"{name} description",
            },
        }
    }


def order_node(
    order_id=1001,
    *,
    lines=None,
    created="2026-11-20T10:00:00Z",
    updated=None,
    currency="UAH",
    phone="+380671234567",
    email="olena@example.com",
    first="Olena",
    last="Shevchenko",
    shipping_title="Нова Пошта",
    shipping_price="70.00",
    address1="Khreshchatyk 1",
    fulfillment="UNFULFILLED",
    financial="PAID",
    cancelled=None,
    customer=True,
):
    lines = lines if lines is not None else [line(1, currency=currency)]
    address = {
        "firstName": first,
        "lastName": last,
        "phone": phone,
        "address1": address1,
        "address2": None,
        "city": "Kyiv",
        "province": None,
        "zip": "01001",
        "country": "Ukraine",
    }
    return {
        "__typename": "Order",
        "id": f"gid://shopify/Order/{order_id}",
        "legacyResourceId": str(order_id),
        "name": f"#{order_id}",
        "createdAt": created,
        "updatedAt": updated or created,
        "cancelledAt": cancelled,
        "currencyCode": currency,
        "displayFinancialStatus": financial,
        "displayFulfillmentStatus": fulfillment,
        "email": email,
        "phone": phone,
        "customer": {
            "id": "gid://shopify/Customer/1",
            "firstName": first,
            "lastName": last,
            "defaultEmailAddress": {"emailAddress": email} if email else None,
            "defaultPhoneNumber": {"phoneNumber": phone} if phone else None,
        }
        if customer
        else None,
        "shippingAddress": address,
        "billingAddress": None,
        "totalPriceSet": money("170.00", currency),
        "lineItems": {"pageInfo": {"hasNextPage": False, "endCursor": None}, "edges": lines},
        "shippingLines": {
            "edges": [
                {
                    "node": {
                        "title": shipping_title,
                        "code": shipping_title,
                        "carrierIdentifier": None,
                        "source": "shopify",
                        "originalPriceSet": money(shipping_price, currency),
                    }
                }
            ]
            if shipping_title
            else []
        },
        "fulfillments": [],
    }


def aware(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)
