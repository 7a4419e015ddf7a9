"""The world document's JSON Schema (version 2), built from the entity sets a world holds.

`fixtures/schemas/world.schema.json` is this schema with every set's record schema, committed
for editors and readers (a test keeps it in step). Loading checks the document's skeleton
with the records left as objects, and then each record with its set's compiled check.
"""

from collections.abc import Mapping
from typing import Any

WORLD_VERSION = 2
_GUID = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
_URL_NAME = "^[A-Za-z0-9][A-Za-z0-9_.-]*$"
_INT64_MAX = 2**63 - 1


def _url_name(what: str) -> dict[str, Any]:
    return {
        "type": "string",
        "minLength": 1,
        "maxLength": 100,
        "pattern": _URL_NAME,
        "description": f"{what} name as it appears in the cloud URL, matched case-insensitively.",
    }


def world_schema(records: Mapping[str, Mapping[str, Any] | None]) -> dict[str, Any]:
    """The schema for entity sets `records` (name -> record schema, None for unchecked items)."""
    entities: dict[str, Any] = {}
    definitions: dict[str, Any] = {}
    for name, record in records.items():
        if record is None:  # the loader checks each record with the set's compiled check
            entities[name] = {"type": "array"}
            continue
        definitions[name] = {key: value for key, value in record.items() if key != "$schema"}
        entities[name] = {"type": "array", "items": {"$ref": f"#/$defs/{name}"}}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://uipath-cloud-emulator/schemas/world.schema.json",
        "title": f"uipath-cloud-emulator world file, version {WORLD_VERSION}",
        "description": (
            "Organizations with their external applications and tenants, and each tenant's "
            "entities, one array per Orchestrator entity set. The same format is served and "
            "accepted by /_emulator/state. Version 1 files (a tenant's `machines`) still load."
        ),
        "type": "object",
        "required": ["version", "organizations"],
        "additionalProperties": False,
        "properties": {
            "version": {"const": WORLD_VERSION, "description": "Format version."},
            "description": {"type": "string"},
            "organizations": {"type": "array", "items": {"$ref": "#/$defs/organization"}},
        },
        "$defs": {
            "organization": {
                "type": "object",
                "required": ["name", "id"],
                "additionalProperties": False,
                "properties": {
                    "name": _url_name("Organization"),
                    "id": {
                        "type": "string",
                        "pattern": _GUID,
                        "description": "Organization id (the token's prt_id); usable in URLs "
                        "instead of the name.",
                    },
                    "apps": {"type": "array", "items": {"$ref": "#/$defs/app"}},
                    "tenants": {"type": "array", "items": {"$ref": "#/$defs/tenant"}},
                },
            },
            "app": {
                "type": "object",
                "required": ["name", "client_id", "confidential", "scopes"],
                "additionalProperties": False,
                "properties": {
                    "name": {"type": "string", "minLength": 1},
                    "client_id": {
                        "type": "string",
                        "pattern": _GUID,
                        "description": "App ID; unique across the whole world.",
                    },
                    "client_secret": {
                        "type": ["string", "null"],
                        "minLength": 1,
                        "description": "App secret; required for confidential apps, null for "
                        "non-confidential ones.",
                    },
                    "confidential": {"type": "boolean"},
                    "scopes": {
                        "type": "array",
                        "items": {"type": "string", "pattern": "^\\S+$"},
                        "uniqueItems": True,
                        "description": "Scopes granted to the app.",
                    },
                    "robot_key": {
                        "type": "string",
                        "pattern": _GUID,
                        "description": "Emulator only: the app's tokens stand for the robot "
                        "whose LicenseKey this is (in the tenant a request names), as an "
                        "unattended robot's do.",
                    },
                },
            },
            "tenant": {
                "type": "object",
                "required": ["name", "id"],
                "additionalProperties": False,
                "properties": {
                    "name": _url_name("Tenant"),
                    "id": {"type": "string", "pattern": _GUID},
                    "entities": {
                        "type": "object",
                        "additionalProperties": False,
                        "properties": entities,
                        "description": "The tenant's records, one array per entity set.",
                    },
                    "next_ids": {
                        "type": "object",
                        "additionalProperties": False,
                        "properties": {
                            name: {"type": "integer", "minimum": 1, "maximum": _INT64_MAX}
                            for name in records
                        },
                        "description": "Per entity set, the Id the next created record gets; "
                        "defaults to one more than the highest Id.",
                    },
                },
            },
            **definitions,
        },
    }
