"""What an import batch locks (R7): two batches that could create the same client, product or category lock the
same key, whichever store they come from and however the phone is written; on PostgreSQL the second then waits
for the first (integrations.locks). Keys of unrelated orders never meet, so unrelated imports never wait."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from integrations.dto import RemoteClient, RemoteLine, RemoteOrder
from integrations.sync.matching import lock_keys_for
from integrations.tests.factories import StoreFactory

pytestmark = pytest.mark.django_db

WHEN = datetime(2026, 11, 24, 10, tzinfo=UTC)


def order(external_id, *, client=None, lines=()) -> RemoteOrder:
    return RemoteOrder(
        external_id=external_id,
        number=external_id,
        created_at=WHEN,
        updated_at=WHEN,
        currency="UAH",
        lines=lines,
        client=client,
    )


def case(sku="CASE-1", name="Case", product_id="701", categories=("Cases", "Phones")) -> RemoteLine:
    return RemoteLine(
        external_id="1",
        name=name,
        quantity=Decimal(1),
        price=Decimal(100),
        sku=sku,
        product_id=product_id,
        category_path=categories,
    )


def test_R7_a_batch_locks_its_stores_orders_and_each_contact_product_and_category_it_may_create():
    store = StoreFactory(identify_products_by="sku")
    olena = RemoteClient(first_name="Olena", phone="+38 (067) 123-45-67", email=" Olena@Example.com ")
    keys = lock_keys_for(store, [order("1001", client=olena, lines=(case(name=" Case "),))])
    assert keys == [
        f"orders:{store.pk}",
        "client:phone:+380671234567",
        "client:email:olena@example.com",
        "product:sku:CASE-1",
        "product:name:Case",
        "category:Cases",
        "category:Phones",
    ]


@pytest.mark.parametrize(
    ("identify_by", "key"), [("sku", "product:sku:CASE-1"), ("id", "product:id:701"), ("name", "product:name:Case")]
)
def test_R7_R16_products_are_locked_by_what_the_store_matches_them_on(identify_by, key):
    store = StoreFactory(identify_products_by=identify_by)
    assert key in lock_keys_for(store, [order("1001", lines=(case(),))])


def test_R7_two_stores_importing_the_same_client_and_product_meet_on_their_keys_and_nowhere_else():
    kyiv, lviv = StoreFactory(identify_products_by="sku"), StoreFactory(identify_products_by="sku")
    same = RemoteClient(phone="0671234567")
    first = lock_keys_for(kyiv, [order("1", client=same, lines=(case(),))])
    second = lock_keys_for(lviv, [order("2", client=RemoteClient(phone="+380671234567"), lines=(case(),))])
    assert set(first) & set(second) == {
        "client:phone:+380671234567",
        "product:sku:CASE-1",
        "product:name:Case",
        "category:Cases",
        "category:Phones",
    }
    other = lock_keys_for(
        lviv, [order("3", client=RemoteClient(email="taras@example.com"), lines=(case("GLASS", "Glass", "702", ()),))]
    )
    assert set(first) & set(other) == set()


def test_R7_an_order_without_a_client_or_contact_locks_no_contact():
    store = StoreFactory()
    nameless = lock_keys_for(store, [order("1001"), order("1002", client=RemoteClient(first_name="Olena"))])
    assert nameless == [f"orders:{store.pk}"]
