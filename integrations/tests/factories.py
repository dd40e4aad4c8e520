import factory

from integrations.models import ImportLog, StatusMapping, Store, WebhookDelivery
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


class WebhookDeliveryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WebhookDelivery

    store = factory.SubFactory(StoreFactory)
    delivery_id = factory.Sequence(lambda n: f"delivery-{n}")
    topic = "orders/create"
    external_id = factory.Sequence(lambda n: str(450789469 + n))


class StatusMappingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StatusMapping

    store = factory.SubFactory(StoreFactory, platform="cartum")
    platform_status = factory.Sequence(lambda n: str(n + 1))
    platform_title = "New"
    status = factory.SubFactory("orders.tests.factories.StatusFactory", name="New")
