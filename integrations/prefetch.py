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
