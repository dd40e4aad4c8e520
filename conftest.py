"""Test-wide fixtures and markers; factories live in each app's tests/factories.py."""

import os

import pytest


def pytest_collection_modifyitems(config, items):
    from django.db import connection

    if connection.vendor != "postgresql":
        skip = pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL=postgres://... (CI does)")
        for item in items:
            if "postgres" in item.keywords:
                item.add_marker(skip)


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def fake_shopify():
    """A running fake Shopify shop on 127.0.0.1 (real HTTP, GraphQL, cost limits), empty to start with."""
    from fakes.shopify import FakeShopify

    with FakeShopify(token="shpat_test", myshopify_domain="kyiv-cases.myshopify.com", restore_rate=100000) as shop:
        yield shop


@pytest.fixture
def shopify_store(db, fake_shopify):
    """A store connected to `fake_shopify` (no backfill queued), as `connect_store --no-backfill` leaves it."""
    from integrations.connecting import store_connect
    from orders.models import OrderType

    return store_connect(
        platform="shopify",
        name="Kyiv Cases",
        url=fake_shopify.url,
        credentials={"token": "shpat_test"},
        webhook_secret="whsec_test",
        order_type=OrderType.objects.get(name="Online order"),
        backfill=False,
    )


@pytest.fixture
def browser_context():
    """A Playwright context in Debian's Chromium (browsers are never downloaded), 1400x900, English."""
    import os

    from playwright.sync_api import sync_playwright

    from roapp.tests.browser import ARTIFACTS, CHROMIUM

    ARTIFACTS.mkdir(exist_ok=True)
    # Playwright's sync API runs an event loop in this thread; the ORM calls around it stay synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            # No background networking: this machine's closed network refuses those connections.
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
            ],
        )
        yield browser.new_context(viewport={"width": 1400, "height": 900}, locale="en-US")
        browser.close()
        # Inside Playwright's event loop Django keeps separate connections (they are per async context);
        # left open, PostgreSQL refuses to drop the test database at the end of the run.
        from django.db import connections

        connections.close_all()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


if "MUTANT_UNDER_TEST" in os.environ:  # set by mutmut: its sessions test one mutant each (docs/mutation-testing.md)
    pytest_plugins = ["roapp.tests.mutation_run"]
