"""Cartum's `orders/get` order -> RemoteOrder, rule by rule, on variations of the docs' `order_created` body.

Pure: the mapping reads a dict and touches no database, so these tests run in milliseconds.
"""

import copy
import json
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from fakes.fixtures import FIXTURES_DIR
from integrations.dto import RemoteClient
from integrations.platforms.base import MappingError
from integrations.platforms.cartum.mapping import order_from_payload

FIXTURE = json.loads((FIXTURES_DIR / "cartum" / "cartum_webhook_order_created_payload.json").read_text("utf-8"))
DROP = object()  # a field the order does not carry at all


def order(**fields) -> dict:
    """The fixture's order with some fields replaced (or dropped, given DROP)."""
    payload = copy.deepcopy(FIXTURE)
    for key, value in fields.items():
        if value is DROP:
            payload.pop(key, None)
        else:
            payload[key] = value
    return payload


def product(**fields) -> dict:
    return {"title": "Case", "article": "C-1", "price": 150, "quantity": 1} | fields


def refusal(payload) -> str:
    with pytest.raises(MappingError) as refused:
        order_from_payload(payload)
    return str(refused.value)


# --- R3: which orders count as finished, and why --------------------------------------------------------------
def known(status_id, title, successful) -> dict:
    """What the client adds from `orders/get_available_statuses` for the order's status."""
    return {"id": status_id, "title": title, "is_successful": successful}


@pytest.mark.parametrize(
    ("status", "annotation", "finished"),
    [
        (3, None, "delivered"),  # no statuses list: the documented default, 3 Delivered
        (1, None, ""),
        (7, known("7", "Received", True), "received"),  # the shop's own successful status, in its own words
        (7, known(7, "Отримано", 1), "отримано"),  # ids compared as text; a Cyrillic title lower-cased too
        (7, known("7", "", True), "delivered"),  # a successful status without a title
        (3, known("3", "Delivered", False), ""),  # the shop no longer counts 3 as successful
        (1, known("3", "Delivered", True), ""),  # an annotation of another status decides nothing
        (3, known("7", "Received", False), "delivered"),  # ... and leaves the default in force
    ],
)
def test_R3_finished_is_the_successful_status_lower_cased_or_delivered_by_default(status, annotation, finished):
    payload = order(stat_status=status, _roapp_status=annotation if annotation else DROP)
    assert order_from_payload(payload).finished == finished


# --- R9: the platform status the mapping reads -------------------------------------------------------------------
@pytest.mark.parametrize(
    ("fields", "status"),
    [
        ({"stat_status": 6, "status": 2}, "6"),  # stat_status is the documented name
        ({"stat_status": DROP, "status": 2}, "2"),
        ({"stat_status": DROP}, ""),  # no status: no status mapping applies, nothing counts as finished
        ({"stat_status": None}, ""),
    ],
)
def test_R9_the_status_is_stat_status_else_status_else_none(fields, status):
    remote = order_from_payload(order(**fields))
    assert (remote.status, remote.finished) == (status, "")


# --- R53: the order's own date ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("stat_created", "moment"),
    [
        ("2016-12-05 15:46:40", datetime(2016, 12, 5, 13, 46, 40, tzinfo=UTC)),  # Kyiv in winter: UTC+2
        ("2026-07-01 12:00:00", datetime(2026, 7, 1, 9, 0, tzinfo=UTC)),  # Kyiv in summer: UTC+3
        (" 2016-12-05 ", datetime(2016, 12, 4, 22, 0, tzinfo=UTC)),  # a date alone is the shop's midnight
        ("05.12.2016 15:46:40", datetime(2016, 12, 5, 13, 46, 40, tzinfo=UTC)),
        ("05.12.2016", datetime(2016, 12, 4, 22, 0, tzinfo=UTC)),
    ],
)
@pytest.mark.parametrize("server_zone", ["Europe/Kyiv", "America/New_York"])
def test_R53_the_creation_date_is_the_shops_kyiv_time_in_any_documented_format(
    settings, server_zone, stat_created, moment
):
    settings.TIME_ZONE = server_zone  # the shop's clock is Kyiv's wherever the back-office runs
    remote = order_from_payload(order(stat_created=stat_created))
    assert (remote.created_at, remote.updated_at) == (moment, moment)  # Cartum sends no modification time
    # Kept in UTC, so a server moved to another zone does not see every order as changed.
    assert remote.as_comparable()["created_at"] == moment.isoformat()


@pytest.mark.parametrize(
    ("stat_created", "shown"),
    [
        (DROP, "''"),
        (None, "''"),
        ("yesterday", "'yesterday'"),
        ("2016-13-05 10:00:00", "'2016-13-05 10:00:00'"),
        ("2016-12-05T15:46:40+02:00 and a very long tail", "'2016-12-05T15:46:40+02:00 and a very lon'"),  # 40 chars
        ("0001-01-01 00:00:00", "'0001-01-01 00:00:00'"),  # before year 1 in UTC: no moment the database holds
    ],
)
def test_R40_R53_an_unreadable_creation_date_is_refused_in_plain_words(stat_created, shown):
    assert refusal(order(stat_created=stat_created)) == (f"The order's creation date {shown} is missing or not a date.")


# --- R5, R40: the order as a whole --------------------------------------------------------------------------------
def test_R5_R40_the_order_keeps_its_number_currency_and_the_payload_itself_for_the_import_log():
    payload = order(order_id="  116 ", currency=" uah ")
    remote = order_from_payload(payload)
    assert (remote.external_id, remote.number, remote.currency) == ("116", "116", "UAH")
    assert remote.raw is payload


class Unreadable:
    """A value of a shape no rule foresaw: even its text cannot be read."""

    def __str__(self):
        raise TypeError("no text for this value")


@pytest.mark.parametrize("field", ["currency", "delivery_city", "delivery_phone"])
def test_R40_an_order_of_an_unforeseen_shape_is_refused_naming_the_order_and_the_error(field):
    assert refusal(order(**{field: Unreadable()})) == "Order 115 has an unexpected shape: no text for this value"


# --- R17, R8: lines ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("products", "ids"),
    [
        ([product()], ["C-1"]),  # the article identifies the line
        ([product(), product(title="Case (gift)", price=0), product()], ["C-1", "C-1#2", "C-1#3"]),
        ([product(), product(article="C-2"), product(price=0)], ["C-1", "C-2", "C-1#2"]),
        ([product(article=""), product(article="", quantity=2)], ["Case", "Case#2"]),  # no article: the title
    ],
)
def test_R8_R17_each_line_is_its_article_and_a_repeated_one_is_numbered(products, ids):
    lines = order_from_payload(order(products=products)).lines
    assert [line.external_id for line in lines] == ids
    assert {(line.sku, line.product_id) for line in lines} == {(p["article"], "") for p in products}


@pytest.mark.parametrize(
    ("title", "name"),
    [
        ("  Case  ", "Case"),
        ({"ru": "Чехол", "ua": "Чохол", "en": "Case"}, "Case"),  # English first
        ({"ru": "Чехол", "ua": "Чохол"}, "Чохол"),  # then Ukrainian, under either code
        ({"ru": "Чехол", "uk": "Чохол"}, "Чохол"),
        ({"pl": "Etui", "ru": "Чехол"}, "Чехол"),  # then Russian
        ({"en": " ", "pl": "", "de": "Hülle"}, "Hülle"),  # then the first language that says anything
        ({"en": "", "ru": None}, "C-1"),  # nothing: the article names the product
        (None, "C-1"),
    ],
)
def test_R17_a_title_in_several_languages_names_the_product_in_english_first(title, name):
    (line,) = order_from_payload(order(products=[product(title=title)])).lines
    assert (line.name, line.sku) == (name, "C-1")


# --- R12: the delivery comment's service, cost and address ---------------------------------------------------------
@pytest.mark.parametrize(
    ("fields", "delivery"),
    [
        ({"delivery_type": "Nova Poshta"}, ("Nova Poshta", Decimal("0.00"), "Kyiv")),  # a plain title
        (
            {"delivery_type": {"id": 2, "title": {"ua": "Нова Пошта", "en": "Nova Poshta"}}},
            ("Nova Poshta", Decimal("0.00"), "Kyiv"),
        ),
        ({"delivery_price": "85,5"}, ("Local pickup", Decimal("85.50"), "Kyiv")),
        ({"delivery_price": 120}, ("Local pickup", Decimal("120.00"), "Kyiv")),
        ({"delivery_price": None}, ("Local pickup", None, "Kyiv")),
        ({"delivery_price": ""}, ("Local pickup", None, "Kyiv")),
        ({"delivery_price": DROP}, ("Local pickup", None, "Kyiv")),
        ({"delivery_price": True}, ("Local pickup", None, "Kyiv")),  # a flag is no amount
        ({"delivery_price": -1}, ("Local pickup", None, "Kyiv")),  # -1: not calculated
        ({"delivery_price": "-20"}, ("Local pickup", None, "Kyiv")),
        ({"delivery_address": " вул. Січова @ 12 @ "}, ("Local pickup", Decimal("0.00"), "Kyiv, вул. Січова, 12")),
        # Only one of the three is enough for a delivery comment.
        ({"delivery_city": "", "delivery_price": -1}, ("Local pickup", None, "")),
        ({"delivery_type": DROP, "delivery_price": -1}, ("", None, "Kyiv")),
        ({"delivery_type": {"id": 3}, "delivery_city": ""}, ("", Decimal("0.00"), "")),
    ],
)
def test_R12_delivery_service_cost_and_address(fields, delivery):
    remote = order_from_payload(order(**fields)).delivery
    assert (remote.service, remote.cost, remote.address) == delivery
    assert (remote.recipient_name, remote.recipient_phone) == ("sdbgdasgdasg", "+38 (012) 421-42-14")


@pytest.mark.parametrize("price", [None, "", -1, True])
def test_R12_no_service_no_address_and_no_cost_is_no_delivery(price):
    payload = order(delivery_type={"id": 0, "title": ""}, delivery_city=" ", delivery_address="@", delivery_price=price)
    assert order_from_payload(payload).delivery is None


def test_R12_a_long_address_is_cut_to_1000_characters():
    remote = order_from_payload(order(delivery_city="", delivery_address="Street " * 200))
    assert remote.delivery.address == ("Street " * 200)[:1000]


@pytest.mark.parametrize(
    ("price", "reason"),
    [
        ("free", "The delivery cost 'free' is not a number."),
        ("1e12", "The delivery cost '1e12' is out of range."),
    ],
)
def test_R40_an_unreadable_delivery_cost_is_refused_in_plain_words(price, reason):
    assert refusal(order(delivery_price=price)) == reason


# --- R20: the client ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("fields", "client"),
    [
        ({"delivery_name": "", "delivery_phone": "", "delivery_email": ""}, None),  # nothing known: no client
        ({"delivery_name": DROP, "delivery_phone": None, "delivery_email": DROP}, None),
        ({"delivery_name": "", "delivery_phone": ""}, RemoteClient(email="dasgdsga@zz.cc")),
        (
            {"delivery_name": " Олена  Шевченко ", "delivery_email": ""},
            RemoteClient(first_name="Олена", last_name="Шевченко", phone="+38 (012) 421-42-14"),
        ),
    ],
)
def test_R20_the_client_is_the_recipient_and_none_when_nothing_is_known(fields, client):
    assert order_from_payload(order(**fields)).client == client
