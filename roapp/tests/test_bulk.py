"""roapp.bulk.insert_many and insert_rows: bulk_create's contract, with COPY on PostgreSQL."""

import pytest
from django.db import IntegrityError, transaction

from contacts.models import Client
from orders.models import Event, EventKind, Order
from orders.tests.factories import OrderFactory
from roapp.bulk import insert_many


@pytest.mark.django_db
def test_new_rows_get_their_ids_and_defaults():
    order = OrderFactory()
    events = insert_many([Event(order=order, kind=EventKind.COMMENT, text=f"note {i}") for i in range(3)])
    assert all(e.pk for e in events) and len({e.pk for e in events}) == 3
    stored = {e.pk: e for e in Event.objects.filter(order=order, kind=EventKind.COMMENT)}
    assert [stored[e.pk].text for e in events] == ["note 0", "note 1", "note 2"]
    assert all(stored[e.pk].created_at is not None for e in events)  # the field's default applied
    assert insert_many([]) == []


@pytest.mark.django_db
def test_a_constraint_violation_is_djangos_integrity_error_and_leaves_the_transaction_usable():
    Client.objects.create(phone="+380671234567")
    with pytest.raises(IntegrityError):
        with transaction.atomic():
            insert_many([Client(phone="+380501112233"), Client(phone="+380671234567")])
    assert list(Client.objects.values_list("phone", flat=True)) == ["+380671234567"]  # nothing half-written


@pytest.mark.django_db
def test_an_unsaved_related_object_is_refused_like_bulk_create_refuses_it():
    with pytest.raises(ValueError, match="unsaved related object"):
        insert_many([Event(order=Order(number="X"), kind=EventKind.COMMENT, text="lost")])


@pytest.mark.django_db
def test_rows_are_stored_exactly_as_bulk_create_stores_them():
    """The shortcut for plain values must not change what lands in the table (PostgreSQL: COPY path)."""
    from datetime import datetime
    from decimal import Decimal

    from catalog.tests.factories import ProductFactory
    from orders.models import OrderItem

    order, product = OrderFactory(), ProductFactory()

    def build():
        return [
            OrderItem(order=order, product=product, quantity=Decimal("2.5"), price=Decimal("10.10"), external_id="a"),
            OrderItem(order=order, product=product, quantity=3, price=7.5, external_id=17),  # converted by the field
        ]

    def stored(items):
        fields = [f.attname for f in OrderItem._meta.concrete_fields if not f.primary_key]
        return list(OrderItem.objects.filter(pk__in=[i.pk for i in items]).order_by("pk").values_list(*fields))

    assert stored(insert_many(build())) == stored(OrderItem.objects.bulk_create(build()))
    clients = insert_many([Client(phone="067 123 45 67", email="a@example.com", first_name="Ann")])
    assert Client.objects.get(pk=clients[0].pk).phone == "+380671234567"  # PhoneField's own conversion ran
    naive = datetime(2026, 11, 1, 12, 0)  # not an aware datetime: Django's conversion (and warning) applies
    with pytest.warns(RuntimeWarning):
        [event] = insert_many([Event(order=order, kind=EventKind.COMMENT, text="t", created_at=naive)])
    assert Event.objects.get(pk=event.pk).created_at.tzinfo is not None


@pytest.mark.django_db
def test_insert_rows_stores_what_bulk_create_would_with_defaults_and_conversions():
    """Rows as dicts (no model instances): missing fields take their defaults, values their field's conversion."""
    from decimal import Decimal

    from catalog.tests.factories import ProductFactory
    from orders.models import OrderItem, Waybill
    from roapp.bulk import insert_rows

    order, product = OrderFactory(), ProductFactory()
    rows = [
        {"order_id": order.pk, "product_id": product.pk, "quantity": Decimal("2.5"), "price": Decimal("10.10")},
        {"order_id": order.pk, "product_id": product.pk, "quantity": 3, "price": 7.5, "external_id": 17},
    ]
    fields = [f.attname for f in OrderItem._meta.concrete_fields if not f.primary_key]
    insert_rows(OrderItem, rows)
    ours = list(OrderItem.objects.filter(order=order).order_by("pk").values_list(*fields))
    OrderItem.objects.filter(order=order).delete()
    OrderItem.objects.bulk_create([OrderItem(**row) for row in rows])
    assert ours == list(OrderItem.objects.filter(order=order).order_by("pk").values_list(*fields))
    assert ours[1][-1] == "17" and ours[0][4] is False  # external_id converted, deducted defaulted

    insert_rows(Waybill, [{"order_id": order.pk, "number": "20450000000001"}])
    waybill = Waybill.objects.get(order=order)
    assert waybill.carrier == "novaposhta" and waybill.created_at is not None  # default and auto_now_add
    insert_rows(Event, [{"order_id": order.pk, "kind": EventKind.COMMENT, "text": "hi"}])
    assert Event.objects.get(order=order, kind=EventKind.COMMENT).created_at is not None
    insert_rows(Event, [])
    for wrong in ({"txt": "typo"}, {"order": order}):  # refused on every database, nothing written
        with pytest.raises(TypeError):
            insert_rows(Event, [{"order_id": order.pk, "kind": EventKind.COMMENT, "text": "ok"}, wrong])
    assert Event.objects.filter(order=order, text="ok").count() == 0


@pytest.mark.django_db
def test_insert_rows_constraint_violation_is_djangos_integrity_error():
    from roapp.bulk import insert_rows

    order = OrderFactory()
    with pytest.raises(IntegrityError):
        with transaction.atomic():
            insert_rows(
                Event,
                [
                    {"order_id": order.pk, "kind": EventKind.COMMENT, "text": "a"},
                    {"order_id": order.pk, "kind": None, "text": "b"},
                ],
            )
    assert not Event.objects.filter(order=order, kind=EventKind.COMMENT).exists()  # nothing half-written
