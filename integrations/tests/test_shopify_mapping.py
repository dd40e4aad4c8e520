"""What the import stores from a Shopify GraphQL `Order` node: number, dates, currency, lines, client and finished
state (R2, R3, R5, R17, R20, R22, R53). Pure: the mapping reads a dict, so no database.

Each case is the public example order #1001 (integrations/tests/shopify_mapping_base.py) with a few fields changed.
"""

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from fakes.shopify_orders import money
from integrations.dto import RemoteClient, RemoteDelivery, RemoteLine
from integrations.platforms.shopify.mapping import order_from_node
from integrations.tests.shopify_mapping_base import BASE, FIRST_LINE, ORDER_ID, node, with_line

ADDRESS = "Chestnut Street 92, Louisville, Kentucky, 40202, United States"
BOB = RemoteClient("Bob", "Norman", "+16136120707", "bob.norman@mail.example.com", ADDRESS)


def ipod(line_id: str, colour: str) -> RemoteLine:
    return RemoteLine(
        external_id=line_id,
        name=f"IPod Nano - 8gb - {colour}",
        quantity=Decimal("1"),
        price=Decimal("199.00"),
        sku=f"IPOD2008{colour.upper()}",
        product_id="632910392",
    )


def test_R2_R5_R12_R17_R20_R53_the_public_example_order_maps_to_what_the_import_stores():
    payload = node()
    order = order_from_node(payload)
    assert (order.external_id, order.number, order.currency) == (ORDER_ID, "#1001", "USD")
    assert order.created_at == order.updated_at == datetime(2008, 1, 10, 16, 0, tzinfo=UTC)
    assert order.lines == (ipod("466157049", "green"), ipod("518995019", "red"), ipod("703073504", "black"))
    assert [str(x.quantity) for x in order.lines] == ["1.000"] * 3
    # R5: the total is the goods, 3 x 199.00; the example's 598.94 adds tax, and delivery is no part of it.
    assert sum(x.quantity * x.price for x in order.lines) == Decimal("597.00")
    assert order.client == BOB
    assert order.delivery == RemoteDelivery(
        service="Free Shipping",
        cost=Decimal("0.00"),
        address=ADDRESS,
        carrier_code="Free Shipping",
        tracking_number="1Z1234512345123456",
        tracking_company="USPS",
        recipient_name="Bob Norman",
        recipient_phone="+1(502)-459-2181",
    )
    # PARTIALLY_REFUNDED and UNFULFILLED: still open, so the backfill imports it (R3).
    assert (order.status, order.finished) == ("UNFULFILLED", "")
    assert order.raw is payload  # kept whole for the import log and a retry (R40)


@pytest.mark.parametrize(
    ("fields", "external_id", "number"),
    [
        ({}, ORDER_ID, "#1001"),
        ({"legacyResourceId": None}, ORDER_ID, "#1001"),  # the GID's tail
        ({"legacyResourceId": None, "id": "gid://shopify/Order/77"}, "77", "#1001"),
        ({"legacyResourceId": 450789469}, ORDER_ID, "#1001"),
        ({"legacyResourceId": " 450789469 "}, ORDER_ID, "#1001"),
        ({"name": None}, ORDER_ID, ORDER_ID),  # no display name: the number is the id
        ({"name": "  #1001\x00 "}, ORDER_ID, "#1001"),
    ],
)
def test_R5_R6_the_order_number_and_external_id(fields, external_id, number):
    order = order_from_node(node(**fields))
    assert (order.external_id, order.number) == (external_id, number)


@pytest.mark.parametrize(
    ("fields", "currency"),
    [
        ({"totalPriceSet": money("10.00", "uah")}, "UAH"),
        ({"totalPriceSet": money("10.00", "UAH"), "currencyCode": "USD"}, "UAH"),  # shopMoney's code wins
        ({"totalPriceSet": money("10.00", None), "currencyCode": "eur"}, "EUR"),
        ({"totalPriceSet": {"shopMoney": None}, "currencyCode": "pln"}, "PLN"),
        ({"totalPriceSet": None, "currencyCode": "uah"}, "UAH"),
        ({"totalPriceSet": None, "currencyCode": None}, ""),  # R2 then refuses it as another currency
    ],
)
def test_R2_the_currency_is_the_shop_money_code_upper_cased(fields, currency):
    assert order_from_node(node(**fields)).currency == currency


@pytest.mark.parametrize(
    ("fields", "created", "updated"),
    [
        ({}, datetime(2008, 1, 10, 16, tzinfo=UTC), datetime(2008, 1, 10, 16, tzinfo=UTC)),
        (
            {"createdAt": "2026-03-01T12:00:00+02:00", "updatedAt": "2026-03-02T09:30:00Z"},
            datetime(2026, 3, 1, 10, tzinfo=UTC),
            datetime(2026, 3, 2, 9, 30, tzinfo=UTC),
        ),
        ({"updatedAt": None}, datetime(2008, 1, 10, 16, tzinfo=UTC), datetime(2008, 1, 10, 16, tzinfo=UTC)),
        ({"createdAt": "2026-11-20T10:00:00Z", "updatedAt": ""}, *[datetime(2026, 11, 20, 10, tzinfo=UTC)] * 2),
    ],
)
def test_R53_the_order_keeps_its_own_creation_date_and_last_change(fields, created, updated):
    order = order_from_node(node(**fields))
    assert (order.created_at, order.updated_at) == (created, updated)
    assert order.created_at.utcoffset() is not None


def test_R53_a_date_keeps_the_offset_shopify_gave():
    created = order_from_node(node(createdAt="2026-03-01T12:00:00+02:00")).created_at
    assert created.utcoffset() == timedelta(hours=2)
    assert created == datetime(2026, 3, 1, 12, tzinfo=timezone(timedelta(hours=2)))


@pytest.mark.parametrize(
    ("fields", "status", "finished"),
    [
        ({"cancelledAt": "2008-01-11T10:00:00Z", "displayFulfillmentStatus": "FULFILLED"}, "FULFILLED", "cancelled"),
        ({"displayFulfillmentStatus": "FULFILLED", "displayFinancialStatus": "PAID"}, "FULFILLED", "fulfilled"),
        ({"displayFulfillmentStatus": "FULFILLED", "displayFinancialStatus": "REFUNDED"}, "FULFILLED", "fulfilled"),
        ({"displayFulfillmentStatus": "UNFULFILLED", "displayFinancialStatus": "REFUNDED"}, "UNFULFILLED", "refunded"),
        ({"displayFulfillmentStatus": None, "displayFinancialStatus": "REFUNDED"}, "", "refunded"),
        ({"displayFulfillmentStatus": "PARTIALLY_FULFILLED"}, "PARTIALLY_FULFILLED", ""),
        ({"displayFulfillmentStatus": "RESTOCKED", "displayFinancialStatus": "VOIDED"}, "RESTOCKED", ""),
        ({"displayFulfillmentStatus": None, "displayFinancialStatus": None}, "", ""),
        ({"cancelledAt": ""}, "UNFULFILLED", ""),
    ],
)
def test_R3_an_order_is_finished_when_cancelled_fulfilled_or_refunded(fields, status, finished):
    order = order_from_node(node(**fields))
    assert (order.status, order.finished) == (status, finished)


PRODUCT = {"id": "gid://shopify/Product/8001", "legacyResourceId": "8001", "productType": "Cases", "description": "x"}


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({}, {"external_id": "466157049", "name": FIRST_LINE, "sku": "IPOD2008GREEN", "product_id": "632910392"}),
        ({"name": None}, {"name": "IPod Nano - 8gb"}),  # the title when there is no full name
        ({"name": "", "title": " Case\x00 "}, {"name": "Case"}),
        ({"name": "  " + "Ж" * 300}, {"name": "Ж" * 255}),
        ({"id": None}, {"external_id": FIRST_LINE}),
        ({"id": "gid://shopify/LineItem/99"}, {"external_id": "99"}),
        ({"sku": None}, {"sku": ""}),
        ({"sku": " CASE-1\x00 "}, {"sku": "CASE-1"}),
        ({"product": PRODUCT}, {"product_id": "8001", "description": "x", "category_path": ("Cases",)}),
        ({"product": PRODUCT | {"legacyResourceId": None}}, {"product_id": "8001"}),  # the GID's tail
        ({"product": PRODUCT | {"id": None}}, {"product_id": "8001"}),
        ({"product": PRODUCT | {"legacyResourceId": "", "id": None}}, {"product_id": ""}),
        ({"product": None}, {"product_id": "", "description": "", "category_path": ()}),
        ({"product": PRODUCT | {"productType": " Чохли "}}, {"category_path": ("Чохли",)}),
        ({"product": PRODUCT | {"productType": None}}, {"category_path": ()}),
        ({"product": PRODUCT | {"productType": "  "}}, {"category_path": ()}),
        ({"product": PRODUCT | {"description": None}}, {"description": ""}),
        ({"product": PRODUCT | {"description": " <p>A\x00B</p> "}}, {"description": " <p>AB</p> "}),
        # NULs go first, then the text is cut at 10000 characters.
        ({"product": PRODUCT | {"description": "\x00\x00" + "d" * 9999 + "ef"}}, {"description": "d" * 9999 + "e"}),
    ],
)
def test_R17_line_fields_name_sku_code_description_and_category(fields, expected):
    (line,) = order_from_node(with_line(**fields)).lines
    assert {key: getattr(line, key) for key in expected} == expected


@pytest.mark.parametrize(
    ("quantity", "amount", "stored"),
    [
        (2, "199.00", ("2.000", "199.00")),
        ("1.2346", "19.999", ("1.235", "20.00")),
        (0.001, "0", ("0.001", "0.00")),  # a free gift line
        ("999999.999", "99999999999.99", ("999999.999", "99999999999.99")),
        ("0.0006", "0.5", ("0.001", "0.50")),
    ],
)
def test_R5_R19_quantity_and_price_are_stored_to_their_decimals(quantity, amount, stored):
    fields = {"quantity": quantity, "originalUnitPriceSet": money(amount, "USD")}
    (line,) = order_from_node(with_line(**fields)).lines
    assert (str(line.quantity), str(line.price)) == stored


def test_R5_no_line_items_is_an_order_with_no_lines():
    assert order_from_node(node(lineItems=None)).lines == ()
    assert order_from_node(node(lineItems={})).lines == ()
    assert order_from_node(node(lineItems={"edges": []})).lines == ()


CUSTOMER = BASE["customer"]
BILLING = {"firstName": "Alice", "lastName": "Smith", "phone": "+380671112233", "address1": "Main 1", "city": "Kyiv"}
ALICE = RemoteClient("Alice", "Smith", "+380671112233", "", "Main 1, Kyiv")


@pytest.mark.parametrize(
    ("fields", "client"),
    [
        ({}, BOB),
        # A gift: the customer is the client; the parcel goes elsewhere, and the client keeps that address.
        ({"shippingAddress": BILLING}, RemoteClient("Bob", "Norman", "+16136120707", BOB.email, "Main 1, Kyiv")),
        (
            {"customer": None, "billingAddress": BILLING},
            RemoteClient("Bob", "Norman", "+557734881234", BOB.email, ADDRESS),
        ),
        (
            {"customer": None, "phone": None, "billingAddress": BILLING},
            RemoteClient("Bob", "Norman", "+1(502)-459-2181", BOB.email, ADDRESS),
        ),
        # Basic plan: no customer; the names come from the address, the contact from the order itself.
        ({"customer": None}, RemoteClient("Bob", "Norman", "+557734881234", "bob.norman@mail.example.com", ADDRESS)),
        ({"customer": None, "phone": None}, RemoteClient("Bob", "Norman", "+1(502)-459-2181", BOB.email, ADDRESS)),
        ({"customer": None, "phone": None, "email": None, "shippingAddress": None, "billingAddress": BILLING}, ALICE),
        (
            {"customer": {"firstName": "", "lastName": None}, "shippingAddress": None, "billingAddress": BILLING},
            RemoteClient("Alice", "Smith", "+557734881234", BOB.email, "Main 1, Kyiv"),
        ),
        # The deprecated Customer.email and .phone are not read; the order's own contact is.
        (
            {"customer": CUSTOMER | {"defaultEmailAddress": None, "defaultPhoneNumber": None}},
            RemoteClient("Bob", "Norman", "+557734881234", "bob.norman@mail.example.com", ADDRESS),
        ),
        (
            {"customer": CUSTOMER | {"defaultEmailAddress": {"emailAddress": "b@example.com"}}, "email": None},
            RemoteClient("Bob", "Norman", "+16136120707", "b@example.com", ADDRESS),
        ),
        (
            {
                "customer": {"firstName": " Bob\x00 "},
                "shippingAddress": {"lastName": "Norman"},
                "billingAddress": BILLING,
            },
            RemoteClient("Bob", "Norman", "+557734881234", BOB.email, "Main 1, Kyiv"),
        ),
        (
            {"customer": None, "phone": None, "shippingAddress": None, "billingAddress": None},
            RemoteClient(email="bob.norman@mail.example.com"),
        ),
        # Nothing to tell who ordered: no client, the order shows "Not specified" (R22).
        ({"customer": None, "phone": None, "email": None, "shippingAddress": None, "billingAddress": None}, None),
        ({"customer": {}, "phone": "", "email": "", "shippingAddress": {}, "billingAddress": {"country": " "}}, None),
    ],
)
def test_R20_R22_the_client_from_the_customer_then_the_shipping_then_the_billing_address(fields, client):
    assert order_from_node(node(**fields)).client == client


@pytest.mark.parametrize(
    ("address", "text"),
    [
        (
            {
                "address1": "вул. Хрещатик 1",
                "address2": "кв. 5",
                "city": "Київ",
                "province": "Київська область",
                "zip": "01001",
                "country": "Ukraine",
            },
            "вул. Хрещатик 1, кв. 5, Київ, Київська область, 01001, Ukraine",
        ),
        (
            {"address1": " Main 1 ", "address2": "  ", "city": None, "zip": 1001, "country": "Ukraine"},
            "Main 1, 1001, Ukraine",
        ),
        ({"firstName": "Bob", "phone": "+1"}, ""),
    ],
)
def test_R20_the_client_address_joins_the_filled_parts(address, text):
    client = order_from_node(node(shippingAddress=address, billingAddress=None)).client
    assert client.address == text
