"""The EDM view of a machine, built once from `fixtures/schemas/machine.schema.json`.

Primitive JSON Schema types map to the EDM types Orchestrator's `$metadata` declares: strings to
`Edm.String`, `format: uuid` to `Edm.Guid`, `format: date-time` to `Edm.DateTimeOffset`, integers
to `Edm.Int32`/`Edm.Int64` by `format`, booleans to `Edm.Boolean`, string enums to enum types.
Enum type names are not published anywhere we can see; the ones below are our guesses and only
appear in error messages.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from uipath_emulator.mock_server.orchestrator.odata.errors import ODataQueryError, invalid
from uipath_emulator.mock_server.resources import load_schema

NAMESPACE = "UiPath.Server.Configuration.OData"
MACHINE_TYPE_NAME = f"{NAMESPACE}.ExtendedMachineDto"

_ENUM_NAMES = {
    "Type": "MachineType",
    "Scope": "MachineScope",
    "UpdatePolicy/Type": "UpdatePolicyType",
    "MaintenanceWindow/jobStopStrategy": "StopStrategy",
    "UpdateInfo/updateStatus": "UpdateStatus",
    "UpdateInfo/reason": "UpdateReason",
}


class Kind(enum.Enum):
    """What a value of an EDM type is, as far as comparing, ordering and functions go."""

    STRING = "string"
    NUMBER = "number"
    BOOLEAN = "boolean"
    GUID = "guid"
    DATETIME = "datetime"
    ENUM = "enum"
    COMPLEX = "complex"
    COLLECTION = "collection"
    OTHER = "other"
    """A literal type no machine property has (`Edm.Date`, `Edm.Duration`...)."""


@dataclass(frozen=True)
class EdmType:
    """An EDM type: `name` as `$metadata` would write it, enum `members`, complex `properties`."""

    kind: Kind
    name: str
    members: tuple[str, ...] = ()
    properties: dict[str, EdmType] = field(default_factory=dict, compare=False, hash=False)
    item: EdmType | None = None

    @property
    def is_primitive(self) -> bool:
        """Whether values are single primitives (orderable, comparable)."""
        return self.kind not in (Kind.COMPLEX, Kind.COLLECTION, Kind.OTHER)


STRING = EdmType(Kind.STRING, "Edm.String")
INT32 = EdmType(Kind.NUMBER, "Edm.Int32")
INT64 = EdmType(Kind.NUMBER, "Edm.Int64")
DECIMAL = EdmType(Kind.NUMBER, "Edm.Decimal")
DOUBLE = EdmType(Kind.NUMBER, "Edm.Double")
BOOLEAN = EdmType(Kind.BOOLEAN, "Edm.Boolean")
GUID = EdmType(Kind.GUID, "Edm.Guid")
DATETIME = EdmType(Kind.DATETIME, "Edm.DateTimeOffset")


@dataclass(frozen=True)
class MachineModel:
    """The machine entity type: its properties in wire order."""

    root: EdmType
    wire_order: tuple[str, ...]


@cache
def machine_model() -> MachineModel:
    """The machine's EDM model, read from the JSON Schema on first use."""
    schema = load_schema("machine")
    definitions: dict[str, Any] = schema.get("$defs", {})
    properties = {
        name: _edm_type(spec, name, definitions)
        for name, spec in schema["properties"].items()
        if not name.startswith("@")
    }
    root = EdmType(Kind.COMPLEX, MACHINE_TYPE_NAME, properties=properties)
    return MachineModel(root=root, wire_order=tuple(properties))


def _edm_type(spec: dict[str, Any], path: str, definitions: dict[str, Any]) -> EdmType:
    for alternative in spec.get("anyOf", ()):
        if alternative.get("type") != "null":
            return _edm_type(alternative, path, definitions)
    if "$ref" in spec:
        name = spec["$ref"].rsplit("/", 1)[-1]
        definition = definitions[name]
        properties = {
            member: _edm_type(member_spec, f"{path}/{member}", definitions)
            for member, member_spec in definition.get("properties", {}).items()
        }
        return EdmType(Kind.COMPLEX, f"{NAMESPACE}.{name}", properties=properties)
    declared = spec.get("type")
    types = set(declared) if isinstance(declared, list) else {declared}
    if "array" in types:
        item = _edm_type(spec["items"], path, definitions)
        return EdmType(Kind.COLLECTION, f"Collection({item.name})", item=item)
    if "enum" in spec:
        members = tuple(value for value in spec["enum"] if value is not None)
        name = _ENUM_NAMES.get(path, path.rsplit("/", 1)[-1])
        return EdmType(Kind.ENUM, f"{NAMESPACE}.{name}", members=members)
    if "boolean" in types:
        return BOOLEAN
    if "integer" in types:
        return INT32 if spec.get("format") == "int32" else INT64
    if spec.get("format") == "uuid":
        return GUID
    if spec.get("format") == "date-time":
        return DATETIME
    if "string" in types:
        return STRING
    raise ValueError(f"machine schema property {path!r} has a type the OData model lacks")


def not_found(name: str, owner: EdmType, option: str) -> ODataQueryError:
    """ODL's error for a property name the type does not declare."""
    return invalid(f"Could not find a property named '{name}' on type '{owner.name}'.", option)


def resolve_member(owner: EdmType, name: str, option: str) -> EdmType:
    """The type of property `name` of the single complex value `owner`, or an error."""
    if owner.kind is Kind.COLLECTION:
        raise invalid(
            f"The parent value for a property access of a property '{name}' is not a single "
            "value. Property access can only be applied to a single value.",
            option,
        )
    member = owner.properties.get(name)
    if member is None:
        raise not_found(name, owner, option)
    return member


def resolve_path(segments: list[str], option: str) -> EdmType:
    """The type at a `/`-separated property path from the machine, e.g. `UpdatePolicy/Type`."""
    current = machine_model().root
    for segment in segments:
        current = resolve_member(current, segment, option)
    return current
