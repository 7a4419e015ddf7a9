"""Record validation compiled from an entity type: one check function per set, built once.

It checks exactly what the set's JSON Schema (`types.json_schema`) states, with the stricter
checks the project applies everywhere (RFC 3339 instants, JSON integers, lengths in UTF-16
units), about twenty times faster than a general JSON Schema validator: a 100k-record world
file is checked record by record while it loads. The first problem found, in wire order,
is reported with its path.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from uipath_emulator.mock_server.orchestrator.entities.types import (
    ComplexType,
    EntityType,
    PropertyType,
)
from uipath_emulator.mock_server.world.dotnet import utf16_length
from uipath_emulator.mock_server.world.validation import is_rfc3339

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    """What is wrong with a value: where (a path of member names and indexes), and what."""

    path: Path
    kind: str
    """`required`, `type`, `enum`, `maxLength`, `minLength`, `range`, `format`, `unknown`."""
    expected: Any = None
    value: Any = None


Check = Callable[[Any], Problem | None]
"""A compiled check: the first problem of a value (its path relative to the value), or None."""


def _within(part: str | int, problem: Problem) -> Problem:
    """`problem`, found inside member or index `part`, as seen from the enclosing value."""
    return Problem((part, *problem.path), problem.kind, problem.expected, problem.value)


_JSON_TYPE_NAMES = {"enum": "string", "collection": "array", "complex": "object"}


def _json_type(prop: PropertyType) -> str:
    return _JSON_TYPE_NAMES.get(prop.kind, prop.kind)


def _is_integer(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


_TYPE_TESTS: dict[str, Callable[[Any], bool]] = {
    "string": lambda value: isinstance(value, str),
    "integer": _is_integer,
    "number": _is_number,
    "boolean": lambda value: isinstance(value, bool),
    "array": lambda value: isinstance(value, list),
    "object": lambda value: isinstance(value, dict),
}


def _is_type(value: Any, json_type: str) -> bool:
    return _TYPE_TESTS[json_type](value)


class _Compiler:
    def __init__(self, complex_types: Mapping[str, ComplexType]) -> None:
        self._declared = complex_types
        self._objects: dict[str, Check] = {}

    def property(self, prop: PropertyType) -> Check:
        json_type = _json_type(prop)
        nullable = prop.nullable
        expected = [json_type, "null"] if nullable else [json_type]
        inner = self._inner(prop)
        is_type = _TYPE_TESTS[json_type]

        def check(value: Any) -> Problem | None:
            if value is None:
                return None if nullable else Problem((), "type", expected, value)
            if not is_type(value):
                return Problem((), "type", expected, value)
            return inner(value) if inner is not None else None

        return check

    def _inner(self, prop: PropertyType) -> Check | None:
        if prop.kind == "string":
            return _string(prop)
        if prop.kind == "enum":
            members = frozenset(prop.members)
            listed = list(prop.members)

            def enum(value: Any) -> Problem | None:
                return None if value in members else Problem((), "enum", listed, value)

            return enum
        if prop.kind == "integer":
            low, high = prop.minimum, prop.maximum

            def in_range(value: Any) -> Problem | None:
                if (low is not None and value < low) or (high is not None and value > high):
                    return Problem((), "range", (low, high), value)
                return None

            return in_range
        if prop.kind == "collection" and prop.item is not None:
            item = self.property(prop.item)

            def items(value: Any) -> Problem | None:
                for index, element in enumerate(value):
                    problem = item(element)
                    if problem is not None:
                        return _within(index, problem)
                return None

            return items
        if prop.kind == "complex" and prop.complex_name is not None:
            return self.complex(prop.complex_name)
        if prop.kind == "object":
            values_type = (prop.open_values or {}).get("type")
            if not isinstance(values_type, str):
                return None

            def values(value: Any) -> Problem | None:
                for name, element in value.items():
                    if not _is_type(element, values_type):
                        return Problem((name,), "type", [values_type], element)
                return None

            return values
        return None

    def complex(self, name: str) -> Check:
        if name not in self._objects:
            self._objects[name] = _late(self._objects, name)
            self._objects[name] = self.object(self._declared[name].properties)
        return self._objects[name]

    def object(self, properties: Mapping[str, PropertyType], extra: Sequence[str] = ()) -> Check:
        checks = [(name, self.property(prop)) for name, prop in properties.items()]
        required = [name for name, prop in properties.items() if not prop.nullable]
        allowed = frozenset(properties) | frozenset(extra)

        def check(value: Any) -> Problem | None:
            for name in required:
                if name not in value:
                    return Problem((), "required", name)
            if not allowed.issuperset(value):
                unknown = next(name for name in value if name not in allowed)
                return Problem((unknown,), "unknown", sorted(allowed - set(extra)), unknown)
            for name, member in checks:
                if name in value:
                    problem = member(value[name])
                    if problem is not None:
                        return _within(name, problem)
            return None

        return check


def _late(objects: Mapping[str, Check], name: str) -> Check:
    """A check that looks `name` up when called: complex types can refer to themselves."""

    def check(value: Any) -> Problem | None:
        return objects[name](value)

    return check


def _string(prop: PropertyType) -> Check | None:
    max_length, min_length = prop.max_length, prop.min_length
    date_time = prop.format == "date-time"
    if max_length is None and min_length is None and not date_time:
        return None

    def check(value: Any) -> Problem | None:
        if max_length is not None or min_length is not None:
            length = utf16_length(value)
            if max_length is not None and length > max_length:
                return Problem((), "maxLength", max_length, value)
            if min_length is not None and length < min_length:
                return Problem((), "minLength", min_length, value)
        if date_time and not is_rfc3339(value):
            return Problem((), "format", "date-time", value)
        return None

    return check


def compile_record_check(entity_type: EntityType) -> Check:
    """The check of a whole record of `entity_type` (`@odata.type` allowed beside members)."""
    compiler = _Compiler(entity_type.complex_types)
    body = compiler.object(entity_type.properties, extra=("@odata.type",))
    annotation = f"#{entity_type.qualified_name}"

    def check(value: Any) -> Problem | None:
        if not isinstance(value, dict):
            return Problem((), "type", ["object"], value)
        if value.get("@odata.type", annotation) != annotation:
            return Problem(("@odata.type",), "enum", [annotation], value["@odata.type"])
        return body(value)

    return check


def describe(problem: Problem, where: str) -> str:
    """A problem in words, for a path already written as `where` (e.g. `Tags[0].Name`)."""
    kind, expected, value = problem.kind, problem.expected, problem.value
    if kind == "required":
        return f"the {expected} member is required"
    if kind == "type":
        names = {"string": "a string", "integer": "an integer", "boolean": "true or false"}
        names |= {"object": "an object", "array": "an array", "null": "null", "number": "a number"}
        return f"must be {' or '.join(names.get(name, name) for name in expected)}"
    if kind == "enum":
        return f"must be one of: {', '.join(expected)}; got {value!r}"
    if kind == "maxLength":
        return f"must be a string with a maximum length of {expected}"
    if kind == "minLength":
        return f"must be a string with a minimum length of {expected}"
    if kind == "range":
        return "is out of range for its integer type"
    if kind == "format":
        return f"{value!r} is not a valid RFC 3339 {expected}"
    return f"is not a member of the type (members: {', '.join(expected)})"
