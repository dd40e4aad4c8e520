"""The garbage collector during long imports: it should not keep re-reading what will live for ever.

CPython starts a collection every few hundred new container objects, and every hundredth one walks
every object the process has ever kept: Django's models, URL patterns, translations and the app's
modules, ~90,000 objects before an import begins. A backfill allocates millions of short-lived objects,
so those full walks added up to ~6% of its time (bench.backfill of 20,000 orders, timed with
gc.callbacks: 10 full collections, 0.53-0.57 s of 8.3-9.0 s; frozen, 0.04-0.06 s).

`gc.freeze()` moves what exists when the import starts out of the collector's sight; new objects, and
the reference cycles among them, are collected as before. At the end the frozen objects go back to the
collector, so garbage that was frozen is not kept for ever.
"""

import gc
import threading
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0  # imports running in this process (threads): the last to end unfreezes


@contextmanager
def long_lived_objects_frozen():
    global _depth
    with _lock:
        if _depth == 0:
            gc.freeze()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0:
                gc.unfreeze()
