"""A supported Shopify Admin API version (R47): every request names the pinned version, no query uses a field
deprecated in it, and when Shopify answers as another version (it serves an unsupported one as its oldest
supported version, silently) the store health page says so. Over real HTTP against the fake shop."""

import io
from datetime import UTC, datetime, timedelta

import pytest
import requests
from django.core.management import call_command
from graphql import parse, validate
from graphql.validation import NoDeprecatedCustomRule

from fakes.server import FakeServer
from fakes.shopify import FakeShopify
from fakes.shopify_auth import SUPPORTED_VERSIONS
from fakes.shopify_schema import SCHEMA_PATH, get_schema
from integrations.models import Store
from integrations.platforms import platform_for
from integrations.platforms.shopify import queries
from integrations.services import store_poll
from integrations.tests.nodes import order_node
from orders.models import Order

pytestmark = pytest.mark.django_db


def connect(shop, name="Kyiv Cases") -> Store:
    app = ["--client-id", "fake-client-id", "--client-secret", "fake-client-secret"]
    call_command(
        "connect_store",
        "--platform",
        "shopify",
        "--name",
        name,
        "--url",
        shop.url,
        *app,
        "--no-backfill",
        stdout=io.StringIO(),
    )
    return Store.objects.get(name=name)


@pytest.mark.parametrize("name", sorted(queries.ALL_QUERIES))
def test_R47_no_query_uses_a_field_deprecated_in_the_pinned_version(name):
    assert queries.API_VERSION in SCHEMA_PATH.name  # the schema the queries are checked against is the pinned one
    errors = validate(get_schema(), parse(queries.ALL_QUERIES[name]), [NoDeprecatedCustomRule])
    assert [e.message for e in errors] == []


def test_R47_the_deprecation_check_sees_a_deprecated_field():
    # What the test above guards against: the fields the queries used until 2026-04 are reported.
    old = "query { shop { plan { displayName } } orders(first: 1) { nodes { customer { email phone } } } }"
    messages = [e.message for e in validate(get_schema(), parse(old), [NoDeprecatedCustomRule])]
    assert len(messages) == 3 and "ShopPlan.displayName is deprecated" in messages[0]


def test_R47_the_pinned_version_is_one_shopify_supports_on_2026_12_02():
    assert queries.API_VERSION >= "2026-04" and queries.API_VERSION in SUPPORTED_VERSIONS


def test_R47_every_request_and_webhook_names_the_pinned_version():
    created = (datetime.now(UTC) - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    with FakeShopify(token=None, orders=[order_node(1001, created=created)], restore_rate=100000) as shop:
        store = connect(shop)
        call_command("sync_store", store.name, "--backfill", verbosity=0)
        graphql = [path for _, path in shop.requests if "/graphql.json" in path]
        assert graphql and set(graphql) == {f"/admin/api/{queries.API_VERSION}/graphql.json"}

        class Sink(FakeServer):
            def handle(self, method, path, headers, body):
                self.seen = headers.get("X-Shopify-API-Version")
                return 200, {}, b""

        with Sink() as sink:
            shop.send_webhook(sink.url, order_id=1001)
        assert sink.seen == queries.API_VERSION
    store.refresh_from_db()
    assert store.api_version_seen == queries.API_VERSION and Order.objects.filter(store=store).count() == 1


def test_R47_the_fake_serves_an_unsupported_version_as_the_oldest_supported_one():
    with FakeShopify(restore_rate=100000) as shop:

        def ask(version):
            return requests.post(
                f"{shop.url}/admin/api/{version}/graphql.json",
                json={"query": queries.SHOP_QUERY},
                headers={"X-Shopify-Access-Token": "shpat_test"},
                timeout=10,
            )

        for asked, served in [("2025-10", "2026-01"), ("2024-01", "2026-01"), ("2026-07", "2026-07")]:
            answer = ask(asked)
            assert answer.status_code == 200 and "errors" not in answer.json()  # no error: only the header tells
            assert answer.headers["X-Shopify-API-Version"] == served
        assert ask("2026-13").status_code == 404 and ask("latest").status_code == 404


def test_R47_the_store_health_page_warns_while_shopify_answers_with_another_version(admin_client):
    with FakeShopify(token=None, restore_rate=100000, supported_versions=("2026-07", "2026-10")) as shop:
        store = connect(shop)  # 2026-04 is past its support here: Shopify answers as 2026-07
        assert store.api_version_seen == "2026-07"
        page = admin_client.get(f"/admin/integrations/store/{store.pk}/health/").content.decode()
        assert "Shopify answered with API version 2026-07 instead of 2026-04" in page
        assert "2026-07 (asked for 2026-04)" in page and 'class="store-health-warnings"' in page

        shop.supported_versions = SUPPORTED_VERSIONS  # (a back-office asking for a supported version, again)
        store_poll(store=Store.objects.get(pk=store.pk))
        store.refresh_from_db()
        assert store.api_version_seen == queries.API_VERSION and store.healthy  # a warning, never an alert
        page = admin_client.get(f"/admin/integrations/store/{store.pk}/health/").content.decode()
        assert "instead of" not in page and 'class="store-health-warnings"' not in page
        assert f"<dt>API version</dt><dd>{queries.API_VERSION}</dd>" in page


def test_R22_R47_the_plan_is_read_from_public_display_name():
    # ShopPlan.displayName said "Basic Shopify"; publicDisplayName, which replaces it, says "Basic".
    with FakeShopify(plan="Basic") as shop:
        answer = requests.post(
            f"{shop.url}/admin/api/{queries.API_VERSION}/graphql.json",
            json={"query": "{ shop { plan { displayName publicDisplayName } } }"},
            headers={"X-Shopify-Access-Token": "shpat_test"},
            timeout=10,
        )
        assert answer.json()["data"]["shop"]["plan"] == {"displayName": "Basic Shopify", "publicDisplayName": "Basic"}
        store = connect(shop)
    assert store.shop_plan == "Basic" and platform_for(store).hides_client_data(store)
