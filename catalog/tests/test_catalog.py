from decimal import Decimal

import pytest

from catalog.models import Category, Product
from catalog.services import (
    ProductData,
    category_get_or_create,
    category_path_get_or_create,
    products_match_or_create,
    stock_move,
)
from catalog.tests.factories import ProductFactory

pytestmark = pytest.mark.django_db


def test_R18_existing_category_of_that_name_is_reused():
    phones = category_get_or_create(name="Phones")
    assert category_get_or_create(name="Phones") == phones
    assert category_path_get_or_create(path=("Electronics", "Phones")) == phones
    assert Category.objects.count() == 1


def test_R18_missing_category_path_is_created_as_a_tree():
    leaf = category_path_get_or_create(path=("Clothing", "T-shirts"))
    assert leaf.name == "T-shirts" and leaf.parent.name == "Clothing"


def test_category_names_are_unique_among_siblings_not_globally():
    a = category_get_or_create(name="Accessories", parent=category_get_or_create(name="Phones"))
    b = category_get_or_create(name="Accessories", parent=category_get_or_create(name="Laptops"))
    assert a != b


@pytest.mark.parametrize(
    ("identify_by", "data"),
    [
        ("sku", ProductData(name="Renamed on the platform", sku="SKU-1")),
        ("name", ProductData(name="Case", sku="OTHER")),
        ("id", ProductData(name="Renamed", code="632910392")),
    ],
)
def test_R16_match_by_the_stores_key_is_not_duplicated_nor_overwritten(identify_by, data):
    existing = ProductFactory(name="Case", sku="SKU-1", code="632910392", description="ours")
    assert products_match_or_create(items=[data], identify_by=identify_by) == [existing]
    existing.refresh_from_db()
    assert (existing.name, existing.description, Product.objects.count()) == ("Case", "ours", 1)


def test_R15_R17_new_product_gets_name_description_sku_code_and_pieces():
    [product] = products_match_or_create(
        items=[
            ProductData(
                name="IPod Nano", description="8GB", sku="IPOD2008", code="632910392", category_path=("Players",)
            )
        ],
        identify_by="sku",
    )
    assert (product.name, product.description, product.sku, product.code, product.unit) == (
        "IPod Nano",
        "8GB",
        "IPOD2008",
        "632910392",
        "pcs",
    )
    assert product.category.name == "Players"


def test_batch_match_creates_each_new_product_once():
    items = [ProductData(name="A", sku="X"), ProductData(name="A again", sku="X"), ProductData(name="B", sku="Y")]
    products = products_match_or_create(items=items, identify_by="sku")
    assert products[0] == products[1] != products[2]
    assert Product.objects.count() == 2


def test_stock_may_go_below_zero_and_the_catalog_shows_it(admin_client):
    product = ProductFactory(name="Charger")
    stock_move(product=product, quantity=Decimal("-3"))
    response = admin_client.get("/admin/catalog/product/")
    assert response.status_code == 200
    assert "-3" in response.content.decode()
