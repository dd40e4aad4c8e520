"""Every model has a factory that builds a valid, saved row."""

import pytest

from catalog.tests.factories import CategoryFactory, ProductFactory, StockMovementFactory
from contacts.tests.factories import ClientFactory
from integrations.tests.factories import ImportLogFactory, StatusMappingFactory, StoreFactory, WebhookDeliveryFactory
from orders.tests.factories import (
    EventFactory,
    OrderFactory,
    OrderItemFactory,
    OrderTypeFactory,
    StatusFactory,
    WaybillFactory,
)

FACTORIES = [
    ClientFactory,
    CategoryFactory,
    ProductFactory,
    StockMovementFactory,
    StatusFactory,
    OrderTypeFactory,
    OrderFactory,
    OrderItemFactory,
    EventFactory,
    WaybillFactory,
    StoreFactory,
    ImportLogFactory,
    WebhookDeliveryFactory,
    StatusMappingFactory,
]


@pytest.mark.django_db
@pytest.mark.parametrize("factory", FACTORIES, ids=lambda f: f.__name__)
def test_factory_builds_a_valid_saved_row(factory):
    row = factory()
    row.full_clean()
    assert type(row).objects.filter(pk=row.pk).exists()
