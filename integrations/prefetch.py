"""Fetch the next page while the current one is being imported (one page ahead, never more).

The fetching thread only talks HTTP (no database), so the import keeps its single connection and
memory stays flat: at most two pages are held at a time however large the shop is.
"""

import queue
import threading
from collections.abc import Iterable, Iterator

_DONE = object()


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
