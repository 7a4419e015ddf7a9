"""How SQL Server, behind Orchestrator, compares and orders values of each EDM type.

- Strings: the default collation is case-insensitive (`casefold`) and `=`, `<`, `>` ignore trailing
  spaces (ANSI padding).
- Enums are stored as integers: they order by declaration order (the schema's `enum` order).
- GUIDs (`uniqueidentifier`) order by bytes 10-15, then 8-9, 6-7, 4-5, 0-3 of the .NET byte layout
  (`System.Data.SqlTypes.SqlGuid`).
- `Edm.DateTimeOffset` orders by instant; a value without an offset is taken as UTC.
- Numbers and booleans order naturally (`false` < `true`).
"""

from collections.abc import Callable
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from uipath_emulator.mock_server.orchestrator.odata.model import EdmType, Kind
from uipath_emulator.mock_server.world.collation import string_key

Key = Callable[[Any], Any]
"""Maps a non-null value of one EDM type to something Python compares as SQL Server would."""


def like_key(value: str) -> str:
    """Key for `LIKE`-based functions: case-insensitive, trailing spaces significant (nvarchar)."""
    return value.casefold()


def guid_key(value: str) -> str:
    """SQL Server's `uniqueidentifier` sort key: the hex digits in comparison order."""
    h = value.replace("-", "").lower()
    return (
        h[20:]
        + h[16:20]
        + h[14:16]
        + h[12:14]
        + h[10:12]
        + h[8:10]
        + h[6:8]
        + h[4:6]
        + h[2:4]
        + h[:2]
    )


@lru_cache(maxsize=4096)
def datetime_key(value: str | datetime) -> datetime:
    """An aware datetime for an ISO 8601 date-time; naive values are taken as UTC."""
    parsed = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def _identity(value: Any) -> Any:
    return value


def key_for(edm_type: EdmType) -> Key:
    """The comparison key of non-null values of a primitive type."""
    if edm_type.kind is Kind.STRING:
        return string_key
    if edm_type.kind is Kind.GUID:
        return guid_key
    if edm_type.kind is Kind.DATETIME:
        return datetime_key
    if edm_type.kind is Kind.ENUM:
        positions = {member: position for position, member in enumerate(edm_type.members)}
        unknown = len(positions)
        return lambda value: positions.get(value, unknown)
    return _identity
