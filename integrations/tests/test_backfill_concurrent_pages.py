"""R50 for WooCommerce: the backfill asks for up to 4 order pages at once, over real HTTP against the fake shop,
and still imports pages in order, so its checkpoint stays exact."""

import threading
from datetime import UTC, datetime
from urllib.parse import parse_qsl, urlsplit

import pytest

from fakes.woocommerce import FakeWooCommerce, sample_orders
from integrations.connecting import two_calendar_months_before
from integrations.platforms.woocommerce import client as woocommerce_client
from integrations.services import store_backfill
from integrations.tests.factories import StoreFactory
from integrations.tests.test_platform_contract import expected
from orders.models import Order

NOW = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)


class Crash(Exception):
    pass


class CountingShop(FakeWooCommerce):
    """The fake shop, counting how many order pages it is answering at the same moment."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.at_once = self.most_at_once = 0
        self._counting = threading.Lock()

    def _list(self, route, q):
        with self._counting:
            self.at_once += 1
            self.most_at_once = max(self.most_at_once, self.at_once)
        try:
            return super()._list(route, q)
        finally:
            with self._counting:
                self.at_once -= 1


@pytest.fixture
def shop():
    orders = sample_orders(650, seed=5, now=NOW, months=2)  # 7 pages of 100
    with CountingShop(orders=orders) as fake:
        fake.page_latency = 0.1  # a real shop takes 0.5-1 s a page; enough here for the pages to overlap
        fake.sample = orders
        yield fake


@pytest.fixture
def store(db, shop):
    store = StoreFactory(
        platform="woocommerce",
        name="Lviv Tees",
        url=shop.url,
        connected_at=NOW,
        backfill_since=two_calendar_months_before(NOW),
        poll_cursor=NOW,
    )
    store.credentials = shop.credentials
    store.save()
    return store


def imported_ids(store) -> list[str]:
    return list(Order.objects.filter(store=store).values_list("external_id", flat=True))


def pages_asked(shop, since: int = 0) -> list[int]:
    return [
        int(dict(parse_qsl(urlsplit(path).query))["page"])
        for method, path in shop.requests[since:]
        if urlsplit(path).path.endswith("/orders")
    ]


@pytest.mark.django_db
def test_R50_woocommerce_pages_side_by_side_import_each_order_once(store, shop, monkeypatch):
    monkeypatch.setattr("integrations.platforms.http._wait", lambda state: 0.0)
    shop.fail_next("429", 2)  # the shop asks to slow down: every request waits, then the pages go on
    store_backfill(store=store)
    store.refresh_from_db()
    ids = imported_ids(store)
    assert sorted(ids) == sorted(expected(store, shop.sample)[1]) and len(ids) == len(set(ids))
    assert store.backfill_state == "done" and store.backfill_cursor == "8"
    assert 2 <= shop.most_at_once <= woocommerce_client.CONCURRENT_PAGES
    assert sorted(set(pages_asked(shop))) == [1, 2, 3, 4, 5, 6, 7]
    assert shop.faults == ["429", "429"]


@pytest.mark.django_db
def test_R50_a_crash_mid_way_through_concurrent_pages_resumes_without_a_gap(store, shop, monkeypatch):
    monkeypatch.setattr("integrations.prefetch.IMPORT_BATCH", 100)  # one page per import batch
    batches = []

    def crash_after_two_batches(count, total, so_far):
        batches.append(count)
        if len(batches) == 2:
            raise Crash

    with pytest.raises(Crash):
        store_backfill(store=store, progress=crash_after_two_batches)
    store.refresh_from_db()
    # Pages 3-6 may have been fetched while pages 1-2 were imported; the checkpoint says only what was imported.
    assert store.backfill_state == "failed" and store.backfill_cursor == "3" and store.backfill_done == 200
    before = set(imported_ids(store))
    asked = len(shop.requests)
    store_backfill(store=store)
    store.refresh_from_db()
    ids = imported_ids(store)
    assert sorted(ids) == sorted(expected(store, shop.sample)[1]) and len(ids) == len(set(ids))
    assert before < set(ids)
    assert sorted(pages_asked(shop, asked)) == [3, 4, 5, 6, 7]  # resumed at the checkpoint, no page skipped
    assert store.backfill_done == 650
