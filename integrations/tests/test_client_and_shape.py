"""Clients of orders that carry no contact (R20, R22) and a Cartum order of an unexpected shape (R40)."""

import pytest

from contacts.models import Client
from integrations.fakes.cartum import FakeCartum
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
