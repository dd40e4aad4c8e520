import pytest

from integrations.tests.factories import StoreFactory
from integrations.tests.nodes import aware


@pytest.fixture
def store(db):
    """A Shopify store connected on 2026-11-23 14:00 UTC (backfill window from 23 September)."""
    return StoreFactory(
        platform="shopify",
        name="Kyiv Cases",
        shop_domain="kyiv-cases.myshopify.com",
        shop_plan="Grow",
        connected_at=aware("2026-11-23T14:00:00Z"),
        backfill_since=aware("2026-09-23T14:00:00Z"),
    )
