"""Entity types: a schema of the spec subset, completed by the set's overlay file.

The spec says what members a DTO has, their JSON types, formats, enums and length limits. What
it does not say comes from `fixtures/spec/overlays/<EntitySet>.json`: the wire order when it
differs, which members are never null, which are left out of answers when null, which are
read-only on input, the value a new entity gets, the enum type names shown in messages.

`json_schema(entity_type)` renders one type as the JSON Schema (2020-12) that validates stored
records and request bodies; the OData model, the OpenAPI document and the world schema are all
derived from the same `EntityType`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from uipath_emulator.mock_server.orchestrator.spec.subset import SCHEMA_REF, component
from uipath_emulator.mock_server.resources import fixtures_dir

NAMESPACE = "UiPath.Server.Configuration.OData"
INT_RANGES = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}


@dataclass(frozen=True)
class PropertyType:
    """A member's type: JSON type (`kind`), nullability, and the constraints the spec states."""

    kind: str
    """`string`, `integer`, `number`, `boolean`, `enum`, `complex`, `collection` or `object`."""
    nullable: bool = True
    format: str | None = None
    members: tuple[str, ...] = ()
    enum_name: str | None = None
    max_length: int | None = None
    min_length: int | None = None
    minimum: int | None = None
    maximum: int | None = None
    complex_name: str | None = None
    item: PropertyType | None = None
    description: str | None = None
    read_only: bool = False
    open_values: dict[str, Any] | None = None
    """For `object` (a dictionary): the schema of its values, as the spec gives it."""


@dataclass(frozen=True)
class ComplexType:
    """A structured type: members in wire order."""

    name: str
    properties: dict[str, PropertyType] = field(compare=False)


@dataclass(frozen=True)
class EntityType:
    """An entity set's type: its members, the complex types they use, and the overlay's facts."""

    entity_set: str
    name: str
    """The spec's name of the answered type, e.g. `TaskCatalogDto`."""
    properties: dict[str, PropertyType] = field(compare=False)
    complex_types: dict[str, ComplexType] = field(compare=False)
    defaults: dict[str, Any] = field(compare=False)
    omit_when_null: tuple[str, ...] = ()
    read_only: frozenset[str] = frozenset()
    title: str = ""
    description: str = ""
    hidden: frozenset[str] = frozenset()
    """Emulator members (the overlay's `emulator_members`): stored and in world files, never
    on the wire, never taken from a request body (the folder of an asset, who may use a
    folder, how a release's jobs behave)."""

    @property
    def qualified_name(self) -> str:
        """`UiPath.Server.Configuration.OData.<name>`, as `@odata.type` and messages write it."""
        return f"{NAMESPACE}.{self.name}"

    @property
    def wire_order(self) -> tuple[str, ...]:
        """Member names in stored order: the cloud's wire order, then the emulator members."""
        return tuple(self.properties)

    @property
    def visible(self) -> dict[str, PropertyType]:
        """The members on the wire, in wire order (every member but the emulator's)."""
        if not self.hidden:
            return self.properties
        return {name: prop for name, prop in self.properties.items() if name not in self.hidden}


def _clean(text: str | None) -> str | None:
    if text is None:
        return None
    return " ".join(text.replace("\r\n", " ").split(" ")).strip()


def _members(
    schema: dict[str, Any], component: Callable[[str], dict[str, Any]]
) -> tuple[dict[str, Any], list[str]]:
    """A component's own and inherited (`allOf`) members, in order, and its required names."""
    properties: dict[str, Any] = {}
    required: list[str] = []
    for part in schema.get("allOf", ()):
        if "$ref" in part:
            inherited, inherited_required = _members(
                component(part["$ref"].removeprefix(SCHEMA_REF)), component
            )
        else:
            inherited, inherited_required = _members(part, component)
        properties.update(inherited)
        required += inherited_required
    properties.update(schema.get("properties", {}))
    required += schema.get("required", [])
    return properties, required


class _Builder:
    """Turns spec schemas into `PropertyType`s, collecting the complex types met on the way.

    Overlay entries name members by `Type/member`, the spec's type name first (for the entity
    type itself too: `TaskCatalogDto/Status`).
    """

    def __init__(
        self, overlay: Mapping[str, Any], component: Callable[[str], dict[str, Any]]
    ) -> None:
        self.component = component
        self.complex_types: dict[str, ComplexType] = {}
        self._enum_names: dict[str, str] = overlay.get("enum_names", {})
        self._never_null = set(overlay.get("never_null", ()))
        self._nullable = set(overlay.get("nullable", ()))

    def complex(self, name: str) -> None:
        if name in self.complex_types:
            return
        self.complex_types[name] = ComplexType(name, {})  # placeholder breaks reference cycles
        members, required = _members(self.component(name), self.component)
        properties = {
            member: self.property(spec, f"{name}/{member}", member in required, member)
            for member, spec in members.items()
        }
        self.complex_types[name] = ComplexType(name, properties)

    def property(
        self, spec: dict[str, Any], path: str, required: bool, member: str
    ) -> PropertyType:
        nullable = (not required or path in self._nullable) and path not in self._never_null
        common: dict[str, Any] = {
            "nullable": nullable,
            "description": _clean(spec.get("description")),
            "read_only": bool(spec.get("readOnly")),
        }
        if "$ref" in spec or "allOf" in spec:
            ref = spec["$ref"] if "$ref" in spec else spec["allOf"][0]["$ref"]
            name = ref.removeprefix(SCHEMA_REF)
            target = self.component(name)
            if "enum" in target:
                return self._enum(target, path, member, common)
            self.complex(name)
            return PropertyType("complex", complex_name=name, **common)
        kind = spec.get("type", "object")
        if kind == "array":
            item = self.property(spec["items"], path, True, member)
            return PropertyType("collection", item=item, **common)
        if "enum" in spec:
            return self._enum(spec, path, member, common)
        if kind == "object":
            values = spec.get("additionalProperties")
            if values == {"type": "object"}:  # .NET `Dictionary<string, object>`: any value
                values = {}
            return PropertyType(
                "object", open_values=values if isinstance(values, dict) else {}, **common
            )
        fmt = spec.get("format")
        if kind == "integer":
            low, high = INT_RANGES.get(fmt or "int64", INT_RANGES["int64"])
            return PropertyType(
                "integer",
                format=fmt,
                minimum=spec.get("minimum", low),
                maximum=spec.get("maximum", high),
                **common,
            )
        min_length = spec.get("minLength") or None
        return PropertyType(
            kind,
            format=fmt,
            max_length=spec.get("maxLength"),
            min_length=min_length,
            **common,
        )

    def _enum(
        self, spec: dict[str, Any], path: str, member: str, common: dict[str, Any]
    ) -> PropertyType:
        name = self._enum_names.get(path, member)
        return PropertyType("enum", members=tuple(spec["enum"]), enum_name=name, **common)


@cache
def overlay(entity_set: str) -> dict[str, Any]:
    """`fixtures/spec/overlays/<entity_set>.json`."""
    path = fixtures_dir() / "spec" / "overlays" / f"{entity_set}.json"
    loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return loaded


def build_entity_type(
    entity_set: str,
    facts: Mapping[str, Any],
    component: Callable[[str], dict[str, Any]] = component,
) -> EntityType:
    """The entity type of a set from its overlay `facts` and the schemas `component` looks up.

    The spec subset's schemas by default; a set of a type the spec lacks (one declared in a
    test) passes its own.
    """
    name = facts["type"]
    own_types: Mapping[str, dict[str, Any]] = facts.get("emulator_types", {})
    spec_lookup = component

    def lookup(type_name: str) -> dict[str, Any]:
        return own_types[type_name] if type_name in own_types else spec_lookup(type_name)

    builder = _Builder(facts, lookup)
    builder.complex(name)
    root = builder.complex_types.pop(name)
    properties = dict(root.properties)
    for member, schema in facts.get("extra_members", {}).items():  # observed, not in the spec
        properties[member] = builder.property(schema, f"{name}/{member}", False, member)
    order = facts.get("wire_order")
    if order:
        properties = {member: properties[member] for member in order}
    hidden = frozenset(facts.get("emulator_members", {}))
    for member, schema in facts.get("emulator_members", {}).items():
        properties[member] = builder.property(schema, f"{name}/{member}", False, member)
    read_only = (
        frozenset(facts.get("read_only", ()))
        | {member for member, prop in properties.items() if prop.read_only}
        | hidden
    )
    return EntityType(
        entity_set=entity_set,
        name=name,
        properties=properties,
        complex_types=builder.complex_types,
        defaults=facts.get("defaults", {}),
        omit_when_null=tuple(facts.get("omit_when_null", ())),
        read_only=read_only,
        title=facts.get("title", ""),
        description=facts.get("description", ""),
        hidden=hidden,
    )


def _json_type(prop: PropertyType) -> dict[str, Any]:
    if prop.kind == "complex":
        ref = {"$ref": f"#/$defs/{prop.complex_name}"}
        return {"anyOf": [ref, {"type": "null"}]} if prop.nullable else ref
    names = {"enum": "string", "collection": "array"}
    json_type = names.get(prop.kind, prop.kind)
    schema: dict[str, Any] = {"type": [json_type, "null"] if prop.nullable else json_type}
    if prop.kind == "enum":
        schema["enum"] = [*prop.members, None] if prop.nullable else list(prop.members)
    if prop.format and prop.kind in ("string", "integer", "number"):
        schema["format"] = prop.format
    if prop.max_length is not None:
        schema["maxLength"] = prop.max_length
    if prop.min_length is not None:
        schema["minLength"] = prop.min_length
    if prop.description:
        schema["description"] = prop.description
    if prop.read_only and prop.kind != "complex":
        schema["readOnly"] = True
    if prop.kind == "integer":
        schema["minimum"] = prop.minimum
        schema["maximum"] = prop.maximum
    if prop.kind == "collection" and prop.item is not None:
        item = _json_type(prop.item)
        schema["items"] = item
    if prop.kind == "object":
        schema["additionalProperties"] = prop.open_values or True
    return schema


def _object_schema(properties: dict[str, PropertyType]) -> dict[str, Any]:
    required = [name for name, prop in properties.items() if not prop.nullable]
    schema: dict[str, Any] = {"type": "object"}
    if required:
        schema["required"] = required
    schema["properties"] = {name: _json_type(prop) for name, prop in properties.items()}
    schema["additionalProperties"] = False
    return schema


def json_schema(entity: EntityType) -> dict[str, Any]:
    """The JSON Schema (2020-12) of a stored record of the set, with `@odata.type` allowed."""
    entity_set = entity.entity_set
    body = _object_schema(entity.properties)
    schema: dict[str, Any] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://uipath-cloud-emulator/schemas/{entity_set}.schema.json",
        "title": entity.title or f"Orchestrator {entity.name} (UiPath.WebApi 20.0)",
        "description": entity.description,
        "type": "object",
    }
    if "required" in body:
        schema["required"] = body["required"]
    schema["properties"] = {
        "@odata.type": {
            "const": f"#{entity.qualified_name}",
            "description": "OData type annotation, present on items of list and entity responses.",
        },
        **body["properties"],
    }
    schema["additionalProperties"] = False
    schema["$defs"] = {
        name: _object_schema(complex_type.properties)
        for name, complex_type in entity.complex_types.items()
    }
    return schema
