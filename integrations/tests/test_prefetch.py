"""Import batches that size themselves (integrations.prefetch): everything fetched while the importer
was busy, up to IMPORT_BATCH orders; a page at a time when the platform is slower than the import."""

import threading

import pytest

from integrations.dto import Page
from integrations.prefetch import fetched_batches


def page(i, size, first_id=0):
    return Page(payloads=[{"id": first_id + k} for k in range(size)], cursor=f"c{i}", total=999)


def pages(*sizes):
    n = 0
    for i, size in enumerate(sizes):
        yield page(i, size, n)
        n += size


def test_R3_pages_fetched_while_the_importer_works_arrive_as_one_batch_that_resumes_after_its_last_page():
    first_taken, buffered = threading.Event(), threading.Event()

    def platform():
        yield page(0, 20, 0)
        assert first_taken.wait(timeout=10)  # the importer got page 0 alone and is busy with it
        for i in range(1, 6):
            yield page(i, 20, 20 * i)
        buffered.set()  # asked for page 6: pages 1-5 (100 orders) wait for the importer
        yield page(6, 7, 120)

    batches = fetched_batches(platform(), size=100)
    first = next(batches)
    first_taken.set()
    assert buffered.wait(timeout=10)
    rest = list(batches)
    assert [(len(b.payloads), b.cursor) for b in [first, *rest]] == [(20, "c0"), (100, "c5"), (7, "c6")]
    assert [p["id"] for b in [first, *rest] for p in b.payloads] == list(range(127))  # every order once, in order
    assert rest[-1].total == 999  # a batch's cursor and total are its last page's: a checkpoint skips exactly it


def test_a_slow_platform_is_imported_page_by_page():
    arrived, imported = threading.Event(), threading.Event()

    def slow_pages():
        for i in range(4):
            yield page(i, 20, 20 * i)
            arrived.set()
            assert imported.wait(timeout=10)  # the next page comes only after the importer took this one
            imported.clear()

    seen = []
    for batch in fetched_batches(slow_pages(), size=100):
        seen.append((len(batch.payloads), batch.cursor))
        imported.set()
    assert seen == [(20, "c0"), (20, "c1"), (20, "c2"), (20, "c3")]


def test_a_page_larger_than_the_batch_passes_whole_and_an_empty_last_page_keeps_its_cursor():
    assert [(len(b.payloads), b.cursor) for b in fetched_batches(pages(150, 0), size=100)][0] == (150, "c0")
    assert [b.cursor for b in fetched_batches(pages(150, 0), size=100)][-1] == "c1"
    assert list(fetched_batches(iter([]))) == []


def test_a_fetch_error_reaches_the_importer_after_the_pages_before_it():
    def failing():
        yield from pages(20, 20)
        raise ConnectionError("platform down")

    seen = []
    with pytest.raises(ConnectionError):
        for batch in fetched_batches(failing(), size=100):
            seen.append(len(batch.payloads))
    assert sum(seen) == 40


def test_an_importer_that_stops_early_stops_the_fetcher():
    handed = []

    def endless():
        i = 0
        while True:
            handed.append(i)
            yield page(i, 100, 100 * i)
            i += 1

    batches = fetched_batches(endless(), size=100)
    next(batches)
    batches.close()  # the import failed or finished: the generator's cleanup joins the fetcher
    assert len(handed) <= 3  # one imported, at most one waiting and one in flight: memory stays flat
