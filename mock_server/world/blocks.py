"""The records of a store as an immutable sequence of blocks, cheap to change by a commit.

A commit that replaces a few records or appends new ones copies only the blocks it touches
and the short list of blocks, so its cost does not grow with the records it leaves alone (a
queue's 100,000 finished items). Readers get a `Sequence`: iteration, `len`, indexing and
slicing run at C speed over the blocks.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Mapping, Sequence
from itertools import chain
from typing import Any, overload

Record = dict[str, Any]
BLOCK_SIZE = 512


class RecordBlocks(Sequence[Record]):
    """Records ordered by key, in blocks of at most `BLOCK_SIZE`; never changed once built."""

    __slots__ = ("_blocks", "_firsts", "_key", "_length", "_starts")

    def __init__(self, blocks: list[list[Record]], key: str) -> None:
        self._blocks = blocks
        self._key = key
        starts = []
        total = 0
        for block in blocks:
            starts.append(total)
            total += len(block)
        self._starts = starts
        self._length = total
        self._firsts = [block[0][key] for block in blocks]

    @classmethod
    def of(cls, records: Sequence[Record], key: str) -> RecordBlocks:
        """Blocks of `records` (already ordered by `key`)."""
        chunks = [list(records[i : i + BLOCK_SIZE]) for i in range(0, len(records), BLOCK_SIZE)]
        return cls(chunks, key)

    def __len__(self) -> int:
        return self._length

    def __iter__(self) -> Iterator[Record]:
        return chain.from_iterable(self._blocks)

    def __reversed__(self) -> Iterator[Record]:
        return chain.from_iterable(reversed(block) for block in reversed(self._blocks))

    @overload
    def __getitem__(self, index: int) -> Record: ...

    @overload
    def __getitem__(self, index: slice) -> list[Record]: ...

    def __getitem__(self, index: int | slice) -> Record | list[Record]:
        if isinstance(index, slice):
            start, stop, step = index.indices(self._length)
            if step != 1:
                return list(self)[index]
            return self._range(start, stop)
        if index < 0:
            index += self._length
        if not 0 <= index < self._length:
            raise IndexError("record index out of range")
        block = bisect_right(self._starts, index) - 1
        return self._blocks[block][index - self._starts[block]]

    def _range(self, start: int, stop: int) -> list[Record]:
        found: list[Record] = []
        if start >= stop:
            return found
        block = bisect_right(self._starts, start) - 1
        offset = start - self._starts[block]
        while block < len(self._blocks) and len(found) < stop - start:
            found.extend(self._blocks[block][offset : offset + stop - start - len(found)])
            block, offset = block + 1, 0
        return found

    def __eq__(self, other: object) -> bool:
        if isinstance(other, RecordBlocks | list | tuple):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"<RecordBlocks: {self._length} records in {len(self._blocks)} blocks>"

    def changed(self, puts: Mapping[Any, Record], deletes: set[Any]) -> RecordBlocks:
        """The blocks after a commit: `puts` stored (replacing or new), `deletes` removed."""
        key = self._key
        if deletes:
            kept = [r for r in self if r[key] not in deletes and r[key] not in puts]
            return RecordBlocks.of(sorted([*kept, *puts.values()], key=_by(key)), key)
        blocks = list(self._blocks)
        copied: set[int] = set()
        appended: list[Record] = []
        for record_key, record in puts.items():
            position = bisect_right(self._firsts, record_key) - 1
            if position >= 0:
                block = blocks[position]
                inside = bisect_left(block, record_key, key=_by(key))
                if inside < len(block) and block[inside][key] == record_key:
                    if position not in copied:
                        block = blocks[position] = list(block)
                        copied.add(position)
                    block[inside] = record
                    continue
            appended.append(record)
        if not appended:
            return RecordBlocks(blocks, key)
        appended.sort(key=_by(key))
        if self._length and appended[0][key] < self._blocks[-1][-1][key]:
            merged = sorted([*chain.from_iterable(blocks), *appended], key=_by(key))
            return RecordBlocks.of(merged, key)
        if blocks and len(blocks[-1]) < BLOCK_SIZE:
            room = BLOCK_SIZE - len(blocks[-1])
            blocks[-1] = [*blocks[-1], *appended[:room]]
            appended = appended[room:]
        for start in range(0, len(appended), BLOCK_SIZE):
            blocks.append(appended[start : start + BLOCK_SIZE])
        return RecordBlocks(blocks, key)


def _by(key: str) -> Any:
    return lambda record: record[key]
