"""The garbage collector during long imports: it should not keep re-reading what will live for ever.

CPython starts a collection every few hundred new container objects, and every hundredth one walks
every object the process has ever kept: Django's models, URL patterns, translations and the app's
modules, ~90,000 objects before an import begins. A backfill allocates millions of short-lived objects,
so those full walks added up to ~6% of its time (bench.backfill of 20,000 orders, timed with
gc.callbacks: 10 full collections, 0.53-0.57 s of 8.3-9.0 s; frozen, 0.04-0.06 s).

`gc.freeze()` moves what exists when the import starts out of the collector's sight; new objects, and
the reference cycles among them, are collected as before. At the end the frozen objects go back to the
collector, so garbage that was frozen is not kept for ever. A process that froze its startup objects
itself (the web server, roapp.wsgi) is left as it is: they are already out of sight, and unfreezing at
the end would bring them back for good.
"""

import gc
import threading
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0  # imports running in this process (threads): the last to end unfreezes
_frozen_here = False  # whether the first of them froze, so whether the last unfreezes


@contextmanager
def long_lived_objects_frozen():
    global _depth, _frozen_here
    with _lock:
        if _depth == 0:
            _frozen_here = gc.get_freeze_count() == 0
            if _frozen_here:
                gc.freeze()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _frozen_here:
                gc.unfreeze()
