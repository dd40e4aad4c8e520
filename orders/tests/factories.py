from decimal import Decimal

import factory

from catalog.tests.factories import ProductFactory
from contacts.tests.factories import ClientFactory
from orders.models import Event, Order, OrderItem, OrderType, Status, Waybill


class StatusFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Status
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Status {n}")


class OrderTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrderType
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Type {n}")
    initial_status = factory.SubFactory(StatusFactory, name="New")


class OrderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Order

    order_type = factory.SubFactory(OrderTypeFactory, name="Online order")
    status = factory.SelfAttribute("order_type.initial_status")
    client = factory.SubFactory(ClientFactory)


class OrderItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrderItem

    order = factory.SubFactory(OrderFactory)
    product = factory.SubFactory(ProductFactory)
    quantity = Decimal("2")
    price = Decimal("100.00")


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    order = factory.SubFactory(OrderFactory)
    kind = "comment"
    text = "Call the client before shipping"


class WaybillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Waybill

    order = factory.SubFactory(OrderFactory)
    number = factory.Sequence(lambda n: f"2045{n:010d}")
    status = "1"
