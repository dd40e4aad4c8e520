"""The delivery a Shopify order brings: service, cost, address, carrier, tracking and recipient (R12, R13, R14).
These feed the delivery comment (R12) and the Nova Poshta waybill (R13, R14). Pure: no database.

Each case is the public example order #1001 (integrations/tests/shopify_mapping_base.py), shipped free with a USPS
fulfillment, with a few fields changed.
"""

from decimal import Decimal

import pytest

from fakes.shopify_orders import money
from integrations.novaposhta.recognize import Recognition, recognize
from integrations.platforms.shopify.mapping import order_from_node
from integrations.tests.shopify_mapping_base import node, shipping_line, tracking, with_shipping

USPS = tracking("USPS", "1Z1234512345123456")
NP = tracking("Nova Poshta", "20450000000001")


def delivery_of(payload: dict) -> dict:
    delivery = order_from_node(payload).delivery
    return vars(delivery) if delivery else None


@pytest.mark.parametrize(
    "fields",
    [{"shippingLines": None}, {"shippingLines": {}}, {"shippingLines": {"edges": []}}],
)
def test_R12_an_order_without_a_shipping_line_has_no_delivery(fields):
    assert order_from_node(node(**fields)).delivery is None


@pytest.mark.parametrize(
    ("fields", "service", "carrier"),
    [
        ({}, "Free Shipping", "Free Shipping"),
        ({"title": "  Нова Пошта\x00 ", "code": "np"}, "Нова Пошта", "np"),
        ({"title": "", "code": "Nova Poshta"}, "Nova Poshta", "Nova Poshta"),  # the code when the title is empty
        ({"title": None, "code": None}, "", "shopify"),
        ({"carrierIdentifier": "ups-carrier", "code": "UPS Ground"}, "Free Shipping", "ups-carrier"),
        ({"carrierIdentifier": None, "code": None, "source": " nova_poshta "}, "Free Shipping", "nova_poshta"),
        ({"carrierIdentifier": None, "code": None, "source": None}, "Free Shipping", ""),
    ],
)
def test_R12_R13_the_service_from_the_title_else_the_code_and_the_carrier_code(fields, service, carrier):
    delivery = delivery_of(with_shipping(**fields))
    assert (delivery["service"], delivery["carrier_code"]) == (service, carrier)


@pytest.mark.parametrize(
    ("price_set", "cost"),
    [
        (money("0.00", "USD"), Decimal("0.00")),  # free shipping is a cost of 0, not an unknown cost
        (money("70", "UAH"), Decimal("70.00")),
        (money("65.555", "UAH"), Decimal("65.56")),
        (None, None),
        ({"shopMoney": None}, None),
        ({"shopMoney": {}}, None),
    ],
)
def test_R12_the_delivery_cost_from_the_shop_money(price_set, cost):
    delivery = delivery_of(with_shipping(originalPriceSet=price_set))
    assert delivery["cost"] == cost
    assert str(delivery["cost"]) == str(cost)


def test_R12_the_first_shipping_line_is_the_delivery():
    payload = with_shipping(
        shipping_line(title="Нова Пошта", originalPriceSet=money("70.00", "UAH")),
        shipping_line(title="Укрпошта", originalPriceSet=money("40.00", "UAH")),
    )
    delivery = delivery_of(payload)
    assert (delivery["service"], delivery["cost"]) == ("Нова Пошта", Decimal("70.00"))
    assert delivery_of(node(shippingLines={"edges": [{"node": None}]}))["service"] == ""


@pytest.mark.parametrize(
    ("fulfillments", "number", "company"),
    [
        ([{"trackingInfo": [USPS]}], "1Z1234512345123456", "USPS"),
        ([], "", ""),
        (None, "", ""),
        ([{"trackingInfo": None}, {"trackingInfo": []}], "", ""),
        # A Nova Poshta shipment's number is the waybill (TTN), wherever it is in the list.
        ([{"trackingInfo": [USPS]}, {"trackingInfo": [NP]}], "20450000000001", "Nova Poshta"),
        ([{"trackingInfo": [USPS, tracking(" NOVA POSHTA ", "20450000000002")]}], "20450000000002", "NOVA POSHTA"),
        ([{"trackingInfo": [tracking(None, "EE1"), tracking("Ukrposhta", "RR2")]}], "EE1", ""),
        (
            [
                {"trackingInfo": [tracking("Укрпошта", "RR1")]},
                {"trackingInfo": [tracking("Нова Пошта", "20450000000001")]},
            ],
            "20450000000001",
            "Нова Пошта",
        ),
        # Entries of an unexpected shape are skipped, not fatal.
        (
            [None, "x", {"trackingInfo": [None, 7, tracking("Nova Poshta", " 2045 0000 0000 03 ")]}],
            "2045 0000 0000 03",
            "Nova Poshta",
        ),
        ([{"trackingInfo": [tracking("Meest", None)]}], "", "Meest"),
    ],
)
def test_R13_R14_the_tracking_number_prefers_a_nova_poshta_shipment(fulfillments, number, company):
    delivery = delivery_of(node(fulfillments=fulfillments))
    assert (delivery["tracking_number"], delivery["tracking_company"]) == (number, company)


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        (None, ("", "", "")),
        (
            {"firstName": " Олена ", "lastName": "Шевченко", "phone": "067 123 45 67", "city": "Київ"},
            ("Олена Шевченко", "067 123 45 67", "Київ"),
        ),
        (
            {"firstName": None, "lastName": "Шевченко", "phone": None, "address1": "Відділення №5"},
            ("Шевченко", "", "Відділення №5"),
        ),
        ({"firstName": "Олена", "lastName": "", "zip": "01001"}, ("Олена", "", "01001")),
    ],
)
def test_R12_R13_the_recipient_and_address_come_from_the_shipping_address(address, expected):
    # The billing address never stands in for where the parcel goes.
    delivery = delivery_of(node(shippingAddress=address))
    assert (delivery["recipient_name"], delivery["recipient_phone"], delivery["address"]) == expected


def test_R13_a_nova_poshta_waybill_gets_the_ttn_of_its_cyrillic_named_shipment_beside_another_carrier():
    # Part of the order went by Ukrposhta first; the Nova Poshta shipment's number is the waybill's.
    fulfillments = [
        {"trackingInfo": [tracking("Укрпошта", "0500112233445")]},
        {"trackingInfo": [tracking("Нова Пошта", "20450000000001")]},
    ]
    payload = with_shipping(title="Нова Пошта", code="np") | {"fulfillments": fulfillments}
    assert recognize(order_from_node(payload).delivery) == Recognition(True, "20450000000001")
