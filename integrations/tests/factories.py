import factory

from integrations.models import ImportLog, Store
from orders.tests.factories import OrderTypeFactory


class StoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Store

    platform = "shopify"
    name = factory.Sequence(lambda n: f"Store {n}")
    url = factory.Sequence(lambda n: f"https://shop{n}.myshopify.com")
    order_type = factory.SubFactory(OrderTypeFactory, name="Online order")
    identify_products_by = "sku"
    shop_currency = "UAH"


class ImportLogFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ImportLog

    store = factory.SubFactory(StoreFactory)
    external_id = factory.Sequence(lambda n: str(1000 + n))
    reason = "Order currency USD differs from the back-office currency UAH."
    payload = {"id": 1}
