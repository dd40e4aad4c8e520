"""Fetch pages in a thread while the import writes; hand the importer everything fetched so far.

A platform's page size is set by its API (20 orders for Shopify, to keep a query's cost in budget,
100 for WooCommerce), while the import's fixed cost per transaction (locks, lookups, bulk inserts, the
checkpoint) is best spread over a few hundred orders. So batches size themselves: whenever the importer
is ready it takes every page fetched meanwhile, merged into one batch of up to IMPORT_BATCH orders.
When the platform is fast (a local shop) batches fill up to IMPORT_BATCH; when it is slow (the real
Shopify gives ~10 orders a second) each page is imported as soon as it arrives, so orders and progress
show without waiting for a batch to fill.

The fetching thread only talks HTTP (no database), so the import keeps its single connection, and it
stops fetching while IMPORT_BATCH orders wait: memory stays flat however large the shop is.
"""

import threading
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import suppress

from integrations.dto import Page

IMPORT_BATCH = 250  # the most orders per import transaction: measured best of 100-1,000 (bench.backfill)


def fetched_batches(pages: Iterable[Page], size: int | None = None) -> Iterator[Page]:
    """Yield batches of consecutive pages, fetched ahead in a thread. A batch's cursor and total are its
    last page's, so a checkpoint taken after a batch resumes after every order in it."""
    size = size or IMPORT_BATCH
    ready: deque[Page] = deque()
    state = {"orders": 0, "done": False, "error": None, "stop": False}
    changed = threading.Condition()

    def fetch():
        try:
            for page in pages:
                with changed:
                    while state["orders"] >= size and not state["stop"]:
                        changed.wait()
                    if state["stop"]:
                        return
                    ready.append(page)
                    state["orders"] += len(page.payloads)
                    changed.notify_all()
        except BaseException as exc:  # handed to the importer, raised there
            with changed:
                state["error"] = exc
        finally:
            close = getattr(pages, "close", None)
            if close:  # a generator that fetches side by side (numbered_pages) stops its requests now
                with suppress(Exception):  # cleanup only: what went wrong was recorded above, if anything
                    close()
        with changed:
            state["done"] = True
            changed.notify_all()

    thread = threading.Thread(target=fetch, name="page-prefetch", daemon=True)
    thread.start()
    try:
        while True:
            with changed:
                while not ready and not state["done"]:
                    changed.wait()
                taken, orders = [], 0
                while ready and (not taken or orders + len(ready[0].payloads) <= size):
                    taken.append(ready.popleft())
                    orders += len(taken[-1].payloads)
                state["orders"] -= orders
                changed.notify_all()
                error = state["error"] if not taken else None
            if taken:
                last = taken[-1]
                yield Page(payloads=[p for page in taken for p in page.payloads], cursor=last.cursor, total=last.total)
            elif error is not None:
                raise error
            else:
                return
    finally:
        with changed:  # the importer stopped (done, failed or abandoned): let the fetcher end too
            state["stop"] = True
            changed.notify_all()
        thread.join()  # nothing is fetched after the import has ended (at most one request finishes)


def numbered_pages(fetch, first: int, *, width: int) -> Iterator:
    """fetch(n) for n = first, first + 1, ... handed out in page order, with up to `width` requests under way.

    `fetch(n)` returns (value, last): `last` is the number of the last page as the platform counts them now
    (WooCommerce's X-WP-TotalPages). Only the first page is asked for alone, to learn it; then the next pages
    up to `last` are asked for side by side, and each answer is handed out only after every page before it,
    so a checkpoint taken after a page still means "every page up to here" (R3). At most `width` answers wait
    here at a time: memory stays flat whatever the shop's size. Pages past a smaller `last` (orders deleted
    meanwhile) are dropped.
    """
    from concurrent.futures import ThreadPoolExecutor  # only the platforms that page by number use threads here

    pool = ThreadPoolExecutor(max_workers=width, thread_name_prefix="page-fetch")
    waiting: deque = deque([(first, pool.submit(fetch, first))])
    following = first + 1
    try:
        while waiting:
            number, future = waiting.popleft()
            value, last = future.result()
            yield value
            while waiting and waiting[-1][0] > last:
                waiting.pop().cancel()
            while len(waiting) < width and following <= last:
                waiting.append((following, pool.submit(fetch, following)))
                following += 1
    finally:
        for _number, future in waiting:
            future.cancel()
        pool.shutdown(wait=True)  # a request under way finishes (its timeout bounds it); nothing new starts
