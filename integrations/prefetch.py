"""Fetch the next batch while the current one is being imported (one batch ahead, never more).

The fetching thread only talks HTTP (no database), so the import keeps its single connection and
memory stays flat: at most two batches are held at a time however large the shop is.

Pages are also merged into import batches of at least IMPORT_BATCH orders: a platform's page size is
set by its API (20 orders for Shopify, to keep a query's cost in budget), while the import's fixed cost
per transaction (locks, lookups, bulk inserts, the checkpoint) is best spread over a few hundred orders.
"""

import queue
import threading
from collections.abc import Iterable, Iterator

from integrations.dto import Page

IMPORT_BATCH = 250  # orders per import transaction: measured best of 100-1,000 (bench.backfill)

_DONE = object()


def in_batches(pages: Iterable[Page], size: int | None = None) -> Iterator[Page]:
    """Consecutive pages merged until they hold `size` (IMPORT_BATCH) orders; the cursor and total are the
    last page's, so a checkpoint taken after a batch resumes after every order in it."""
    size = size or IMPORT_BATCH
    payloads: list[dict] = []
    last = None
    for page in pages:
        payloads += page.payloads
        last = page
        if len(payloads) >= size:
            yield Page(payloads=payloads, cursor=page.cursor, total=page.total)
            payloads = []
            last = None
    if last is not None:
        yield Page(payloads=payloads, cursor=last.cursor, total=last.total)


def one_ahead(pages: Iterable) -> Iterator:
    q: queue.Queue = queue.Queue(maxsize=1)
    stop = threading.Event()

    def produce():
        try:
            for page in pages:
                while not stop.is_set():
                    try:
                        q.put(("page", page), timeout=0.5)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
            q.put(("done", _DONE))
        except BaseException as exc:  # handed to the consumer, raised there
            q.put(("error", exc))

    thread = threading.Thread(target=produce, name="page-prefetch", daemon=True)
    thread.start()
    try:
        while True:
            kind, item = q.get()
            if kind == "done":
                return
            if kind == "error":
                raise item
            yield item
    finally:
        stop.set()
        while thread.is_alive():  # let a producer blocked on a full queue see `stop`
            try:
                q.get_nowait()
            except queue.Empty:
                thread.join(timeout=0.1)
