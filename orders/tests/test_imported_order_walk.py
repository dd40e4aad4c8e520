"""R11, R52: without "Can add products without deduction", no way in changes an imported order.

The walks take their lists from the code: every action of every registered ModelAdmin, every admin URL
that names an object, every write operation of the OpenAPI schema. A new action or endpoint is walked
without touching this file.
"""

import datetime
from decimal import Decimal

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission, User
from django.test import RequestFactory
from django.urls import NoReverseMatch, resolve, reverse
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from rest_framework import serializers
from rest_framework.test import APIClient

from catalog.tests.factories import StockMovementFactory
from integrations.tests.factories import ImportLogFactory, StatusMappingFactory, StoreFactory
from orders.models import Event, Order, OrderItem, Waybill
from orders.tests.factories import EventFactory, OrderFactory, OrderItemFactory, WaybillFactory

pytestmark = pytest.mark.django_db

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


@pytest.fixture
def world():
    """An imported order with items, a comment and a waybill, a back-office order, and what hangs around."""
    store = StoreFactory()
    imported = OrderFactory(store=store, external_id="7001", number="SH-7001")
    item = OrderItemFactory(order=imported)
    EventFactory(order=imported, text="Imported from the store")
    WaybillFactory(order=imported)
    StockMovementFactory(product=item.product)
    ImportLogFactory(store=store)
    StatusMappingFactory(store=store)
    back_office = OrderItemFactory().order
    return imported, back_office


@pytest.fixture
def clerk():
    """Staff with every permission but "Can add products without deduction"."""
    user = User.objects.create_user("clerk", password="x", is_staff=True)
    user.user_permissions.set(Permission.objects.exclude(codename="add_products_without_deduction"))
    return user


def snapshot(order_pk: int):
    """Everything that makes up the order: its row, items, feed and waybills."""
    return (
        Order.objects.filter(pk=order_pk).values().first(),
        list(OrderItem.objects.filter(order_id=order_pk).order_by("pk").values()),
        list(Event.objects.filter(order_id=order_pk).order_by("pk").values()),
        list(Waybill.objects.filter(order_id=order_pk).order_by("pk").values()),
    )


def all_admin_actions():
    """(model, action name) for every registered ModelAdmin, as a superuser sees them."""
    request = RequestFactory().get("/")
    request.user = User(is_superuser=True, is_staff=True, is_active=True)
    for model, model_admin in admin.site._registry.items():
        for name in model_admin.get_actions(request):
            yield model, name


def selectable(model, clerk) -> list:
    """Every object of the model but the clerk's own account (deleting it would end the walk early)."""
    objects = model._default_manager.all()
    if model is User:
        objects = objects.exclude(pk=clerk.pk)
    return list(objects.values_list("pk", flat=True))


def object_urls(model_admin, pk):
    """Every admin URL of this ModelAdmin that takes an object id (change, delete, history, extra views)."""
    for pattern in model_admin.get_urls():
        if pattern.name and "object_id" in str(pattern.pattern):
            try:
                yield reverse(f"admin:{pattern.name}", args=[pk])
            except NoReverseMatch:
                continue


def test_R52_no_admin_action_or_object_view_changes_an_imported_order_without_the_permission(client, world, clerk):
    imported, _ = world
    before = snapshot(imported.pk)
    client.force_login(clerk)
    walked = []
    for model, name in all_admin_actions():
        opts = model._meta
        changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        pks = selectable(model, clerk)
        # "post": the confirmation step of delete_selected, sent straight away as a forged request would.
        response = client.post(changelist, {"action": name, "_selected_action": pks, "post": "yes"})
        assert response.status_code < 500, (opts.label, name)
        assert client.session.get("_auth_user_id") == str(clerk.pk), "the walk must go on as the clerk"
        assert snapshot(imported.pk) == before, f"admin action {opts.label}.{name} changed the imported order"
        walked.append(f"{opts.label}.{name}")
    for model, model_admin in admin.site._registry.items():
        for pk in selectable(model, clerk):
            for url in object_urls(model_admin, pk):
                data = {"post": "yes", "new_comment": "walked", "_save": "Save"}
                response = client.post(url, data)
                assert response.status_code < 500, url
                assert client.session.get("_auth_user_id") == str(clerk.pk), "the walk must go on as the clerk"
                assert snapshot(imported.pk) == before, f"POST {url} changed the imported order"
                walked.append(url)
    # The walk did reach the ways that matter: bulk delete, the order's delete page, its change page.
    assert "orders.Order.delete_selected" in walked
    assert f"/admin/orders/order/{imported.pk}/delete/" in walked
    assert f"/admin/orders/order/{imported.pk}/change/" in walked


def test_R52_admin_does_not_offer_deleting_an_imported_order_and_says_why_when_forced(client, world, clerk):
    imported, back_office = world
    client.force_login(clerk)
    page = client.get(f"/admin/orders/order/{imported.pk}/change/").content.decode()
    assert f"/admin/orders/order/{imported.pk}/delete/" not in page
    forced = client.post(f"/admin/orders/order/{imported.pk}/delete/", {"post": "yes"}, follow=True)
    assert "Deleting orders from online stores requires the permission" in forced.content.decode()
    bulk = client.post(
        "/admin/orders/order/",
        {"action": "delete_selected", "_selected_action": [imported.pk, back_office.pk], "post": "yes"},
        follow=True,
    )
    html = bulk.content.decode()
    assert "1 order from an online store was left out" in html
    assert Order.objects.filter(pk=imported.pk).exists()
    assert not Order.objects.filter(pk=back_office.pk).exists()  # what the clerk may delete is deleted


def test_R52_with_the_permission_the_imported_order_can_be_deleted(client, world):
    imported, _ = world
    manager = User.objects.create_user("manager", password="x", is_staff=True)
    manager.user_permissions.set(Permission.objects.all())
    client.force_login(manager)
    client.post(f"/admin/orders/order/{imported.pk}/delete/", {"post": "yes"})
    assert not Order.objects.filter(pk=imported.pk).exists()


# --- API ---------------------------------------------------------------------------------------------------


def api_write_operations():
    """(path, method, view) for every write operation in the OpenAPI schema, views set up as the schema sees them."""
    generator = SchemaGenerator()
    generator._initialise_endpoints()
    for path, _, method, view in generator._get_paths_and_endpoints():
        if method in UNSAFE:
            yield path, method, view


def request_body(view, method, path):
    """A valid body for the operation, filled in from its request serializer's fields."""
    view.schema.method, view.schema.path = method, path
    serializer = view.schema.get_request_serializer() if method != "DELETE" else None
    if serializer is None:
        return {}
    if isinstance(serializer, type):
        serializer = serializer()
    return {name: sample(field) for name, field in serializer.fields.items() if not field.read_only}


def sample(field):
    if isinstance(field, serializers.ManyRelatedField):
        return []
    if isinstance(field, serializers.PrimaryKeyRelatedField):
        return field.get_queryset().order_by("-pk").values_list("pk", flat=True).first()
    if isinstance(field, serializers.BooleanField):
        return True
    if isinstance(field, serializers.ChoiceField):
        return next(iter(field.choices))
    if isinstance(field, (serializers.DecimalField, serializers.IntegerField, serializers.FloatField)):
        return str(max(Decimal("2"), Decimal(str(field.min_value or 0))))
    if isinstance(field, serializers.DateTimeField):
        return timezone.now().isoformat()
    if isinstance(field, serializers.DateField):
        return datetime.date.today().isoformat()
    if isinstance(field, serializers.EmailField):
        return "walked@example.com"
    return "walked"


def test_R52_no_api_write_changes_an_imported_order_without_the_permission(world, clerk):
    imported, back_office = world
    before = snapshot(imported.pk)
    api = APIClient()
    api.force_authenticate(clerk)
    order_operations = 0
    for path, method, view in api_write_operations():
        body = request_body(view, method, path)
        model = view.get_queryset().model
        if "{" not in path:
            targets = [None]
        elif model is Order:
            targets = [imported.pk]  # the back-office order is kept for the check below
        else:
            targets = list(model._default_manager.values_list("pk", flat=True))
        for pk in targets:
            url = path if pk is None else path.replace("{id}", str(pk))
            response = api.generic(method, url, data=_json(body), content_type="application/json")
            assert response.status_code < 500, (method, url, response.content[:300])
            assert snapshot(imported.pk) == before, f"{method} {url} changed the imported order"
            if model is Order and pk == imported.pk:
                assert response.status_code == 403, (method, url)
                assert "Can add products without deduction" in response.json()["detail"]
        if model is Order and "{" in path:
            # The same request on a back-office order goes through: the refusal above is the permission's.
            url = path.replace("{id}", str(back_office.pk))
            response = api.generic(method, url, data=_json(body), content_type="application/json")
            assert response.status_code < 300, (method, url, response.content[:300])
            assert resolve(url).func.cls is type(view)
            order_operations += 1
    assert order_operations >= 4  # set-status, write-off, comments, items at least


def _json(body) -> str:
    import json  # only here: the walk sends bodies as JSON text through APIClient.generic

    return json.dumps(body)
