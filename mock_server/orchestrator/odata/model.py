"""The EDM view of an entity type, built once per entity set from its `EntityType`.

Member types map to the EDM types Orchestrator's `$metadata` declares: strings to `Edm.String`,
`format: uuid` to `Edm.Guid`, `format: date-time` to `Edm.DateTimeOffset`, integers to
`Edm.Int32`/`Edm.Int64` by `format`, booleans to `Edm.Boolean`, string enums to enum types.
Enum type names are not published anywhere we can see: they come from the set's overlay (or
are the member's name) and only appear in error messages.

Names are resolved as ASP.NET OData configured with `EnableCaseInsensitive` does: an exact
match first, then a match ignoring case; two members differing only in case are ambiguous.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from uipath_emulator.mock_server.orchestrator.entities.types import (
    NAMESPACE,
    ComplexType,
    EntityType,
    PropertyType,
)
from uipath_emulator.mock_server.orchestrator.odata.errors import ODataQueryError, invalid


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
    """A literal type no entity member has (`Edm.Date`, `Edm.Duration`...)."""


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
class ODataModel:
    """An entity type as the OData engine sees it: its root type, wire order, key, navigation."""

    root: EdmType
    wire_order: tuple[str, ...]
    key: str
    expandable: tuple[str, ...]
    entity_set: str
    filter_root: EdmType | None = None
    """The root `$filter` sees, when it also sees members the wire never shows."""


def odata_model(
    entity: EntityType,
    *,
    key: str,
    expandable: tuple[str, ...],
    filter_only: tuple[str, ...] = (),
) -> ODataModel:
    """The EDM view of an entity type (built once per set, by the registry).

    `filter_only` names emulator members that `$filter` accepts though they are never answered
    (a property the service filters on without showing it).
    """
    complex_types: dict[str, EdmType] = {}
    visible = entity.visible
    properties = {
        name: _edm_type(prop, entity.complex_types, complex_types) for name, prop in visible.items()
    }
    root = EdmType(Kind.COMPLEX, entity.qualified_name, properties=properties)
    filter_root = None
    if filter_only:
        hidden = {
            name: _edm_type(entity.properties[name], entity.complex_types, complex_types)
            for name in filter_only
        }
        filter_root = EdmType(
            Kind.COMPLEX, entity.qualified_name, properties={**properties, **hidden}
        )
    return ODataModel(
        root=root,
        wire_order=tuple(visible),
        key=key,
        expandable=expandable,
        entity_set=entity.entity_set,
        filter_root=filter_root,
    )


def _edm_type(
    prop: PropertyType, declared: dict[str, ComplexType], built: dict[str, EdmType]
) -> EdmType:
    if prop.kind == "complex" and prop.complex_name is not None:
        name = prop.complex_name
        if name not in built:
            built[name] = EdmType(Kind.COMPLEX, f"{NAMESPACE}.{name}", properties={})
            members = declared[name].properties
            built[name].properties.update(
                {member: _edm_type(spec, declared, built) for member, spec in members.items()}
            )
        return built[name]
    if prop.kind == "collection" and prop.item is not None:
        item = _edm_type(prop.item, declared, built)
        return EdmType(Kind.COLLECTION, f"Collection({item.name})", item=item)
    if prop.kind == "enum":
        return EdmType(Kind.ENUM, f"{NAMESPACE}.{prop.enum_name}", members=prop.members)
    if prop.kind == "boolean":
        return BOOLEAN
    if prop.kind == "integer":
        return INT32 if prop.format == "int32" else INT64
    if prop.kind == "number":
        return DOUBLE if prop.format in ("double", "float") else DECIMAL
    if prop.format == "uuid":
        return GUID
    if prop.format == "date-time":
        return DATETIME
    if prop.kind == "string":
        return STRING
    return EdmType(Kind.OTHER, "Edm.Untyped")


def not_found(name: str, owner: EdmType, option: str) -> ODataQueryError:
    """ODL's error for a property name the type does not declare."""
    return invalid(f"Could not find a property named '{name}' on type '{owner.name}'.", option)


def resolve_name(owner: EdmType, name: str, option: str) -> str:
    """The declared spelling of member `name` of `owner`: exact first, then ignoring case.

    ASP.NET OData resolves names case-insensitively (`EnableCaseInsensitive`), preferring an
    exact match; two members that differ only in case make the name ambiguous: 400.
    """
    if name in owner.properties:
        return name
    folded = name.casefold()
    matches = [member for member in owner.properties if member.casefold() == folded]
    if not matches:
        raise not_found(name, owner, option)
    if len(matches) > 1:
        raise invalid(
            f"More than one property named '{name}' (ignoring case) exists on type "
            f"'{owner.name}': {', '.join(matches)}.",
            option,
        )
    return matches[0]


def resolve_member(owner: EdmType, name: str, option: str) -> tuple[str, EdmType]:
    """The declared name and type of member `name` of the single complex value `owner`."""
    if owner.kind is Kind.COLLECTION:
        raise invalid(
            f"The parent value for a property access of a property '{name}' is not a single "
            "value. Property access can only be applied to a single value.",
            option,
        )
    declared = resolve_name(owner, name, option)
    return declared, owner.properties[declared]


def resolve_path(root: EdmType, segments: list[str], option: str) -> tuple[list[str], EdmType]:
    """The declared names and the type at a `/`-separated path, e.g. `UpdatePolicy/Type`."""
    names: list[str] = []
    current = root
    for segment in segments:
        declared, current = resolve_member(current, segment, option)
        names.append(declared)
    return names, current
