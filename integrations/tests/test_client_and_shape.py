"""Clients of orders that carry no contact (R20, R22) and Cartum orders and lines of an unexpected shape
(R40, R17)."""

import pytest

from contacts.models import Client
from fakes.cartum import FakeCartum
from integrations.models import ImportLog
from integrations.sync import import_payloads
from integrations.tests.factories import StoreFactory
from integrations.tests.nodes import order_node
from integrations.tests.test_cartum import CARTUM, NOW, cartum_order
from orders.models import Order

pytestmark = pytest.mark.django_db


def test_R20_an_order_with_a_name_but_no_contact_gets_a_client_of_its_own_else_not_specified(store):
    nameless = dict(phone="", email="")
    payloads = [
        order_node(1001, first="Olena", last="Shevchenko", **nameless),
        order_node(1002, first="", last="Koval", **nameless),
        order_node(1003, first="", last="", **nameless),
    ]
    assert import_payloads(store=store, payloads=payloads).created == 3
    clients = {o.external_id: o.client for o in Order.objects.select_related("client")}
    assert (clients["1001"].first_name, clients["1001"].last_name) == ("Olena", "Shevchenko")
    assert clients["1001"].address == "Khreshchatyk 1, Kyiv, 01001, Ukraine"
    assert (clients["1002"].first_name, clients["1002"].last_name) == ("", "Koval")
    assert clients["1003"].is_placeholder and str(clients["1003"]) == "Not specified"
    assert Client.objects.filter(is_placeholder=False).count() == 2


def test_R40_a_cartum_order_whose_products_are_no_list_is_logged_in_plain_words(db):
    store = StoreFactory(platform="cartum", name="Kharkiv Gadgets", connected_at=NOW, poll_cursor=NOW)
    with FakeCartum() as shop:
        store.url, store.credentials = shop.url, shop.credentials
        store.save()
        CARTUM.on_connect(store)
    result = import_payloads(store=store, payloads=[cartum_order(115, products="Case x 2")])
    assert result.failed == 1 and not Order.objects.exists()
    problem = ImportLog.objects.get()
    assert (problem.external_id, problem.reason) == ("115", "The order's products have an unexpected shape.")


def cartum_store():
    store = StoreFactory(platform="cartum", name="Kharkiv Gadgets", connected_at=NOW, poll_cursor=NOW)
    with FakeCartum() as shop:
        store.url, store.credentials = shop.url, shop.credentials
        store.save()
        CARTUM.on_connect(store)
    return store


def cartum_line(**fields) -> dict:
    return {"title": "Case", "article": "C-1", "quantity": 1, "price": "150.00"} | fields


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Case x 1", "A product line has an unexpected shape."),
        (cartum_line(title="", article=""), "A product line has neither a title nor an article."),
        (cartum_line(quantity="lots"), "The quantity 'lots' is not a number."),
        (cartum_line(quantity=0), "The line Case has quantity 0.000; it must be greater than zero."),
        (cartum_line(price="free"), "The price 'free' is not a number."),
        (cartum_line(price="-1"), "The price of Case is negative."),
    ],
)
def test_R40_a_cartum_line_that_cannot_be_imported_is_logged_in_plain_words(db, line, reason):
    store = cartum_store()
    assert import_payloads(store=store, payloads=[cartum_order(115, products=[line])]).failed == 1
    assert ImportLog.objects.get().reason == reason


def test_R17_a_cartum_line_needs_a_title_or_an_article_not_both(db):
    store = cartum_store()
    lines = [cartum_line(title="Glass", article="", price="0.50"), cartum_line(title="", article="C-9", price="0")]
    assert import_payloads(store=store, payloads=[cartum_order(115, products=lines)]).created == 1
    items = Order.objects.get().items.order_by("product__name")
    assert [(i.product.name, i.product.sku, str(i.price)) for i in items] == [
        ("C-9", "C-9", "0.00"),
        ("Glass", "", "0.50"),
    ]


def test_R9_a_cartum_order_with_status_instead_of_stat_status_gets_that_status(db):
    store = cartum_store()
    payload = cartum_order(115)
    payload.pop("stat_status")
    payload["status"] = 6  # the name the mapping reads when stat_status is absent
    import_payloads(store=store, payloads=[payload])
    assert Order.objects.get().status.name == "Shipping"
