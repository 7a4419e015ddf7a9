"""Validation of machine request bodies against the 20.0 MachineDto (our machine JSON Schema)."""

from collections.abc import Mapping
from functools import cache
from typing import Any

import jsonschema

from uipath_emulator.mock_server.jsonio import JSONBodyError, parse_json_body
from uipath_emulator.mock_server.orchestrator.errors import ApiError
from uipath_emulator.mock_server.resources import load_schema
from uipath_emulator.mock_server.world.dotnet import is_blank
from uipath_emulator.mock_server.world.loader import json_path
from uipath_emulator.mock_server.world.validation import strict_validator

INVALID_REQUEST_CODE = 1000
MACHINE_DTO = "UiPath.Server.Configuration.OData.MachineDto"
IGNORED_ON_INPUT = frozenset(
    {"@odata.type", "Id", "Key", "ClientSecret", "ServerlessLicensingModel", "UpdateInfo"}
)
"""Read-only members: a client that sends back an item it got is not refused for them."""

_JSON_TYPES = {
    "string": "a string",
    "integer": "an integer",
    "boolean": "true or false",
    "object": "an object",
    "array": "an array",
    "null": "null",
}


def bad_request(message: str) -> ApiError:
    """400 with errorCode 1000, Orchestrator's code for an invalid request or query."""
    return ApiError(400, message, INVALID_REQUEST_CODE)


@cache
def _validator() -> Any:
    return strict_validator(load_schema("machine"))


def parse_json_object(body: bytes) -> dict[str, Any]:
    """The request body as a JSON object; 400 naming the problem otherwise."""
    try:
        value = parse_json_body(body)
    except JSONBodyError as error:
        raise bad_request(str(error)) from None
    if not isinstance(value, dict):
        raise bad_request("The request body must be a JSON object describing a machine.")
    return value


def check_type_annotation(body: Mapping[str, Any]) -> None:
    """400 unless an `@odata.type` member, when sent, is a string, as ODL reads it."""
    annotation = body.get("@odata.type")
    if annotation is not None and not isinstance(annotation, str):
        raise bad_request("The value of the '@odata.type' annotation must be a string.")


def machine_fields(body: Mapping[str, Any]) -> dict[str, Any]:
    """The writable members of a machine body, checked against the MachineDto schema."""
    check_type_annotation(body)
    properties = load_schema("machine")["properties"]
    fields = {name: value for name, value in body.items() if name not in IGNORED_ON_INPUT}
    for name in fields:
        if name not in properties:
            raise bad_request(
                f"The property '{name}' does not exist on type '{MACHINE_DTO}'. "
                "Make sure to only use property names that are defined by the type."
            )
    check_machine(fields)
    return fields


def check_machine(fields: Mapping[str, Any]) -> None:
    """Raise 400 naming the first member that breaks the schema or has a blank `Name`."""
    problem = jsonschema.exceptions.best_match(_validator().iter_errors(dict(fields)))
    if problem is not None:
        raise bad_request(_describe(problem))
    if is_blank(fields["Name"]):
        raise bad_request("The Name field is required.")


def _describe(problem: jsonschema.ValidationError) -> str:
    where = json_path(problem.absolute_path)
    if problem.validator == "required":
        missing = problem.message.split("'")[1]
        prefix = "" if where == "(document)" else f"{where}."
        return f"The {prefix}{missing} field is required."
    if problem.validator == "type":
        expected = problem.validator_value
        names = [expected] if isinstance(expected, str) else expected
        wanted = " or ".join(_JSON_TYPES.get(name, name) for name in names)
        return f"The value of '{where}' must be {wanted}."
    if problem.validator == "enum":
        allowed = ", ".join(str(v) for v in problem.validator_value if v is not None)
        return f"The value of '{where}' must be one of: {allowed}; got {problem.instance!r}."
    if problem.validator == "maxLength":
        limit = problem.validator_value
        return f"The field {where} must be a string with a maximum length of {limit}."
    if problem.validator in ("minimum", "maximum"):
        return f"The value of '{where}' is out of range for its integer type."
    if problem.validator == "additionalProperties":
        return f"'{where}' has a property its type does not define: {problem.message}"
    return f"The value of '{where}' is invalid: {problem.message}"
