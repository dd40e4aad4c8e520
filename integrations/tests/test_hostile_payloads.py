"""Malformed and hostile payloads: each order ends imported or logged with a reason, never a crash,
never a half-written order (R40). Property-based, with hypothesis."""

import copy
import os
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from integrations.models import ImportLog
from integrations.sync import import_payloads
from integrations.tests.nodes import line, order_node
from orders.models import Order

# A mutation run (mutmut sets MUTANT_UNDER_TEST) loads hypothesis's "mutation" profile (roapp/tests/mutation_run.py):
# these tests run for every mutant of the sync engine, with its fewer, fixed examples; elsewhere they try 150 and
# 120 random ones.
MUTATION_RUN = "MUTANT_UNDER_TEST" in os.environ

pytestmark = pytest.mark.django_db

HOSTILE = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=50),
    st.text(min_size=3000, max_size=3000, alphabet="ЙзÆ🙂\u202e\x00<>'\""),
    st.decimals(allow_nan=False, allow_infinity=False, places=9).map(str),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=3),
)

ORDER_FIELDS = [
    "legacyResourceId",
    "id",
    "name",
    "createdAt",
    "updatedAt",
    "currencyCode",
    "email",
    "phone",
    "customer",
    "shippingAddress",
    "lineItems",
    "shippingLines",
    "totalPriceSet",
    "cancelledAt",
]
LINE_FIELDS = ["name", "title", "quantity", "sku", "originalUnitPriceSet", "product", "id"]


@st.composite
def hostile_orders(draw):
    node = order_node(
        draw(st.integers(min_value=1, max_value=2**63 - 1)),
        lines=[line(i, name=f"P{i}", qty=draw(st.integers(1, 5))) for i in range(draw(st.integers(0, 3)))],
        created="2026-11-24T10:00:00Z",
    )
    for field in draw(st.lists(st.sampled_from(ORDER_FIELDS), max_size=3, unique=True)):
        if draw(st.booleans()):
            node.pop(field, None)
        else:
            node[field] = draw(HOSTILE)
    edges = (node.get("lineItems") or {}).get("edges") if isinstance(node.get("lineItems"), dict) else None
    if isinstance(edges, list):
        for edge in edges:
            for field in draw(st.lists(st.sampled_from(LINE_FIELDS), max_size=2, unique=True)):
                edge["node"][field] = draw(HOSTILE)
            if draw(st.booleans()):
                price = draw(st.decimals(min_value=-10, max_value=10**12, places=7, allow_nan=False))
                edge["node"]["originalUnitPriceSet"] = {"shopMoney": {"amount": str(price), "currencyCode": "UAH"}}
    return node


@settings(
    max_examples=settings.default.max_examples if MUTATION_RUN else 150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(node=hostile_orders())
def test_R40_hostile_payloads_are_imported_whole_or_logged_never_half_written(store, node):
    with transaction.atomic():
        result = import_payloads(store=store, payloads=[copy.deepcopy(node)])
        orders = list(Order.objects.filter(store=store))
        logs = list(ImportLog.objects.filter(store=store))
        assert result.created + result.failed + result.skipped + result.finished == 1
        if result.created:
            [order] = orders
            assert not logs
            items = list(order.items.all())
            assert order.total == sum((i.quantity * i.price for i in items), Decimal("0")).quantize(Decimal("0.01"))
            lines = node.get("lineItems") or {}
            assert len(items) == len(lines.get("edges") or [])
        elif result.finished == 0:
            assert not orders
            [log] = logs
            assert log.reason.strip() and log.payload is not None
        transaction.set_rollback(True)


# --- WooCommerce and Cartum: the same property on their real fixtures ------------------------------------
WOO_FIELDS = [
    "id",
    "number",
    "date_created_gmt",
    "date_modified_gmt",
    "currency",
    "status",
    "billing",
    "shipping",
    "line_items",
]
WOO_LINE_FIELDS = ["id", "name", "quantity", "price", "sku", "product_id"]
CARTUM_FIELDS = [
    "order_id",
    "stat_created",
    "stat_status",
    "currency",
    "delivery_name",
    "delivery_phone",
    "delivery_email",
    "delivery_price",
    "delivery_type",
    "products",
]
CARTUM_LINE_FIELDS = ["title", "article", "price", "quantity"]


@st.composite
def hostile_platform_orders(draw, base, fields, lines_key, line_fields):
    order = copy.deepcopy(base)
    for field in draw(st.lists(st.sampled_from(fields), max_size=3, unique=True)):
        if draw(st.booleans()):
            order.pop(field, None)
        else:
            order[field] = draw(HOSTILE)
    lines = order.get(lines_key)
    if isinstance(lines, list):
        for item in lines:
            if isinstance(item, dict):
                for field in draw(st.lists(st.sampled_from(line_fields), max_size=2, unique=True)):
                    item[field] = draw(HOSTILE)
    return order


def _platform_base(platform):
    from integrations.tests.test_cartum import cartum_order
    from integrations.tests.test_woocommerce import wc_order

    return {"woocommerce": wc_order(727), "cartum": cartum_order(115)}[platform]


@pytest.mark.parametrize(
    ("platform", "fields", "lines_key", "line_fields"),
    [
        ("woocommerce", WOO_FIELDS, "line_items", WOO_LINE_FIELDS),
        ("cartum", CARTUM_FIELDS, "products", CARTUM_LINE_FIELDS),
    ],
)
def test_R40_hostile_payloads_on_every_platform_end_imported_or_logged(store, platform, fields, lines_key, line_fields):
    store.platform = platform
    store.save()
    strategy = hostile_platform_orders(_platform_base(platform), fields, lines_key, line_fields)

    @settings(
        max_examples=settings.default.max_examples if MUTATION_RUN else 120,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(payload=strategy)
    def check(payload):
        with transaction.atomic():
            result = import_payloads(store=store, payloads=[copy.deepcopy(payload)])
            orders = list(Order.objects.filter(store=store))
            logs = list(ImportLog.objects.filter(store=store))
            assert result.created + result.failed + result.skipped + result.finished == 1
            if result.created:
                [order] = orders
                items = list(order.items.all())
                assert order.total == sum((i.quantity * i.price for i in items), Decimal("0")).quantize(Decimal("0.01"))
            elif result.finished == 0:
                assert not orders and len(logs) == 1 and logs[0].reason.strip()
            transaction.set_rollback(True)

    check()
