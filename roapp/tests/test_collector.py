import gc
import threading

import pytest

from roapp import collector
from roapp.collector import long_lived_objects_frozen


class Kept:
    pass


@pytest.fixture(autouse=True)
def nothing_frozen_before():
    gc.unfreeze()
    yield
    gc.unfreeze()
    assert collector._depth == 0


def test_what_exists_is_frozen_during_the_import_and_returned_after():
    before = Kept()
    with long_lived_objects_frozen():
        assert gc.get_freeze_count() > 0
        assert not any(o is before for o in gc.get_objects())  # out of the collector's sight
    assert gc.get_freeze_count() == 0
    assert any(o is before for o in gc.get_objects())


def test_a_process_that_froze_its_startup_objects_keeps_them_frozen():
    startup = Kept()
    gc.freeze()  # as roapp.wsgi does after loading
    with long_lived_objects_frozen():
        pass
    assert gc.get_freeze_count() > 0
    assert not any(o is startup for o in gc.get_objects())  # still out of the collector's sight


def test_frozen_until_the_last_of_overlapping_imports_ends():
    first_inside, first_may_end = threading.Event(), threading.Event()

    def first():
        with long_lived_objects_frozen():
            first_inside.set()
            first_may_end.wait(5)

    thread = threading.Thread(target=first)
    thread.start()
    try:
        first_inside.wait(5)
        with long_lived_objects_frozen():
            pass
        still_frozen = gc.get_freeze_count()
    finally:
        first_may_end.set()
        thread.join(5)
    assert still_frozen > 0  # the second import ending did not unfreeze under the first
    assert gc.get_freeze_count() == 0


def test_unfrozen_when_the_import_fails():
    with pytest.raises(RuntimeError), long_lived_objects_frozen():
        raise RuntimeError("platform down")
    assert gc.get_freeze_count() == 0
