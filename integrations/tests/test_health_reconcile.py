"""Reconciliation (R43): per day the platform's count beside ours; "Import missing" fetches exactly the gap."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from fakes.cartum import FakeCartum
from fakes.cartum import sample_orders as cartum_orders
from fakes.woocommerce import FakeWooCommerce
from fakes.woocommerce import sample_orders as woo_orders
from integrations.health.reconcile import day_summary, store_reconcile
from integrations.models import ImportLog, ReconcileDay, Store
from integrations.platforms.cartum.client import CartumClient
from integrations.platforms.shopify.client import ShopifyClient
from integrations.platforms.woocommerce.client import WooCommerceClient
from integrations.sync import import_payloads
from integrations.tests.nodes import order_node
from orders.models import Order

pytestmark = pytest.mark.django_db


def iso(moment):
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.fixture
def asked(monkeypatch):
    """The ids every store_fetch_orders asked the platform for, call by call."""
    calls = []
    original = ShopifyClient.orders_by_ids

    def spy(self, ids):
        calls.append(sorted(ids))
        return original(self, ids)

    monkeypatch.setattr(ShopifyClient, "orders_by_ids", spy)
    return calls


@pytest.fixture
def shop(shopify_store, fake_shopify):
    """Yesterday: 6 orders on the platform, 2 imported, 1 refused (USD), 3 never arrived. Today: 2, both here."""
    now = timezone.now()
    Store.objects.filter(pk=shopify_store.pk).update(connected_at=now - timedelta(days=20))
    store = Store.objects.select_related("order_type__initial_status").get(pk=shopify_store.pk)
    yesterday = timezone.localtime(now).replace(hour=12, minute=0, second=0, microsecond=0) - timedelta(days=1)
    today = timezone.localtime(now).replace(hour=0, minute=0, second=1, microsecond=0)
    nodes = {
        n: order_node(n, created=iso(yesterday + timedelta(minutes=n - 5000)), phone=f"+3806712{n:05d}")
        for n in range(5000, 5005)
    }
    nodes[5005] = order_node(5005, created=iso(yesterday), currency="USD")
    nodes[5006] = order_node(5006, created=iso(today))
    nodes[5007] = order_node(5007, created=iso(today))
    for node in nodes.values():
        fake_shopify.add_order(node)
    import_payloads(store=store, payloads=[nodes[n] for n in (5000, 5001, 5005, 5006, 5007)])
    store.day_yesterday = yesterday.date()
    return store


def test_R43_a_day_with_3_missing_is_flagged_and_import_missing_fetches_exactly_those(shop, asked):
    result = store_reconcile(store=shop)
    assert len(result.days) == 14
    day = next(d for d in result.days if d.day == shop.day_yesterday)
    assert (day.on_platform, day.imported, day.refused, day.missing, day.flagged) == (6, 2, 1, 3, True)
    assert day_summary(day) == "6 on the platform, 2 imported, 1 refused — see import problems, 3 missing"
    assert sorted(result.missing_ids) == ["5002", "5003", "5004"]
    assert [d.day for d in result.flagged] == [shop.day_yesterday]
    assert asked == []  # looking is free: nothing was fetched

    result = store_reconcile(store=shop, import_missing=True)
    assert asked == [["5002", "5003", "5004"]]  # exactly the difference of the id sets, not a backfill
    assert result.fetched.created == 3 and result.flagged == []
    day = next(d for d in result.days if d.day == shop.day_yesterday)
    assert day_summary(day) == "6 on the platform, 5 imported, 1 refused — see import problems"
    assert Order.objects.filter(store=shop).count() == 7

    store_reconcile(store=shop, import_missing=True)
    assert len(asked) == 1  # nothing missing any more: nothing fetched
    # The last result is kept for the health page.
    assert ReconcileDay.objects.filter(store=shop).count() == 14
    assert not any(d.flagged for d in ReconcileDay.objects.filter(store=shop))


def test_R43_orders_finished_before_connecting_are_not_missing_forever(shopify_store, fake_shopify, asked):
    now = timezone.now()
    Store.objects.filter(pk=shopify_store.pk).update(
        connected_at=now - timedelta(hours=1), backfill_since=now - timedelta(days=60), backfill_state="done"
    )
    store = Store.objects.get(pk=shopify_store.pk)
    fake_shopify.add_order(order_node(6001, created=iso(now - timedelta(days=2)), fulfillment="FULFILLED"))
    assert store_reconcile(store=store).missing_ids == ["6001"]

    result = store_reconcile(store=store, import_missing=True)
    assert asked == [["6001"]] and result.fetched.finished == 1
    assert result.missing_ids == [] and result.flagged == []
    assert "1 finished before connecting, not imported" in " ".join(day_summary(d) for d in result.days)
    entry = ImportLog.objects.get(store=store, external_id="6001")
    assert entry.resolved and "before the store was connected" in entry.reason  # not an open problem
    store_reconcile(store=store, import_missing=True)
    assert len(asked) == 1


def test_R43_orders_before_the_import_window_are_not_missing(shopify_store, fake_shopify):
    # Connected without a backfill: what was created before connecting is not the store's to import.
    fake_shopify.add_order(order_node(6101, created=iso(timezone.now() - timedelta(days=3))))
    result = store_reconcile(store=shopify_store)
    assert result.missing_ids == [] and result.flagged == []
    assert "1 created before the import window" in " ".join(day_summary(d) for d in result.days)


def test_R43_reconcile_store_prints_the_table_and_imports_the_missing(shop, capsys):
    call_command("reconcile_store", "Kyiv Cases")
    out = capsys.readouterr().out
    yesterday = shop.day_yesterday.isoformat()
    line = next(x for x in out.splitlines() if x.startswith(yesterday))
    assert line.split()[:4] == [yesterday, "!", "6", "2"]  # flagged; 6 on the platform, 2 in the back-office
    assert "3 missing" in line and "3 orders missing; run again with --import-missing." in out
    assert Order.objects.filter(store=shop).count() == 4

    call_command("reconcile_store", "Kyiv Cases", "--days", "3", "--import-missing")
    out = capsys.readouterr().out
    assert "Imported the missing orders: created 3" in out and "0 of 3 days differ" in out
    assert Order.objects.filter(store=shop).count() == 7


def test_R43_admin_action_reconciles_and_a_daily_schedule_exists(
    shop, admin_client, django_capture_on_commit_callbacks
):
    from django_q.models import Schedule

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            "/admin/integrations/store/", {"action": "reconcile", "_selected_action": [shop.pk]}, follow=True
        )
    assert "1 store queued for reconciliation." in response.content.decode()
    assert Order.objects.filter(store=shop).count() == 7
    assert Schedule.objects.get(func="integrations.tasks.reconcile_all_stores").schedule_type == "D"


def test_R43_health_page_buttons_reconcile_and_import(shop, admin_client, django_capture_on_commit_callbacks):
    url = f"/admin/integrations/store/{shop.pk}/reconcile/"
    assert admin_client.get(url).status_code == 405
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(url)
    assert Order.objects.filter(store=shop).count() == 4
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url, {"import_missing": "1"}, follow=True)
    assert "the missing orders will be imported" in response.content.decode()
    assert Order.objects.filter(store=shop).count() == 7


def test_R43_woocommerce_lists_ids_created_in_a_range():
    now = datetime.now(UTC).replace(microsecond=0)
    orders = woo_orders(120, seed=4, now=now, months=1)
    start, end = now - timedelta(days=10), now - timedelta(days=2)
    expected = {str(o["id"]) for o in orders if start <= datetime.fromisoformat(o["date_created_gmt"] + "+00:00") < end}
    with FakeWooCommerce(orders=orders) as shop:
        client = WooCommerceClient(url=shop.url, **shop.credentials)
        found = dict(client.order_ids_created_between(start, end))
    assert set(found) == expected and len(expected) > 20


def test_R43_cartum_lists_ids_created_in_a_range():
    from integrations.platforms.cartum.mapping import parse_shop_time

    now = datetime.now(UTC).replace(microsecond=0)
    orders = cartum_orders(250, seed=5, now=now, months=1)
    start, end = now - timedelta(days=20), now - timedelta(days=1)
    expected = {str(o["order_id"]) for o in orders if start <= parse_shop_time(o["stat_created"]) < end}
    with FakeCartum(orders=orders) as shop:
        client = CartumClient(url=shop.url, **shop.credentials)
        found = dict(client.order_ids_created_between(start, end))
    assert set(found) == expected and len(expected) > 100  # more than one page of 100
