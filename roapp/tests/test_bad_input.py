"""R52: bad query parameters and bodies get a 4xx with a reason, never a 500 (admin and API)."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.test import RequestFactory
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from catalog.models import Category
from catalog.tests.factories import CategoryFactory, ProductFactory
from contacts.tests.factories import ClientFactory
from integrations.tests.factories import StoreFactory
from orders.tests.factories import OrderFactory, OrderItemFactory
from roapp.api_errors import api_exception_handler

pytestmark = pytest.mark.django_db

HOSTILE = ["²", "abc", "-1", "99999999999999999999", "a\x00b", "' OR 1=1 --"]


@pytest.fixture
def api(admin_user):
    client = APIClient()
    client.force_authenticate(admin_user)
    return client


def test_R52_a_bad_store_filter_value_goes_back_to_the_list_with_the_reason(admin_client):
    OrderFactory(store=StoreFactory(), external_id="1")
    response = admin_client.get("/admin/orders/order/", {"store": "²"})
    assert response.status_code == 302 and response["Location"].endswith("?e=1")
    page = admin_client.get(response["Location"])
    assert page.status_code == 200
    assert "Unknown store filter “²”: the list shows all orders." in page.content.decode()


def test_R52_no_admin_list_filter_or_search_answers_500_to_hostile_values(admin_client, admin_user):
    """Every filter parameter of every admin list (django-q2's task screens included), fed values a person or a
    script might send."""
    OrderItemFactory(order=OrderFactory(store=StoreFactory(), external_id="1"))
    request = RequestFactory().get("/")
    request.user = admin_user
    walked = 0
    for model, model_admin in admin.site._registry.items():
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        try:
            specs = model_admin.get_changelist_instance(request).filter_specs
        except AttributeError:
            continue  # a list that is not a list (NovaPoshtaSettings goes straight to its one row)
        params = [p for spec in specs for p in spec.expected_parameters()] + ["q", "o", "p"]
        for param in params:
            for value in HOSTILE:
                response = admin_client.get(url, {param: value}, follow=True)
                assert response.status_code < 500, (url, param, value)
                walked += 1
    assert walked > 100


def test_R52_a_nul_in_a_query_value_is_refused_400_with_the_reason_on_every_page(admin_client, api):
    for url in ("/admin/orders/order/", "/admin/django_q/success/", "/api/orders/"):
        for client in (admin_client, api):
            response = client.get(url, {"q": "a\x00b"})
            assert response.status_code == 400, (url, response.status_code)
            assert "NUL character" in response.content.decode()
            if url.startswith("/api/"):
                assert "NUL character" in response.json()["detail"]


def test_R52_store_health_with_an_id_that_is_not_a_number_is_404(admin_client):
    assert admin_client.get("/admin/integrations/store/abc/health/").status_code == 404
    assert admin_client.get("/admin/integrations/store/²/health/").status_code == 404
    assert admin_client.post("/admin/integrations/store/abc/reconcile/").status_code == 404


def test_R52_api_malformed_id_is_a_json_404(api):
    for url in ("/api/orders/abc/", "/api/clients/1.5/", "/api/products/²/"):
        response = api.get(url)
        assert response.status_code == 404 and response["Content-Type"] == "application/json", url
        assert "detail" in response.json()


def test_R52_api_bad_phone_filter_is_400_with_the_reason(api):
    response = api.get("/api/clients/", {"phone": "abc"})
    assert response.status_code == 400
    assert response.json() == {"phone": ["Enter a valid phone number, e.g. +380 67 123 4567."]}


def test_R52_api_second_category_of_the_same_name_is_400_with_the_reason(api):
    assert api.post("/api/categories/", {"name": "Cases"}, format="json").status_code == 201
    response = api.post("/api/categories/", {"name": "Cases"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"name": ["A category named Cases already exists at the top level."]}
    parent = Category.objects.get(name="Cases")
    assert api.post("/api/categories/", {"name": "Cases", "parent": parent.pk}, format="json").status_code == 201


def test_R52_api_deleting_what_is_still_referenced_is_409_saying_what_references_it(api):
    order = OrderItemFactory(order=OrderFactory(number="SH-12")).order
    item = order.items.get()
    response = api.delete(f"/api/clients/{order.client_id}/")
    assert response.status_code == 409
    assert response.json()["detail"] == "Cannot delete: it is still referenced by 1 order (SH-12)."
    response = api.delete(f"/api/products/{item.product_id}/")
    assert response.status_code == 409
    assert response.json()["detail"] == "Cannot delete: it is still referenced by 1 item (SH-12)."
    parent = CategoryFactory(name="Phones")
    CategoryFactory(name="Cases", parent=parent)
    response = api.delete(f"/api/categories/{parent.pk}/")
    assert response.status_code == 409
    assert response.json()["detail"] == "Cannot delete: it is still referenced by 1 category (Cases)."


def test_R52_api_item_without_quantity_or_price_is_400_with_field_errors(api):
    order = OrderFactory()
    product = ProductFactory()
    response = api.post(f"/api/orders/{order.pk}/items/", {"product": product.pk}, format="json")
    assert response.status_code == 400
    assert response.json() == {"quantity": ["This field is required."], "price": ["This field is required."]}
    response = api.post(
        f"/api/orders/{order.pk}/items/", {"product": product.pk, "quantity": "0", "price": "1"}, format="json"
    )
    assert response.status_code == 400 and "quantity" in response.json()
    assert not order.items.exists()


@pytest.mark.postgres  # the fields are named from PostgreSQL's constraint name
def test_R52_a_duplicate_the_database_refuses_is_409_naming_the_fields():
    """The backstop for a concurrent writer that wins between validation and saving."""
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        Category.objects.create(name="Cases")
        Category.objects.create(name="Cases")
    response = api_exception_handler(caught.value, {})
    assert response.status_code == 409
    assert response.data == {"detail": "A category with the same name already exists."}


def test_R52_store_name_is_null_for_back_office_orders_and_the_schema_says_so(api):
    OrderFactory()
    assert api.get("/api/orders/").json()["results"][0]["store_name"] is None
    schema = SchemaGenerator().get_schema(request=None, public=True)
    assert schema["components"]["schemas"]["Order"]["properties"]["store_name"]["nullable"] is True


def test_R52_every_api_operation_documents_its_error_answers():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            assert {"401", "403", "404"} <= codes, (method, path)
            if method in ("post", "put", "patch"):
                assert {"400", "409"} <= codes, (method, path)
            if method == "delete":
                assert "409" in codes, (method, path)


def test_R52_admin_is_refused_nothing_by_the_api_error_handler(api, admin_user):
    """Control: the handler leaves ordinary answers alone (a superuser reads and writes as before)."""
    client = ClientFactory()
    assert api.get(f"/api/clients/{client.pk}/").status_code == 200
    assert api.delete(f"/api/clients/{client.pk}/").status_code == 204
    assert User.objects.filter(pk=admin_user.pk).exists()
