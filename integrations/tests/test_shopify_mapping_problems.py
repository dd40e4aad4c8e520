"""A Shopify order the import cannot read is refused with a reason in plain words, which the import log shows to
staff word for word (R40). Pure: the mapping raises MappingError, no database.

Each case is the public example order #1001 (integrations/tests/shopify_mapping_base.py) with a field broken.
"""

import pytest

from fakes.shopify_orders import money
from integrations.platforms.base import MappingError
from integrations.platforms.shopify.mapping import order_from_node
from integrations.tests.shopify_mapping_base import node, shipping_line, with_line, with_shipping

GREEN = "The line 'IPod Nano - 8gb - green' has quantity"
LONG = "1" * 30 + "x" * 30


def refused(payload) -> str:
    with pytest.raises(MappingError) as caught:
        order_from_node(payload)
    return str(caught.value)


@pytest.mark.parametrize("payload", [None, [], "order", 450789469])
def test_R40_a_payload_that_is_no_json_object_is_refused(payload):
    assert refused(payload) == "The order is not a JSON object."


@pytest.mark.parametrize(
    "fields",
    [
        {"legacyResourceId": None, "id": None},
        {"legacyResourceId": "", "id": "gid://shopify/Order/"},
        {"legacyResourceId": None, "id": "gid://shopify/Order/abc"},
        {"legacyResourceId": "  "},
        {"legacyResourceId": "-450789469"},
        {"legacyResourceId": "²"},  # a digit to str.isdigit(), not to Shopify
        {"legacyResourceId": "4507 89469"},
    ],
)
def test_R40_an_order_without_a_usable_id_is_refused(fields):
    assert refused(node(**fields)) == "The order has no id."


@pytest.mark.parametrize(
    "fields",
    [
        {"lineItems": []},
        {"lineItems": "IPod x 3"},
        {"lineItems": {"edges": {"node": {}}}},
        {"lineItems": {"edges": None}},
        {"shippingLines": [{"title": "Free Shipping"}]},
        {"shippingLines": {"edges": "Free Shipping"}},
    ],
)
def test_R40_a_connection_of_an_unexpected_shape_is_refused(fields):
    assert refused(node(**fields)) == "A list in the order has an unexpected shape."


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ({"name": None, "title": None}, "A line item has no product name."),
        ({"name": "", "title": " \x00 "}, "A line item has no product name."),
        ({"quantity": 0}, f"{GREEN} 0.000; it must be between 0 and 1000000."),
        ({"quantity": -1}, f"{GREEN} -1.000; it must be between 0 and 1000000."),
        ({"quantity": "0.0004"}, f"{GREEN} 0.000; it must be between 0 and 1000000."),
        ({"quantity": 1_000_000}, f"{GREEN} 1000000.000; it must be between 0 and 1000000."),
        ({"quantity": "999999.9996"}, f"{GREEN} 1000000.000; it must be between 0 and 1000000."),
        ({"quantity": None}, "The quantity is missing."),
        ({"quantity": True}, "The quantity is missing."),
        ({"quantity": "many"}, "The quantity 'many' is not a number."),
        ({"quantity": LONG}, f"The quantity {LONG[:40]!r} is not a number."),
        ({"quantity": "NaN"}, "The quantity 'NaN' is out of range."),
        ({"quantity": "-Infinity"}, "The quantity '-Infinity' is out of range."),
        ({"quantity": "1e11"}, "The quantity '1e11' is out of range."),
        ({"quantity": "-100000000000"}, "The quantity '-100000000000' is out of range."),
        ({"quantity": "9" * 45}, f"The quantity {'9' * 40!r} is out of range."),
        ({"originalUnitPriceSet": None}, "The price is missing."),
        ({"originalUnitPriceSet": {"shopMoney": None}}, "The price is missing."),
        ({"originalUnitPriceSet": money(None, "USD")}, "The price is missing."),
        ({"originalUnitPriceSet": {"shopMoney": {"amount": False}}}, "The price is missing."),
        ({"originalUnitPriceSet": money("-0.01", "USD")}, "The price -0.01 is negative."),
        ({"originalUnitPriceSet": money("-99999999999.99", "USD")}, "The price -99999999999.99 is negative."),
        ({"originalUnitPriceSet": money("199,00", "USD")}, "The price '199,00' is not a number."),
        ({"originalUnitPriceSet": money("100000000000", "USD")}, "The price '100000000000' is out of range."),
        ({"originalUnitPriceSet": money("-1E+11", "USD")}, "The price '-1E+11' is out of range."),
        ({"originalUnitPriceSet": money("Infinity", "USD")}, "The price 'Infinity' is out of range."),
        ({"originalUnitPriceSet": money("sNaN", "USD")}, "The price 'sNaN' is out of range."),
    ],
)
def test_R17_R40_a_line_that_cannot_be_imported_is_refused_in_plain_words(line, reason):
    assert refused(with_line(**line)) == reason


@pytest.mark.parametrize(
    ("price_set", "reason"),
    [
        (money("-5", "UAH"), "The delivery cost -5 is negative."),
        (money("free", "UAH"), "The delivery cost 'free' is not a number."),
        (money(None, "UAH"), "The delivery cost is missing."),
        (money("1e12", "UAH"), "The delivery cost '1e12' is out of range."),
    ],
)
def test_R12_R40_a_delivery_cost_that_is_no_amount_is_refused(price_set, reason):
    assert refused(with_shipping(shipping_line(originalPriceSet=price_set))) == reason


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"createdAt": None}, "The order's createdAt is missing."),
        ({"createdAt": ""}, "The order's createdAt is missing."),
        ({"createdAt": 1199980800}, "The order's createdAt is missing."),
        ({"createdAt": None, "updatedAt": None}, "The order's createdAt is missing."),
        ({"createdAt": "yesterday"}, "The order's createdAt 'yesterday' is not a date."),
        (
            {"createdAt": "2008-01-10T16:00:00Z" * 3},
            f"The order's createdAt {('2008-01-10T16:00:00Z' * 2)!r} is not a date.",
        ),
        ({"createdAt": "2008-01-10T16:00:00"}, "The order's createdAt has no time zone."),
        ({"createdAt": "2008-01-10"}, "The order's createdAt has no time zone."),
        ({"updatedAt": "soon"}, "The order's updatedAt 'soon' is not a date."),
        (  # no UTC date: refused, not a crash that would stop the page
            {"createdAt": "0001-01-01T00:00:00+02:00"},
            "The order's createdAt '0001-01-01T00:00:00+02:00' is not a date.",
        ),
        ({"updatedAt": ["2008-01-10T16:00:00Z"]}, "The order's updatedAt is missing."),
        ({"updatedAt": "2008-01-11T09:00:00"}, "The order's updatedAt has no time zone."),
        ({"updatedAt": None, "createdAt": "2008-01-10 16:00"}, "The order's createdAt has no time zone."),
    ],
)
def test_R40_R53_an_order_without_a_readable_date_is_refused(fields, reason):
    assert refused(node(**fields)) == reason


@pytest.mark.parametrize(
    ("fields", "detail"),
    [
        ({"customer": ["Bob"]}, "'list' object has no attribute 'get'"),
        ({"shippingAddress": "Chestnut Street 92"}, "'str' object has no attribute 'get'"),
        ({"lineItems": {"edges": ["IPod"]}}, "'str' object has no attribute 'get'"),
        ({"fulfillments": 5}, "'int' object is not iterable"),
        ({"totalPriceSet": {"shopMoney": "598.94"}}, "'str' object has no attribute 'get'"),
        ({"fulfillments": [{"trackingInfo": 3}]}, "'int' object is not iterable"),
    ],
)
def test_R40_an_order_of_an_unexpected_shape_is_refused_naming_the_order(fields, detail):
    assert refused(node(**fields)) == f"Order 450789469 has an unexpected shape: {detail}"


def test_R40_a_line_product_of_an_unexpected_shape_is_refused_naming_the_order():
    reason = refused(with_line(product=["632910392"]))
    assert reason == "Order 450789469 has an unexpected shape: 'list' object has no attribute 'get'"
