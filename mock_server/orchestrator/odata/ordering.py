"""`$orderby`: parsing, validation and sorting of records.

Values order as SQL Server orders them (`values.py`): strings case-insensitively, enums by
declaration order. Nulls come first ascending and last descending (SQL Server). Ties are broken by
the entity key ascending, which ASP.NET OData appends for a stable order.
"""

import heapq
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from uipath_emulator.mock_server.orchestrator.odata.errors import invalid
from uipath_emulator.mock_server.orchestrator.odata.model import EdmType, resolve_path
from uipath_emulator.mock_server.orchestrator.odata.values import key_for

OPTION = "$orderby"
MAX_CLAUSES = 5
_SEGMENT = re.compile(r"[^\W\d]\w*")
_WORD = re.compile(r"\S+")

Record = Mapping[str, Any]


@dataclass(frozen=True)
class OrderClause:
    """One `$orderby` clause: a primitive property path and its direction."""

    path: tuple[str, ...]
    descending: bool
    key: Callable[[Record], tuple[Any, ...]]
    """Sort key of a record: `(0,)` for null, `(1, value key)` otherwise; nulls sort first."""


def parse_orderby(text: str, root: EdmType) -> tuple[OrderClause, ...]:
    """The clauses of a non-blank `$orderby` value over records of type `root`."""
    clauses: list[OrderClause] = []
    position = 0
    for item in text.split(","):
        clauses.append(_clause(item, position, text, root))
        position += len(item) + 1
    if len(clauses) > MAX_CLAUSES:
        raise invalid(
            "The number of clauses in $orderby query option exceeded the maximum number "
            f"allowed. The maximum number of $orderby clauses allowed is {MAX_CLAUSES}.",
            OPTION,
        )
    seen: set[tuple[str, ...]] = set()
    for clause in clauses:
        if clause.path in seen:
            raise invalid(
                f"Duplicate property named '{'/'.join(clause.path)}' is not supported in "
                "'$orderby'.",
                OPTION,
            )
        seen.add(clause.path)
    return tuple(clauses)


def _clause(item: str, offset: int, text: str, root: EdmType) -> OrderClause:
    words = [(offset + match.start(), match.group()) for match in _WORD.finditer(item)]
    if not words:
        position = offset + len(item) - len(item.lstrip())
        raise invalid(f"Expression expected at position {position} in '{text}'.", OPTION)
    directions = ("asc", "desc")
    if len(words) > 2 or (len(words) == 2 and words[1][1] not in directions):
        position = next(at for at, word in words[1:] if word not in directions or at > words[1][0])
        raise invalid(
            f"Syntax error at position {position} in '{text}': a $orderby clause is a property "
            "path optionally followed by 'asc' or 'desc' (lowercase).",
            OPTION,
        )
    path_text = words[0][1]
    descending = len(words) == 2 and words[1][1] == "desc"
    segments = path_text.split("/")
    if not all(_SEGMENT.fullmatch(segment) for segment in segments):
        raise invalid(
            f"The $orderby expression '{path_text}' is not supported by the emulator: only "
            "property paths such as 'Name' or 'UpdatePolicy/Type' are.",
            OPTION,
        )
    segments, edm_type = resolve_path(root, segments, OPTION)
    path_text = "/".join(segments)
    if not edm_type.is_primitive:
        raise invalid(
            "The $orderby expression must evaluate to a single value of primitive type. "
            f"Property: '{path_text}' ({edm_type.name}).",
            OPTION,
        )
    return OrderClause(
        path=tuple(segments),
        descending=descending,
        key=_record_key(tuple(segments), key_for(edm_type)),
    )


def _record_key(path: tuple[str, ...], value_key: Callable[[Any], Any]) -> Callable[[Record], Any]:
    if len(path) == 1:
        name = path[0]

        def top_level(record: Record) -> tuple[Any, ...]:
            value = record.get(name)
            return (0,) if value is None else (1, value_key(value))

        return top_level

    def nested(record: Record) -> tuple[Any, ...]:
        value: Any = record
        for segment in path:
            value = value.get(segment)
            if value is None:
                return (0,)
        return (1, value_key(value))

    return nested


def order_page(
    records: Sequence[Record],
    clauses: Sequence[OrderClause],
    start: int,
    stop: int,
    key: str,
    keys_cache: dict[Any, Any] | None = None,
) -> list[Record]:
    """`sorted(records)[start:stop]` by the clauses then `key`, in O(n log stop) when possible.

    With `keys_cache` (a dict that lives as long as exactly these records), the sort keys of a
    single clause are computed once and kept there, so later pages compare them without a
    Python call per record.
    """
    if stop <= start or not records:
        return []
    directions = {clause.descending for clause in clauses}
    if len(directions) == 1:
        sign = -1 if True in directions else 1
        if len(clauses) == 1 and keys_cache is not None:
            return _cached_page(records, clauses[0], sign, start, stop, key, keys_cache)
        if len(clauses) == 1:
            only = clauses[0].key

            def composite(record: Record) -> tuple[Any, ...]:
                return (only(record), sign * record[key])

        else:
            keys = [clause.key for clause in clauses]

            def composite(record: Record) -> tuple[Any, ...]:
                return (*[k(record) for k in keys], sign * record[key])

        pick = heapq.nlargest if sign < 0 else heapq.nsmallest
        return pick(stop, records, key=composite)[start:stop]
    ordered = sorted(records, key=lambda record: record[key])
    for clause in reversed(clauses):
        ordered.sort(key=clause.key, reverse=clause.descending)
    return ordered[start:stop]


def _cached_page(
    records: Sequence[Record],
    clause: OrderClause,
    sign: int,
    start: int,
    stop: int,
    key: str,
    keys_cache: dict[Any, Any],
) -> list[Record]:
    """A page by one clause, from the records' sort keys computed once per `keys_cache`."""
    cache_key = ("$orderby keys", clause.path, sign)
    decorated = keys_cache.get(cache_key)
    if decorated is None:
        only = clause.key
        decorated = [
            (only(record), sign * record[key], position) for position, record in enumerate(records)
        ]
        keys_cache[cache_key] = decorated
    pick = heapq.nlargest if sign < 0 else heapq.nsmallest
    return [records[position] for _, _, position in pick(stop, decorated)[start:stop]]
