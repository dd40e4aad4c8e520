"""Shopify's declarations: how the platform contract runs it, and the credentials its connect form asks for. Its
behaviour has its own modules: test_shopify_e2e.py, test_shopify_dev_apps.py (apps), test_shopify_versions.py."""

import json
import re

import pytest

from fakes import shopify_orders, shopify_samples
from fakes.fixtures import FIXTURES_DIR
from integrations.platforms.shopify import queries as shopify_queries
from integrations.platforms.signatures import hmac_sha256_base64
from integrations.tests.contract import Harness

FIXTURES = FIXTURES_DIR / "shopify"


def fixture(name: str):
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


# What the platform contract (test_platform_contract.py) runs Shopify with.
CONTRACT = Harness(
    key="shopify",
    sample=shopify_samples.sample_orders,
    credentials=lambda fake: {"token": fake.token},
    page_size=(shopify_queries, "ORDERS_PER_PAGE"),
    fixture=lambda: shopify_orders.rest_order_to_graphql(fixture("shopify_python_api_order.json")["order"]),
    fixture_expect=("450789469", "#1001", 3, "USD"),
    # Shopify posts the REST order itself, without the {"order": ...} wrapper of the API answer.
    webhook_body=lambda: json.dumps(fixture("shopify_python_api_order.json")["order"]).encode(),
    webhook_order="450789469",
    sign=lambda body, secret: {"X-Shopify-Hmac-Sha256": hmac_sha256_base64(secret=secret, body=body)},
    fake_options={"restore_rate": 1e9},  # an always-full cost bucket: throttling has its own tests
)


def inputs(html: str) -> dict[str, str]:
    """name -> type of the connect page's typed inputs."""
    found = re.findall(r'<input type="(text|url|password)" name="(\w+)"', html)
    return {name: kind for kind, name in found}


@pytest.mark.django_db
def test_R1_R46_the_connect_page_for_shopify_asks_for_either_app_and_hides_every_secret(admin_client):
    html = admin_client.get("/admin/integrations/store/add/?platform=shopify").content.decode()
    assert inputs(html) == {
        "name": "text",
        "url": "url",
        "client_id": "text",  # an app made in the Dev Dashboard (R46)
        "client_secret": "password",
        "token": "password",  # an app created in the admin before 2026
        "webhook_secret": "password",
    }
    assert '<option value="shopify" selected>Shopify</option>' in html
    assert "Only for an app created in the Shopify admin before 2026" in html
