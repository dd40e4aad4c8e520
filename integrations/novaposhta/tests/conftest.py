"""Fixtures of the Nova Poshta tests: a Shopify store, a running FakeNovaPoshta, the integration switched on."""

import json

import pytest

from fakes.fixtures import FIXTURES_DIR
from fakes.novaposhta import FakeNovaPoshta
from integrations.novaposhta.services import settings_configure
from integrations.tests.factories import StoreFactory
from integrations.tests.nodes import aware
from orders.models import Event

FIXTURES = FIXTURES_DIR / "novaposhta"
API_KEY = "np-test-key-0123456789"
TTN = "20450000000001"


def fixture(name: str):
    return json.loads((FIXTURES / f"go-nova-poshta_TrackingDocument_{name}.json").read_text(encoding="utf-8"))


def with_tracking(node: dict, number: str, company: str = "Nova Poshta") -> dict:
    """The Shopify order node once fulfilled with this tracking number."""
    info = {"company": company, "number": number, "url": f"https://novaposhta.ua/tracking/?cargo_number={number}"}
    return {**node, "fulfillments": [{"id": "gid://shopify/Fulfillment/1", "trackingInfo": [info]}]}


def feed(kind) -> list[str]:
    """The texts of the feed events of this kind, oldest first."""
    return list(Event.objects.filter(kind=kind).order_by("id").values_list("text", flat=True))


@pytest.fixture
def store(db):
    connected, since = aware("2026-11-23T14:00:00Z"), aware("2026-09-23T14:00:00Z")
    return StoreFactory(
        platform="shopify", name="Kyiv Cases", shop_plan="Grow", connected_at=connected, backfill_since=since
    )


@pytest.fixture
def fake_np(settings):
    with FakeNovaPoshta(token=API_KEY) as fake:
        settings.ROAPP_NOVAPOSHTA_URL = fake.api_url
        yield fake


@pytest.fixture
def np_enabled(db, fake_np):
    return settings_configure(api_key=API_KEY, enabled=True)
