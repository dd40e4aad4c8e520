"""WooCommerce order payload -> RemoteOrder, pure: the docs' own orders (fixtures/woocommerce, SOURCES.md) and small
variations of them, checked against what the import stores and the exact words an import problem shows (R40)."""

import copy
import json
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from fakes.fixtures import FIXTURES_DIR
from integrations.dto import RemoteClient, RemoteLine, RemoteOrder
from integrations.platforms.base import MappingError
from integrations.platforms.woocommerce.mapping import CATEGORY_KEY, DESCRIPTION_KEY, order_from_payload

FIXTURES = FIXTURES_DIR / "woocommerce"


def fixture(name: str):
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


RETRIEVED = fixture("wc_v3_order_retrieve.json")
LISTED = fixture("wc_v3_orders_list.json")
PRODUCT = fixture("wc_v3_product_retrieve.json")  # what the client adds to a line: categories, description


def order(**changes) -> dict:
    """The docs' "Retrieve an order" example (727), with top-level fields changed."""
    payload = copy.deepcopy(RETRIEVED)
    payload.update(changes)
    return payload


def with_line(**changes) -> dict:
    """Order 727 whose first line item ("Woo Single #1", product 93, 2 x 3) has these fields changed."""
    payload = order()
    payload["line_items"][0].update(changes)
    return payload


def first_line(payload: dict) -> RemoteLine:
    return order_from_payload(payload).lines[0]


def problem(payload) -> str:
    with pytest.raises(MappingError) as caught:
        order_from_payload(payload)
    return str(caught.value)


JOHN = RemoteClient(first_name="John", last_name="Doe", phone="(555) 555-5555", email="john.doe@example.com")


# --- whole orders of the docs -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("payload", "expected", "amounts"),
    [
        (
            RETRIEVED,
            RemoteOrder(
                external_id="727",
                number="727",
                created_at=datetime(2017, 3, 22, 19, 28, 2, tzinfo=UTC),
                updated_at=datetime(2017, 3, 22, 19, 28, 8, tzinfo=UTC),
                currency="USD",
                lines=(
                    RemoteLine("315", "Woo Single #1", Decimal("2.000"), Decimal("3.00"), "", "93"),
                    RemoteLine(
                        "316", "Ship Your Idea – Color: Black, Size: M Test", Decimal("1"), Decimal("12"), "Bar3", "22"
                    ),
                ),
                client=JOHN,
                status="processing",
            ),
            [("2.000", "3.00"), ("1.000", "12.00")],
        ),
        (
            LISTED[1],
            RemoteOrder(
                external_id="723",
                number="723",
                created_at=datetime(2017, 3, 21, 19, 16, tzinfo=UTC),
                updated_at=datetime(2017, 3, 21, 19, 54, 51, tzinfo=UTC),
                currency="USD",
                lines=(
                    RemoteLine("311", "Woo Album #2", Decimal("1"), Decimal("9"), "", "87"),
                    RemoteLine("313", "Woo Ninja", Decimal("1"), Decimal("20"), "", "34"),
                ),
                client=RemoteClient("João", "Silva", "(11) 1111-1111", "joao.silva@example.com"),
                status="completed",
                finished="completed",
            ),
            [("1.000", "9.00"), ("1.000", "20.00")],
        ),
    ],
    ids=["retrieved-727-processing", "listed-723-completed"],
)
def test_R5_R12_R17_R20_R53_a_docs_order_maps_to_number_dates_lines_client_and_status(payload, expected, amounts):
    remote = order_from_payload(copy.deepcopy(payload))
    assert remote == expected
    # Quantities to 3 places and prices to 2, as the order's items store them.
    assert [(str(li.quantity), str(li.price)) for li in remote.lines] == amounts
    assert remote.delivery is None  # WooCommerce delivery is not transferred (R12)


def test_R40_the_payload_is_kept_for_the_import_log_and_a_retry():
    payload = order(status="failed")
    assert order_from_payload(payload).raw is payload


# --- number, currency, status -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("number", "expected"),
    [("727", "727"), ("WC-0727", "WC-0727"), (" 727-B ", "727-B"), ("", "727"), (None, "727"), (" ", "727")],
)
def test_R5_the_order_number_is_woocommerces_number_else_its_id(number, expected):
    assert order_from_payload(order(number=number)).number == expected


@pytest.mark.parametrize(("currency", "expected"), [("USD", "USD"), ("uah", "UAH"), (" eur ", "EUR"), (None, "")])
def test_R2_the_currency_is_compared_in_capitals(currency, expected):
    assert order_from_payload(order(currency=currency)).currency == expected


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("processing", ("processing", "")),
        ("pending", ("pending", "")),
        ("on-hold", ("on-hold", "")),
        ("checkout-draft", ("checkout-draft", "")),
        ("completed", ("completed", "completed")),
        ("cancelled", ("cancelled", "cancelled")),
        ("refunded", ("refunded", "refunded")),
        ("failed", ("failed", "failed")),
        ("trash", ("trash", "trash")),
        (" Completed ", ("completed", "completed")),
        (None, ("", "")),
    ],
)
def test_R3_R9_the_status_and_whether_it_is_finished(status, expected):
    remote = order_from_payload(order(status=status))
    assert (remote.status, remote.finished) == expected


# --- dates (`*_gmt` are UTC without an offset) --------------------------------------------------------------------
@pytest.mark.parametrize(
    ("created", "modified", "expected"),
    [
        ("2017-03-22T19:28:02", "2017-03-22T19:28:08", ("2017-03-22T19:28:02+00:00", "2017-03-22T19:28:08+00:00")),
        ("2017-03-22T19:28:02Z", "2017-03-23T08:00:00Z", ("2017-03-22T19:28:02+00:00", "2017-03-23T08:00:00+00:00")),
        ("2017-03-22T21:28:02+02:00", None, ("2017-03-22T19:28:02+00:00", "2017-03-22T19:28:02+00:00")),
        ("2017-03-22T19:28:02", "", ("2017-03-22T19:28:02+00:00", "2017-03-22T19:28:02+00:00")),
    ],
)
def test_R53_the_order_keeps_its_own_creation_date_in_utc(created, modified, expected):
    remote = order_from_payload(order(date_created_gmt=created, date_modified_gmt=modified))
    assert (remote.created_at.isoformat(), remote.updated_at.isoformat()) == expected
    assert remote.created_at.tzinfo is UTC


# --- lines --------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, ("315", "Woo Single #1", "2.000", "3.00")),
        ({"id": None}, ("Woo Single #1", "Woo Single #1", "2.000", "3.00")),
        ({"id": 0, "name": "  Woo Single #1 "}, ("Woo Single #1", "Woo Single #1", "2.000", "3.00")),
        ({"name": "Tee &amp; Cap &ndash; L"}, ("315", "Tee & Cap – L", "2.000", "3.00")),
        ({"quantity": "1,5", "price": 3.3333333}, ("315", "Woo Single #1", "1.500", "3.33")),
        ({"quantity": 0.001, "price": "0.50"}, ("315", "Woo Single #1", "0.001", "0.50")),
        ({"price": 0}, ("315", "Woo Single #1", "2.000", "0.00")),  # a free gift is still a line
    ],
)
def test_R5_a_line_brings_its_name_quantity_and_unit_price(changes, expected):
    line = first_line(with_line(**changes))
    assert (line.external_id, line.name, str(line.quantity), str(line.price)) == expected


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, ("", "93")),
        ({"sku": " Bar3 ", "product_id": 22}, ("Bar3", "22")),
        ({"sku": None, "product_id": 1}, ("", "1")),
        ({"product_id": 0}, ("", "")),  # the product was deleted from the shop
        ({"product_id": -4}, ("", "")),
        ({"product_id": None}, ("", "")),
    ],
)
def test_R17_sku_becomes_the_sku_and_the_product_id_the_code(changes, expected):
    line = first_line(with_line(**changes))
    assert (line.sku, line.product_id) == expected


SHORT = "Pellentesque habitant morbi tristique senectus et netus et malesuada fames ac turpis egestas."


@pytest.mark.parametrize(
    ("description", "expected"),
    [
        (PRODUCT["short_description"], SHORT),
        ("<p>Soft<br/>cotton,\n\n<b>100%</b></p>", "Soft cotton, 100%"),
        ("Tee &amp; cap &lt;b&gt;", "Tee & cap <b>"),  # escaped text stays text, it is no tag
        ("", ""),
        (None, ""),
        ("<p>" + "a" * 10005 + "</p>", "a" * 10000),
    ],
)
def test_R17_the_product_description_is_kept_as_plain_text(description, expected):
    assert first_line(with_line(**{DESCRIPTION_KEY: description})).description == expected


def test_R17_a_line_without_description_has_none():
    assert first_line(order()).description == ""


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ([c["name"] for c in PRODUCT["categories"]], ("Clothing", "T-shirts")),
        ([" Clothing ", "", None, "T-shirts"], ("Clothing", "T-shirts")),
        (("Music",), ("Music",)),
        ([], ()),
        (None, ()),
        ("T-shirts", ()),  # not a path: never a category per letter
        ({"Clothing": 9}, ()),
    ],
)
def test_R18_the_line_keeps_the_category_path_the_client_chose(path, expected):
    assert first_line(with_line(**{CATEGORY_KEY: path})).category_path == expected


@pytest.mark.parametrize("items", [[], None])
def test_R10_an_order_without_line_items_maps_with_none_and_is_then_refused(items):
    assert order_from_payload(order(line_items=items)).lines == ()


# --- client -------------------------------------------------------------------------------------------------------
ADDRESS = {"first_name": "John", "last_name": "Doe", "address_1": "969 Market", "city": "San Francisco"}


@pytest.mark.parametrize(
    ("billing", "shipping", "expected"),
    [
        (RETRIEVED["billing"], RETRIEVED["shipping"], JOHN),
        (
            RETRIEVED["billing"],
            {**ADDRESS, "phone": "+380671234567"},
            RemoteClient(**{**vars(JOHN), "phone": "+380671234567"}),
        ),
        (RETRIEVED["billing"], {**ADDRESS, "phone": ""}, JOHN),
        (
            {"email": " olha@example.com ", "phone": ""},
            {"first_name": "Olha", "last_name": "Koval"},
            RemoteClient("Olha", "Koval", "", "olha@example.com"),
        ),
        (
            {"first_name": "Ivan", "phone": "067 123 45 67"},
            {"last_name": "Franko"},
            RemoteClient("Ivan", "Franko", "067 123 45 67", ""),
        ),
        ({"first_name": "Ivan"}, None, RemoteClient(first_name="Ivan")),
        # A gift: the buyer (billing) is the client, the recipient's phone is the one to call.
        (
            {"first_name": "Ivan", "last_name": "Franko", "phone": "067 123 45 67"},
            {"first_name": "Olha", "last_name": "Koval", "phone": "+380931112233"},
            RemoteClient("Ivan", "Franko", "+380931112233", ""),
        ),
        ({}, {"email": "ship@example.com"}, None),  # WooCommerce's shipping carries no email
        ({"first_name": " ", "email": ""}, {}, None),
        (None, None, None),
    ],
)
def test_R20_R23_the_client_comes_from_billing_and_shipping_the_phone_from_shipping_first(billing, shipping, expected):
    assert order_from_payload(order(billing=billing, shipping=shipping)).client == expected


# --- import problems in plain words ------------------------------------------------------------------------------
LINE = "Woo Single #1"


@pytest.mark.parametrize(
    ("payload", "words"),
    [
        (with_line(name=None), "A line item has no product name."),
        (with_line(name="  "), "A line item has no product name."),
        (with_line(quantity=None), "The quantity is missing."),
        (with_line(quantity="two"), "The quantity 'two' is not a number."),
        (with_line(quantity=0), f"The line {LINE} has quantity 0.000; it must be greater than zero."),
        (with_line(quantity=-1), f"The line {LINE} has quantity -1.000; it must be greater than zero."),
        (with_line(price=None), "The price is missing."),
        (with_line(price="3 UAH"), "The price '3 UAH' is not a number."),
        (with_line(price=-3), f"The price of {LINE} is negative."),
        (with_line(price=-0.01), f"The price of {LINE} is negative."),
        (order(line_items={"315": RETRIEVED["line_items"][0]}), "The order's line items have an unexpected shape."),
        (order(line_items="Woo Single #1"), "The order's line items have an unexpected shape."),
        (order(billing="John Doe"), "Order 727 has an unexpected shape: 'str' object has no attribute 'get'"),
        (order(line_items=["Woo Single #1"]), "Order 727 has an unexpected shape: 'str' object has no attribute 'get'"),
        (order(date_created_gmt=None), "The order's date_created_gmt is missing."),
        (order(date_created_gmt=1490210882), "The order's date_created_gmt is missing."),
        (order(date_created_gmt="22/03/2017"), "The order's date_created_gmt '22/03/2017' is not a date."),
        (order(date_modified_gmt="soon"), "The order's date_modified_gmt 'soon' is not a date."),
        (  # a moment with no UTC date: refused, not a crash that would stop the page
            order(date_created_gmt="0001-01-01T00:00:00+02:00"),
            "The order's date_created_gmt '0001-01-01T00:00:00+02:00' is not a date.",
        ),
        (
            order(date_modified_gmt="2017-03-22 " + "x" * 40),
            f"The order's date_modified_gmt '2017-03-22 {'x' * 29}' is not a date.",
        ),
        (order(id=None), "The order has no id."),
        ([RETRIEVED], "The order is not a JSON object."),
    ],
)
def test_R40_R10_an_unreadable_order_is_refused_in_the_exact_words_the_import_log_shows(payload, words):
    assert problem(payload) == words
