"""The public example Shopify order as a GraphQL `Order` node, and small variations of it, for the mapping tests.

The base is order #1001 of fixtures/shopify/shopify_app_js_rest_2025-10_order_single.json (the shopify.dev REST
reference example, via shopify-app-js) in the GraphQL shape the fake Shopify serves
(fakes.shopify_orders.rest_order_to_graphql): three iPod lines, Bob Norman in Louisville, free shipping and a USPS
fulfillment. Each variation deep-copies it, so no test sees another's changes.
"""

import copy
import json
from pathlib import Path

from fakes.shopify_orders import rest_order_to_graphql

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures/shopify/shopify_app_js_rest_2025-10_order_single.json"
BASE = rest_order_to_graphql(json.loads(FIXTURE.read_text(encoding="utf-8"))["order"])
ORDER_ID = "450789469"
FIRST_LINE = "IPod Nano - 8gb - green"


def node(**fields) -> dict:
    """The example order with some top-level fields replaced."""
    return copy.deepcopy(BASE) | fields


def line_node(**fields) -> dict:
    """The example order's first line item with some fields replaced."""
    return copy.deepcopy(BASE["lineItems"]["edges"][0]["node"]) | fields


def with_line(**fields) -> dict:
    """The example order with one line: the first, some of its fields replaced."""
    return node(lineItems={"edges": [{"node": line_node(**fields)}]})


def shipping_line(**fields) -> dict:
    return copy.deepcopy(BASE["shippingLines"]["edges"][0]["node"]) | fields


def with_shipping(*lines: dict, **fields) -> dict:
    """The example order with these shipping lines (the example's own, changed by `fields`, when none given)."""
    return node(shippingLines={"edges": [{"node": x} for x in lines or [shipping_line(**fields)]]})


def tracking(company, number) -> dict:
    return {"company": company, "number": number, "url": None}
