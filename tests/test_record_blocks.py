"""The store's block sequence behaves as the sorted list of records it stands for."""

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from uipath_emulator.mock_server.world.blocks import BLOCK_SIZE, RecordBlocks

KEYS = st.integers(min_value=1, max_value=3 * BLOCK_SIZE)
COMMITS = st.lists(
    st.tuples(
        st.dictionaries(KEYS, st.integers(), max_size=40),
        st.sets(KEYS, max_size=5),
    ),
    max_size=8,
)


def _model(records: dict[int, dict[str, Any]]) -> list[dict[str, Any]]:
    return [records[key] for key in sorted(records)]


@settings(max_examples=60, deadline=None)
@given(initial=st.sets(KEYS, max_size=2 * BLOCK_SIZE), commits=COMMITS, data=st.data())
def test_blocks_match_a_sorted_list_through_commits(
    initial: set[int], commits: list[tuple[dict[int, int], set[int]]], data: st.DataObject
) -> None:
    """After any commits, iteration, length, indexing and slicing equal the sorted list's."""
    records = {key: {"Id": key, "v": 0} for key in initial}
    blocks = RecordBlocks.of(_model(records), "Id")
    for puts, deletes in commits:
        deletes = {key for key in deletes if key in records and key not in puts}
        changed = {key: {"Id": key, "v": value} for key, value in puts.items()}
        previous, before = blocks, list(blocks)
        blocks = blocks.changed(changed, deletes)
        for key in deletes:
            del records[key]
        records.update(changed)
        expected = _model(records)
        assert list(blocks) == expected
        assert len(blocks) == len(expected)
        assert list(reversed(blocks)) == expected[::-1]
        start = data.draw(st.integers(min_value=-5, max_value=len(expected) + 5))
        stop = data.draw(st.integers(min_value=-5, max_value=len(expected) + 5))
        assert blocks[start:stop] == expected[start:stop]
        if expected:
            index = data.draw(st.integers(min_value=-len(expected), max_value=len(expected) - 1))
            assert blocks[index] == expected[index]
        assert list(previous) == before  # an earlier sequence is never changed by a commit


def test_a_commit_that_replaces_one_record_copies_one_block() -> None:
    """Replacing one record of 100 blocks leaves the 99 other blocks shared, not copied."""
    records = [{"Id": key} for key in range(1, 100 * BLOCK_SIZE + 1)]
    blocks = RecordBlocks.of(records, "Id")
    changed = blocks.changed({7: {"Id": 7, "done": True}}, set())
    shared = sum(a is b for a, b in zip(blocks._blocks, changed._blocks, strict=True))
    assert shared == 99
    assert blocks[6] == {"Id": 7}
    assert changed[6] == {"Id": 7, "done": True}
