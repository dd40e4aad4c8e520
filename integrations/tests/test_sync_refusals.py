"""Orders the import refuses before writing anything (R2, R40, R10, R23), in the words the import log shows, and
the edges of each refusal: what is just inside a limit is imported. Any platform's mapped order goes through the
same check (integrations.sync.refusal_reason), so it is proved here on RemoteOrders of every platform's shape."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from integrations.dto import RemoteClient, RemoteLine, RemoteOrder
from integrations.platforms import PLATFORMS
from integrations.sync import import_payloads, refusal_reason
from integrations.tests.nodes import order_node

pytestmark = pytest.mark.django_db

CURRENCY = "The order is in USD but the back-office works in UAH, so it was not imported."
TOO_LARGE = "The order's quantities or amounts are too large to be real, so it was not imported."
NO_LINES = "The order has no products, so it was not imported."
NO_CLIENT = "The order has no client, so it was not imported."
NO_CONTACT = "The client has neither an email nor a phone number, so the order was not imported."
OLENA = RemoteClient(first_name="Olena", phone="+380671234567", email="olena@example.com")
WHEN = datetime(2026, 11, 24, 10, tzinfo=UTC)


def remote(*lines, currency="UAH", client=OLENA) -> RemoteOrder:
    return RemoteOrder(
        external_id="1001",
        number="#1001",
        created_at=WHEN,
        updated_at=WHEN,
        currency=currency,
        lines=lines,
        client=client,
    )


def line(quantity="1", price="100.00", n=1) -> RemoteLine:
    return RemoteLine(external_id=str(n), name="Case", quantity=Decimal(quantity), price=Decimal(price))


@pytest.mark.parametrize(
    ("platform", "order", "reason"),
    [
        ("shopify", remote(line(), currency="USD"), CURRENCY),
        ("shopify", remote(line(), currency=""), ""),  # no currency stated: the store's own
        ("cartum", remote(line(quantity="1000000000")), TOO_LARGE),
        ("cartum", remote(line(quantity="999999999.999", price="0.01")), ""),
        ("cartum", remote(line(price="1000000000000", quantity="0.001")), TOO_LARGE),
        ("cartum", remote(line(price="999999999999.99", quantity="0.001")), ""),
        (
            "shopify",
            remote(line(quantity="100000", price="5000000"), line(quantity="100000", price="5000000", n=2)),
            TOO_LARGE,
        ),
        (
            "shopify",
            remote(line(quantity="100000", price="4999999.99"), line(quantity="100000", price="5000000", n=2)),
            "",
        ),
        ("shopify", remote(), ""),  # Shopify and Cartum orders may come without products or a client
        ("cartum", remote(line(), client=None), ""),
        ("woocommerce", remote(), NO_LINES),
        ("woocommerce", remote(line(), client=None), NO_CLIENT),
        ("woocommerce", remote(line(), client=RemoteClient(first_name="Olena", phone=" ", email=" ")), NO_CONTACT),
        ("woocommerce", remote(line(), client=RemoteClient(phone="+380671234567")), ""),
        ("woocommerce", remote(line(), client=RemoteClient(email="olena@example.com")), ""),
    ],
)
def test_R2_R10_R23_R40_an_order_is_refused_in_plain_words_only_past_each_limit(platform, order, reason):
    assert refusal_reason(platform=PLATFORMS[platform], remote=order) == reason


@pytest.mark.parametrize(
    ("created", "fulfilled", "imported"),
    [
        ("2026-11-23T13:59:59Z", True, False),  # finished before connecting: not imported (R3)
        ("2026-11-23T14:00:00Z", True, True),  # placed the moment the store was connected: new (R4)
        ("2026-11-23T13:59:59Z", False, True),  # still open: imported whenever it was placed
    ],
)
def test_R3_R4_only_orders_finished_before_connecting_are_left_out(store, created, fulfilled, imported):
    node = order_node(1001, created=created) | ({"displayFulfillmentStatus": "FULFILLED"} if fulfilled else {})
    result = import_payloads(store=store, payloads=[node])
    assert (result.created, result.finished) == ((1, 0) if imported else (0, 1))


def test_R3_a_store_never_connected_leaves_out_no_finished_order(store):
    store.connected_at = None
    node = order_node(1001, created="2026-01-01T00:00:00Z") | {"displayFulfillmentStatus": "FULFILLED"}
    assert import_payloads(store=store, payloads=[node]).created == 1
