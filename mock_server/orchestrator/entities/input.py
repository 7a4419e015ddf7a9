"""Write validation: a request body checked against the entity set's input type.

Read-only members (the overlay's, and the spec's `readOnly` ones) and `@odata.type` are ignored,
so a client that sends back an item it got is not refused for them. Every other member must be
declared by the type; values must match the set's JSON Schema; a required string that .NET
trims to nothing counts as missing (`[Required]`).
"""

from collections.abc import Mapping
from typing import Any

from uipath_emulator.mock_server.jsonio import JSONBodyError, parse_json_body
from uipath_emulator.mock_server.orchestrator.entities.registry import EntitySet
from uipath_emulator.mock_server.orchestrator.entities.types import NAMESPACE
from uipath_emulator.mock_server.orchestrator.entities.validation import Problem, describe
from uipath_emulator.mock_server.orchestrator.errors import bad_request
from uipath_emulator.mock_server.world.dotnet import is_blank
from uipath_emulator.mock_server.world.loader import json_path

_JSON_TYPES = {
    "string": "a string",
    "integer": "an integer",
    "boolean": "true or false",
    "object": "an object",
    "array": "an array",
    "null": "null",
}


def input_type_name(entity_set: EntitySet) -> str:
    """The spec's name of what clients send, e.g. `UiPath.Server.Configuration.OData.TagDto`."""
    name = entity_set.facts.get("input_type", entity_set.type.name)
    return f"{NAMESPACE}.{name}"


def parse_json_object(body: bytes, what: str = "an entity") -> dict[str, Any]:
    """The request body as a JSON object; 400 naming the problem otherwise."""
    try:
        value = parse_json_body(body)
    except JSONBodyError as error:
        raise bad_request(str(error)) from None
    if not isinstance(value, dict):
        raise bad_request(f"The request body must be a JSON object describing {what}.")
    return value


def check_type_annotation(body: Mapping[str, Any]) -> None:
    """400 unless an `@odata.type` member, when sent, is a string, as ODL reads it."""
    annotation = body.get("@odata.type")
    if annotation is not None and not isinstance(annotation, str):
        raise bad_request("The value of the '@odata.type' annotation must be a string.")


def entity_fields(entity_set: EntitySet, body: Mapping[str, Any]) -> dict[str, Any]:
    """The writable members of a body, checked against the set's schema."""
    check_type_annotation(body)
    entity_type = entity_set.type
    ignored = (entity_type.read_only - entity_type.hidden) | {"@odata.type"}
    properties = entity_type.visible
    fields = {name: value for name, value in body.items() if name not in ignored}
    for name in fields:
        if name not in properties:
            raise bad_request(
                f"The property '{name}' does not exist on type '{input_type_name(entity_set)}'. "
                "Make sure to only use property names that are defined by the type."
            )
    check_fields(entity_set, fields)
    return fields


def check_fields(entity_set: EntitySet, fields: Mapping[str, Any]) -> None:
    """Raise 400 naming the first member that breaks the type or is a blank required text."""
    problem = entity_set.check(dict(fields))
    if problem is not None:
        raise bad_request(api_message(problem))
    for name, prop in entity_set.type.properties.items():
        value = fields.get(name)
        required_text = not prop.nullable and prop.kind == "string"
        if required_text and isinstance(value, str) and is_blank(value):
            raise bad_request(f"The {name} field is required.")


def api_message(problem: Problem) -> str:
    """A validation problem as Orchestrator's 400 message names it."""
    where = json_path(problem.path)
    kind = problem.kind
    if kind == "required":
        prefix = "" if not problem.path else f"{where}."
        return f"The {prefix}{problem.expected} field is required."
    if kind == "type":
        wanted = " or ".join(_JSON_TYPES.get(name, name) for name in problem.expected)
        return f"The value of '{where}' must be {wanted}."
    if kind == "enum":
        allowed = ", ".join(str(value) for value in problem.expected)
        return f"The value of '{where}' must be one of: {allowed}; got {problem.value!r}."
    if kind == "maxLength":
        return f"The field {where} must be a string with a maximum length of {problem.expected}."
    if kind == "range":
        return f"The value of '{where}' is out of range for its integer type."
    if kind == "unknown":
        owner = json_path(problem.path[:-1])
        return (
            f"'{owner}' has a property its type does not define: Additional properties are not "
            f"allowed ({problem.value!r} was unexpected)"
        )
    return f"The value of '{where}' is invalid: {describe(problem, where)}"
