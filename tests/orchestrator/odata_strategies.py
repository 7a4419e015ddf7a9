"""Machine records and OData queries for the query-engine tests, each with a reference meaning.

The references here are written independently of the emulator's OData engine: plain Python
spelling out the documented semantics (SQL Server's case-insensitive collation ignoring trailing
spaces, C# null semantics, three-valued logic for null Booleans, nulls first when ascending).
"""

import functools
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from hypothesis import strategies as st

Record = dict[str, Any]
Truth = bool | None
Reference = Callable[[Record], Truth]

TYPES = ("Standard", "Template")
SCOPES = (
    "Default",
    "Shared",
    "PersonalWorkspace",
    "Cloud",
    "Serverless",
    "AutomationCloudRobot",
    "ElasticRobot",
    "ProcessOrchestration",
    "AgentService",
)
POLICY_TYPES = ("None", "SpecificVersion", "LatestVersion", "LatestPatch")
SLOTS = (
    "NonProductionSlots",
    "UnattendedSlots",
    "HeadlessSlots",
    "TestAutomationSlots",
    "HostingSlots",
    "AppTestSlots",
    "PerformanceTestSlots",
    "AutomationCloudSlots",
    "AutomationCloudTestAutomationSlots",
)
WIRE_ORDER = (
    "LicenseKey",
    "Name",
    "Description",
    "Type",
    "Scope",
    *SLOTS,
    "Key",
    "EndpointDetectionStatus",
    "AutomationType",
    "TargetFramework",
    "ServerlessLicensingModel",
    "ClientSecret",
    "Id",
    "RobotVersions",
    "RobotUsers",
    "UpdatePolicy",
    "Tags",
    "MaintenanceWindow",
    "VpnSettings",
    "UpdateInfo",
)


def full_record(**fields: Any) -> Record:
    """A complete stored record in wire order: defaults overridden by `fields`."""
    defaults: Record = {
        "LicenseKey": None,
        "Name": "machine",
        "Description": None,
        "Type": "Standard",
        "Scope": "Default",
        **dict.fromkeys(SLOTS, 0),
        "Key": str(uuid.UUID(int=fields.get("Id", 1))),
        "EndpointDetectionStatus": "NotAvailable",
        "AutomationType": "Any",
        "TargetFramework": "Any",
        "ServerlessLicensingModel": None,
        "ClientSecret": None,
        "Id": 1,
        "RobotVersions": [],
        "RobotUsers": [],
        "UpdatePolicy": None,
        "Tags": [],
        "MaintenanceWindow": None,
        "VpnSettings": None,
    }
    record = {name: fields.get(name, defaults[name]) for name in defaults}
    if "UpdateInfo" in fields:
        record["UpdateInfo"] = fields["UpdateInfo"]
    return record


# Few letters, both cases, spaces and a quote: collisions, case and padding matter.
_TEXT = st.text(alphabet="aAbBß '", max_size=4)
_NULLABLE_TEXT = st.none() | _TEXT
_INT32 = st.integers(min_value=-3, max_value=3)


def _nullable(values: Sequence[str]) -> st.SearchStrategy[str | None]:
    return st.none() | st.sampled_from(values)


_TAG = st.fixed_dictionaries(
    {
        "Name": _TEXT,
        "DisplayName": _NULLABLE_TEXT,
        "Value": _NULLABLE_TEXT,
        "DisplayValue": _NULLABLE_TEXT,
    }
)
_ROBOT_USER = st.fixed_dictionaries(
    {
        "UserName": _NULLABLE_TEXT,
        "RobotId": st.integers(min_value=1, max_value=5),
        "HasTriggers": st.none() | st.booleans(),
    }
)
_ROBOT_VERSION = st.fixed_dictionaries(
    {"Count": st.none() | _INT32, "Version": _NULLABLE_TEXT, "MachineId": st.none() | _INT32}
)
_POLICY = st.none() | st.fixed_dictionaries(
    {"Type": _nullable(POLICY_TYPES), "SpecificVersion": _NULLABLE_TEXT}
)
_WINDOW = st.none() | st.fixed_dictionaries(
    {
        "enabled": st.none() | st.booleans(),
        "jobStopStrategy": _nullable(("None", "Kill")),
        "cronExpression": _NULLABLE_TEXT,
        "timezoneId": _NULLABLE_TEXT,
        "duration": st.none() | _INT32,
        "nextExecutionTime": st.none()
        | st.sampled_from(("2024-01-01T00:00:00Z", "2024-06-01T12:30:00+02:00")),
    }
)


@st.composite
def records(draw: st.DrawFn, max_size: int = 12) -> list[Record]:
    """Full machine records with unique ids, sorted by `Id` as the store keeps them."""
    ids = sorted(draw(st.sets(st.integers(min_value=1, max_value=10_000), max_size=max_size)))
    result = []
    for machine_id in ids:
        fields: Record = {
            "Id": machine_id,
            "Key": str(draw(st.uuids())),
            "LicenseKey": draw(_NULLABLE_TEXT),
            "Name": draw(_TEXT),
            "Description": draw(_NULLABLE_TEXT),
            "Type": draw(_nullable(TYPES)),
            "Scope": draw(_nullable(SCOPES)),
            "UnattendedSlots": draw(st.none() | _INT32),
            "HeadlessSlots": draw(_INT32),
            "RobotVersions": draw(st.lists(_ROBOT_VERSION, max_size=2)),
            "RobotUsers": draw(st.none() | st.lists(_ROBOT_USER, max_size=2)),
            "UpdatePolicy": draw(_POLICY),
            "Tags": draw(st.none() | st.lists(_TAG, max_size=3)),
            "MaintenanceWindow": draw(_WINDOW),
        }
        if draw(st.booleans()):
            fields["UpdateInfo"] = None
        result.append(full_record(**fields))
    return result


# ---------------------------------------------------------------------------------------------
# Reference semantics


def norm(text: str) -> str:
    """SQL Server equality/ordering key of a string: case-insensitive, trailing spaces ignored."""
    return text.casefold().rstrip(" ")


def path_value(record: Mapping[str, Any], path: str) -> Any:
    """The value at a `/` path, null when any step is null."""
    value: Any = record
    for segment in path.split("/"):
        if value is None:
            return None
        value = value.get(segment)
    return value


def quote(text: str) -> str:
    """An OData string literal."""
    return "'" + text.replace("'", "''") + "'"


_ENUM_ORDERS = {
    "Type": TYPES,
    "Scope": SCOPES,
    "UpdatePolicy/Type": POLICY_TYPES,
}
_STRING_PATHS = ("Name", "Description", "LicenseKey", "UpdatePolicy/SpecificVersion")
_INT_PATHS = ("Id", "UnattendedSlots", "HeadlessSlots", "MaintenanceWindow/duration")


def sort_value(path: str, value: Any) -> Any:
    """A non-null value's position in SQL Server's order for the property at `path`."""
    if path in _ENUM_ORDERS:
        return _ENUM_ORDERS[path].index(value)
    if path == "Key":
        memory = uuid.UUID(value).bytes_le
        return [memory[i] for i in (10, 11, 12, 13, 14, 15, 8, 9, 6, 7, 4, 5, 0, 1, 2, 3)]
    if isinstance(value, str):
        return norm(value)
    return value


_RELATIONS: dict[str, Callable[[Any, Any], bool]] = {
    "eq": lambda a, b: a == b,
    "ne": lambda a, b: a != b,
    "gt": lambda a, b: a > b,
    "ge": lambda a, b: a >= b,
    "lt": lambda a, b: a < b,
    "le": lambda a, b: a <= b,
}


def compare(path: str, op: str, literal: Any) -> Reference:
    """C# semantics of `path op literal`: eq/ne treat null as a value, relations with null fail."""

    def test(record: Record) -> Truth:
        value = path_value(record, path)
        if value is None or literal is None:
            both_null = value is None and literal is None
            return {"eq": both_null, "ne": not both_null}.get(op, False)
        return _RELATIONS[op](sort_value(path, value), sort_value(path, literal))

    return test


@dataclass(frozen=True)
class Query:
    """A `$filter` text with its reference predicate (True keeps the record)."""

    text: str
    test: Reference


def _literal_text(path: str, literal: Any, suffix: bool) -> str:
    if literal is None:
        return "null"
    if isinstance(literal, bool):
        return "true" if literal else "false"
    if isinstance(literal, int):
        return f"{literal}L" if suffix else str(literal)
    return quote(literal)


@st.composite
def comparisons(draw: st.DrawFn) -> Query:
    """`property op literal` over strings, integers, enums and Booleans."""
    family = draw(st.sampled_from(("string", "int", "enum", "bool")))
    op = draw(st.sampled_from(tuple(_RELATIONS)))
    if family == "string":
        path = draw(st.sampled_from(_STRING_PATHS))
        literal: Any = draw(_NULLABLE_TEXT)
    elif family == "int":
        path = draw(st.sampled_from(_INT_PATHS))
        literal = draw(st.none() | st.integers(min_value=-4, max_value=10_001))
    elif family == "enum":
        path = draw(st.sampled_from(tuple(_ENUM_ORDERS)))
        literal = draw(_nullable(_ENUM_ORDERS[path]))
    else:
        path = "MaintenanceWindow/enabled"
        op = draw(st.sampled_from(("eq", "ne")))
        literal = draw(st.none() | st.booleans())
    text = f"{path} {op} {_literal_text(path, literal, draw(st.booleans()))}"
    if draw(st.booleans()):
        text = f"{_literal_text(path, literal, False)} {_flip(op)} {path}"
    return Query(text, compare(path, op, literal))


def _flip(op: str) -> str:
    return {"gt": "lt", "lt": "gt", "ge": "le", "le": "ge"}.get(op, op)


def _string_function(name: str, path: str, literal: str) -> Reference:
    def test(record: Record) -> Truth:
        value = path_value(record, path)
        if value is None:
            return None
        haystack, needle = value.casefold(), literal.casefold()
        if name == "contains":
            return needle in haystack
        if name == "startswith":
            return haystack.startswith(needle)
        return haystack.endswith(needle)

    return test


def _length(path: str, op: str, number: int) -> Reference:
    def test(record: Record) -> Truth:
        value = path_value(record, path)
        if value is None:
            return op == "ne"
        return _RELATIONS[op](len(value.rstrip(" ")), number)

    return test


def _in_list(path: str, literals: list[Any]) -> Reference:
    def test(record: Record) -> Truth:
        value = path_value(record, path)
        if value is None:
            return None in literals
        return any(
            literal is not None and sort_value(path, value) == sort_value(path, literal)
            for literal in literals
        )

    return test


def _tags_any(name: str) -> Reference:
    return lambda record: any(norm(tag["Name"]) == norm(name) for tag in record["Tags"] or ())


def _tags_all_valued(record: Record) -> Truth:
    return all(tag["Value"] is not None for tag in record["Tags"] or ())


def _robot_versions_any(record: Record) -> Truth:
    return any(
        version["Count"] is not None and version["Count"] > 1
        for version in record["RobotVersions"] or ()
    )


def _users_with_triggers(record: Record) -> Truth:
    return any(user["HasTriggers"] is True for user in record["RobotUsers"] or ())


def _enabled(record: Record) -> Truth:
    return path_value(record, "MaintenanceWindow/enabled")


@st.composite
def atoms(draw: st.DrawFn) -> Query:
    """One comparison, function, `in` list, lambda or Boolean property."""
    kind = draw(st.integers(min_value=0, max_value=8))
    if kind <= 2:
        return draw(comparisons())
    if kind == 3:
        name = draw(st.sampled_from(("contains", "startswith", "endswith")))
        path = draw(st.sampled_from(_STRING_PATHS))
        literal = draw(_TEXT)
        return Query(f"{name}({path}, {quote(literal)})", _string_function(name, path, literal))
    if kind == 4:
        path = draw(st.sampled_from(("Name", "Description")))
        op = draw(st.sampled_from(tuple(_RELATIONS)))
        number = draw(st.integers(min_value=0, max_value=4))
        return Query(f"length({path}) {op} {number}", _length(path, op, number))
    if kind == 5:
        path = draw(st.sampled_from(("Scope", "Name", "Id")))
        values: st.SearchStrategy[Any] = {
            "Scope": _nullable(SCOPES),
            "Name": _NULLABLE_TEXT,
            "Id": st.none() | st.integers(min_value=1, max_value=10_000),
        }[path]
        literals = draw(st.lists(values, min_size=1, max_size=3))
        written = ", ".join(_literal_text(path, literal, False) for literal in literals)
        return Query(f"{path} in ({written})", _in_list(path, literals))
    if kind == 6:
        name = draw(_TEXT)
        return Query(f"Tags/any(t: t/Name eq {quote(name)})", _tags_any(name))
    return draw(
        st.sampled_from(
            (
                Query("Tags/all(x: x/Value ne null)", _tags_all_valued),
                Query("Tags/any()", lambda record: bool(record["Tags"])),
                Query("RobotVersions/any(v: v/Count gt 1)", _robot_versions_any),
                Query("RobotUsers/any(u: u/HasTriggers)", _users_with_triggers),
                Query("MaintenanceWindow/enabled", _enabled),
                Query("UpdatePolicy eq null", lambda record: record["UpdatePolicy"] is None),
            )
        )
    )


def _not(query: Query) -> Query:
    def test(record: Record) -> Truth:
        value = query.test(record)
        return None if value is None else not value

    return Query(f"not ({query.text})", test)


def _and(left: Query, right: Query) -> Query:
    def test(record: Record) -> Truth:
        a, b = left.test(record), right.test(record)
        if a is False or b is False:
            return False
        return None if a is None or b is None else True

    return Query(f"({left.text}) and ({right.text})", test)


def _or(left: Query, right: Query) -> Query:
    def test(record: Record) -> Truth:
        a, b = left.test(record), right.test(record)
        if a is True or b is True:
            return True
        return None if a is None or b is None else False

    return Query(f"({left.text}) or ({right.text})", test)


def filters() -> st.SearchStrategy[Query]:
    """Valid `$filter` expressions of a few atoms combined with `and`, `or`, `not`."""
    return st.recursive(
        atoms(),
        lambda inner: st.one_of(
            inner.map(_not),
            st.tuples(inner, inner).map(lambda pair: _and(*pair)),
            st.tuples(inner, inner).map(lambda pair: _or(*pair)),
        ),
        max_leaves=4,
    )


ORDERABLE = (
    "Name",
    "Description",
    "Id",
    "Key",
    "Type",
    "Scope",
    "UnattendedSlots",
    "HeadlessSlots",
    "UpdatePolicy/Type",
    "MaintenanceWindow/enabled",
    "MaintenanceWindow/nextExecutionTime",
)


def orderbys() -> st.SearchStrategy[list[tuple[str, bool]]]:
    """Up to three distinct `(path, descending)` clauses."""
    return st.lists(
        st.tuples(st.sampled_from(ORDERABLE), st.booleans()),
        max_size=3,
        unique_by=lambda clause: clause[0],
    )


def orderby_text(clauses: list[tuple[str, bool]]) -> str:
    """The `$orderby` value of the clauses."""
    return ",".join(f"{path} desc" if descending else path for path, descending in clauses)


def _ordering_value(path: str, value: Any) -> Any:
    if path == "MaintenanceWindow/nextExecutionTime":
        return datetime.fromisoformat(value)
    return sort_value(path, value)


def reference_order(rows: list[Record], clauses: list[tuple[str, bool]]) -> list[Record]:
    """Rows in SQL Server order: each clause with nulls lowest, then `Id` ascending."""

    def versus(a: Record, b: Record) -> int:
        for path, descending in clauses:
            x, y = path_value(a, path), path_value(b, path)
            if x is None and y is None:
                continue
            if x is None or y is None:
                outcome = -1 if x is None else 1
            else:
                vx, vy = _ordering_value(path, x), _ordering_value(path, y)
                if vx == vy:
                    continue
                outcome = -1 if vx < vy else 1
            return -outcome if descending else outcome
        return -1 if a["Id"] < b["Id"] else (1 if a["Id"] > b["Id"] else 0)

    return sorted(rows, key=functools.cmp_to_key(versus))


SELECTABLE = tuple(name for name in WIRE_ORDER if name != "UpdateInfo")
