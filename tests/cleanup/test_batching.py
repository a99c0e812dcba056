"""Batches for deletion: never larger than the limit, and never an entry a listing may still continue from."""

from collections.abc import Iterator

from handlers.cleanup.batching import settled_batches


def test_batches_hold_at_most_the_limit_and_keep_the_listing_order() -> None:
    # GIVEN 23 entries over pages of 5, 0, 9 and 9
    pages = [list(range(0, 5)), [], list(range(5, 14)), list(range(14, 23))]
    # WHEN batched by 4
    batches = list(settled_batches(pages, 4))
    # THEN every entry comes once, in order, at most 4 at a time
    assert [e for b in batches for e in b] == list(range(23))
    assert max(len(b) for b in batches) == 4


def test_no_entry_is_released_before_the_page_after_its_own_is_fetched() -> None:
    # GIVEN a listing that records how many pages it has handed out
    fetched = 0

    def pages() -> Iterator[list[tuple[int, int]]]:
        nonlocal fetched
        for page in range(4):
            fetched += 1
            yield [(page, i) for i in range(3)]  # (page, position)

    # WHEN batches of 2 are taken (and would be deleted) as they come
    released_while: list[tuple[int, int]] = []
    for batch in settled_batches(pages(), 2):
        released_while.extend((page, fetched) for page, _ in batch)
    # THEN an entry of page n was released only once page n+1 was fetched (or the listing was over)
    assert all(fetched_then >= min(page + 2, 4) for page, fetched_then in released_while)
    assert len(released_while) == 12


def test_a_listing_with_nothing_selected_gives_no_batch() -> None:
    assert list(settled_batches([[], [], []], 1000)) == []
