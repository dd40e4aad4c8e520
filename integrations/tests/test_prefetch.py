"""Pages merged into import batches, fetched one batch ahead (integrations.prefetch)."""

import pytest

from integrations.dto import Page
from integrations.prefetch import in_batches, one_ahead


def pages(*sizes):
    n = 0
    for i, size in enumerate(sizes):
        yield Page(payloads=[{"id": n + k} for k in range(size)], cursor=f"c{i}", total=sum(sizes))
        n += size


def test_pages_merge_into_batches_that_resume_after_their_last_page():
    batches = list(in_batches(pages(20, 20, 20, 20, 20, 20, 7), size=100))
    assert [len(b.payloads) for b in batches] == [100, 27]
    assert [b.cursor for b in batches] == ["c4", "c6"]  # a checkpoint after a batch skips exactly its orders
    assert [p["id"] for b in batches for p in b.payloads] == list(range(127))
    assert batches[0].total == 127


def test_large_pages_pass_through_and_empty_pages_keep_the_cursor():
    assert [(len(b.payloads), b.cursor) for b in in_batches(pages(150, 0), size=100)] == [(150, "c0"), (0, "c1")]
    assert list(in_batches(iter([]))) == []


def test_a_fetch_error_reaches_the_importer_after_the_batches_before_it():
    def failing():
        yield from pages(100)
        raise ConnectionError("platform down")

    seen = []
    with pytest.raises(ConnectionError):
        for batch in one_ahead(in_batches(failing(), size=100)):
            seen.append(len(batch.payloads))
    assert seen == [100]
