"""JSON Schema 2020-12 (our fixtures) to the OpenAPI 3.0 schema dialect.

OpenAPI 3.0 has no `null` type, no type lists, no `const` and no `$defs`: a nullable member is
`nullable: true` (with `null` kept in an `enum`, as OpenAPI 3.0.3 requires), a nullable reference
is `allOf: [$ref]` plus `nullable`, and `$defs` become `components/schemas`. A keyword this
converter does not know is an error rather than a silently wrong document.
"""

from collections.abc import Mapping
from typing import Any

from uipath_emulator.mock_server.openapi.common import COMPONENTS

_DEFS = "#/$defs/"
_PASSED_THROUGH = frozenset(
    {
        "description",
        "title",
        "format",
        "minimum",
        "maximum",
        "minLength",
        "maxLength",
        "pattern",
        "minItems",
        "maxItems",
        "required",
        "readOnly",
        "writeOnly",
        "default",
        "enum",
    }
)
_DROPPED = frozenset({"$schema", "$id", "$comment"})


class UnsupportedSchemaError(ValueError):
    """A JSON Schema construct that has no OpenAPI 3.0 equivalent here."""


def convert_schema(schema: Mapping[str, Any]) -> dict[str, Any]:
    """One JSON Schema 2020-12 (sub)schema as an OpenAPI 3.0 Schema Object."""
    converted: dict[str, Any] = {}
    for keyword, value in schema.items():
        if keyword in _DROPPED or keyword == "$defs":
            continue
        if keyword == "type":
            converted.update(_convert_type(value))
        elif keyword == "const":
            converted["enum"] = [value]
        elif keyword == "$ref":
            converted["$ref"] = convert_ref(value)
        elif keyword == "properties":
            converted["properties"] = {
                name: convert_schema(member) for name, member in value.items()
            }
        elif keyword in ("items", "additionalProperties"):
            converted[keyword] = value if isinstance(value, bool) else convert_schema(value)
        elif keyword == "anyOf":
            converted.update(_convert_any_of(value))
        elif keyword in _PASSED_THROUGH:
            converted[keyword] = value
        else:
            raise UnsupportedSchemaError(f"JSON Schema keyword {keyword!r} is not converted")
    return converted


def convert_definitions(schema: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """The schema's `$defs`, converted, for `components/schemas` (names unchanged)."""
    return {name: convert_schema(member) for name, member in schema.get("$defs", {}).items()}


def convert_ref(ref: str) -> str:
    """`#/$defs/X` as `#/components/schemas/X`."""
    if not ref.startswith(_DEFS):
        raise UnsupportedSchemaError(f"only local $defs references are converted, not {ref!r}")
    return COMPONENTS + ref.removeprefix(_DEFS)


def _convert_type(value: str | list[str]) -> dict[str, Any]:
    types = [value] if isinstance(value, str) else list(value)
    concrete = [name for name in types if name != "null"]
    if len(concrete) != 1:
        raise UnsupportedSchemaError(f"type {value!r} has no OpenAPI 3.0 equivalent")
    converted: dict[str, Any] = {"type": concrete[0]}
    if "null" in types:
        converted["nullable"] = True
    return converted


def _convert_any_of(branches: list[Mapping[str, Any]]) -> dict[str, Any]:
    """`anyOf: [X, {type: null}]` as a nullable X; other unions are passed on converted."""
    concrete = [branch for branch in branches if branch != {"type": "null"}]
    if len(concrete) == len(branches):
        return {"anyOf": [convert_schema(branch) for branch in branches]}
    if len(concrete) != 1:
        raise UnsupportedSchemaError("a nullable anyOf must have exactly one other branch")
    (branch,) = concrete
    if "$ref" in branch:
        return {"allOf": [convert_schema(branch)], "nullable": True}
    return {**convert_schema(branch), "nullable": True}
