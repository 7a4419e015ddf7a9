"""The Orchestrator part of the OpenAPI document, generated from the entity-set registry.

Each registered operation is documented under the spec's own path, `operationId`, summary and
description (which names its OAuth scopes and permissions). Parameters, bodies and answers are
the emulator's: its key type, the OData options it takes, the JSON its validation enforces and
the JSON it writes (members nullable as the overlays say), so that a generated request the
document allows is one the emulator accepts, and every answer matches its schema.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from uipath_emulator.mock_server.openapi.common import (
    json_content,
    parameter_ref,
    ref,
    response_ref,
)
from uipath_emulator.mock_server.openapi.schemas import convert_definitions, convert_schema
from uipath_emulator.mock_server.orchestrator.entities.input import input_type_name
from uipath_emulator.mock_server.orchestrator.entities.registry import (
    Action,
    EntitySet,
    Operation,
    Registry,
)
from uipath_emulator.mock_server.orchestrator.spec.subset import (
    FOLDER_HEADER,
    operation,
    operation_takes_folder,
)
from uipath_emulator.mock_server.world.dotnet import NOT_BLANK_PATTERN

_LIST_OPTIONS = ("expand", "filter", "select", "orderby", "top", "skip", "count")
_ENTITY_OPTIONS = ("expand", "select")
_ERRORS = {
    "400": response_ref("BadRequest"),
    "401": response_ref("Unauthorized"),
    "403": response_ref("Forbidden"),
    "404": response_ref("NotFound"),
    "406": response_ref("NotAcceptable"),
    "503": response_ref("Unavailable"),
}
_WRITE_ERRORS = {**_ERRORS, "409": response_ref("Conflict")}


def _names(entity_set: EntitySet) -> dict[str, str]:
    """Component names of a set's schemas, as UiPath's own document names them.

    When the spec sends and answers one type (`XDto`), the body sent is `XDtoInput`:
    it marks read-only members and lifts their bounds, which an answer keeps.
    """
    answered = entity_set.type.name
    sent = input_type_name(entity_set).rsplit(".", 1)[-1]
    return {
        "item": answered,
        "entity": f"{answered.removesuffix('Dto')}Entity",
        "list": f"ODataValueOfIEnumerableOf{answered}",
        "input": f"{sent}Input" if sent == answered else sent,
        "patch": f"{sent.removesuffix('Dto')}Patch",
    }


def set_schemas(entity_set: EntitySet) -> dict[str, Any]:
    """The components of one set: answered type, entity, list envelope, input, patch."""
    names = _names(entity_set)
    schema = entity_set.schema
    visible = {
        name: value
        for name, value in schema["properties"].items()
        if name not in entity_set.type.hidden
    }
    members = convert_schema({"properties": visible})["properties"]
    answered = copy.deepcopy(members)
    if not entity_set.type_annotation:
        answered.pop("@odata.type", None)
    sent = {name: copy.deepcopy(value) for name, value in members.items()}
    for name in entity_set.type.read_only | {"@odata.type"}:
        if name in sent:  # ignored when sent: no bound on its value is enforced
            sent[name]["readOnly"] = True
            for bound in ("minimum", "maximum", "format", "maxLength", "minLength"):
                sent[name].pop(bound, None)
    required = [
        name
        for name, prop in entity_set.type.visible.items()
        if not prop.nullable and name not in entity_set.type.read_only
    ]
    for name in required:
        if entity_set.type.properties[name].kind == "string":
            sent[name]["pattern"] = NOT_BLANK_PATTERN
    label = entity_set.label.lower()
    return {
        **convert_definitions(schema),
        names["input"]: {
            "type": "object",
            "description": f"A {label} as sent to create or replace one.",
            **({"required": required} if required else {}),
            "properties": sent,
            "additionalProperties": False,
        },
        names["patch"]: {
            "type": "object",
            "description": f"The members of a {label} to change.",
            "properties": copy.deepcopy(sent),
            "additionalProperties": False,
        },
        names["item"]: {
            "type": "object",
            "description": f"A {label} as answered; with `$select`, only the selected members.",
            "properties": answered,
            "additionalProperties": False,
        },
        names["entity"]: {
            "type": "object",
            "description": f"A single {label}, with its `@odata.context`.",
            "required": ["@odata.context"],
            "properties": {"@odata.context": {"type": "string"}, **copy.deepcopy(answered)},
            "additionalProperties": False,
        },
        names["list"]: {
            "type": "object",
            "required": ["@odata.context", "@odata.count", "value"],
            "properties": {
                "@odata.context": {"type": "string"},
                "@odata.count": {"type": "integer", "format": "int64", "minimum": 0},
                "value": {"type": "array", "items": ref(names["item"])},
            },
            "additionalProperties": False,
        },
    }


def _spec_texts(entity_set: EntitySet, spec_path: str, method: str) -> dict[str, Any]:
    try:
        found = operation(spec_path, method)
    except KeyError:  # an operation 20.0 lacks (`GetCurrentUserExtended`, a set of a test)
        last = spec_path.rstrip("/").rsplit("/", 1)[-1]
        if "." in last:  # a function: its own name, never a CRUD operation's id
            found = {"operationId": f"{entity_set.name}_{last.rsplit('.', 1)[-1]}"}
        else:
            by_key = "ById" if "{" in spec_path else ""
            found = {"operationId": f"{entity_set.name}_{method.title()}{by_key}"}
    texts: dict[str, Any] = {
        "tags": [entity_set.name],
        "summary": found.get("summary", ""),
        "operationId": found["operationId"],
    }
    description = found.get("description", "")
    extra = entity_set.extra_scopes.get(spec_path)
    if extra:
        description += f"\n\nThe emulator also accepts: {' or '.join(sorted(extra))}."
    if description:
        texts["description"] = description
    scopes = entity_set.scopes(spec_path, method)
    # no scope: OAuth scopes do not apply ("OAuth authentication is not supported"), a token
    # is still needed
    texts["security"] = [{"OAuth2": [scope]} for scope in sorted(scopes)] or [{"OAuth2": []}]
    return texts


def _body(name: str, example: dict[str, Any] | None = None) -> dict[str, Any]:
    content: dict[str, Any] = {"schema": ref(name)}
    if example is not None:
        content["example"] = example
    return {"required": True, "content": {"application/json": content}}


def set_paths(entity_set: EntitySet) -> dict[str, dict[str, Any]]:
    """The paths of one set: its CRUD operations and its actions."""
    names = _names(entity_set)
    collection = f"/odata/{entity_set.name}"
    entity = f"/odata/{entity_set.name}({{key}})"
    key = [parameter_ref("key")]
    paths: dict[str, dict[str, Any]] = {}
    example = entity_set.example
    documented: dict[Operation, tuple[str, dict[str, Any]]] = {
        Operation.LIST: (
            collection,
            {
                "parameters": [parameter_ref(option) for option in _LIST_OPTIONS],
                "responses": {"200": json_content(ref(names["list"]), "Success"), **_ERRORS},
            },
        ),
        Operation.CREATE: (
            collection,
            {
                "requestBody": _body(names["input"], example),
                "responses": {
                    "201": json_content(
                        ref(names["entity"]),
                        "Created",
                        headers={
                            "Location": {
                                "description": "The new entity's URL.",
                                "schema": {"type": "string"},
                            }
                        },
                    ),
                    **_WRITE_ERRORS,
                },
            },
        ),
        Operation.GET: (
            entity,
            {
                "parameters": key + [parameter_ref(option) for option in _ENTITY_OPTIONS],
                "responses": {"200": json_content(ref(names["entity"]), "Success"), **_ERRORS},
            },
        ),
        Operation.REPLACE: (
            entity,
            {
                "parameters": key,
                "requestBody": _body(names["input"], example),
                "responses": {
                    "200": json_content(ref(names["entity"]), "Success"),
                    **_WRITE_ERRORS,
                },
            },
        ),
        Operation.UPDATE: (
            entity,
            {
                "parameters": key,
                "requestBody": _body(names["patch"]),
                "responses": {
                    "200": json_content(ref(names["entity"]), "Success"),
                    **_WRITE_ERRORS,
                },
            },
        ),
        Operation.DELETE: (
            entity,
            {"parameters": key, "responses": {"204": {"description": "Deleted"}, **_ERRORS}},
        ),
    }
    for kind, (path, specific) in documented.items():
        spec_path = entity_set.operations.get(kind)
        if spec_path is None:
            continue
        texts = _spec_texts(entity_set, spec_path, kind.method)
        paths.setdefault(path, {})[kind.method.lower()] = {**texts, **specific}
    for kind, (path, _specific) in documented.items():
        spec_path = entity_set.operations.get(kind)
        if spec_path is not None and entity_set.folder_scoped:
            operation_object = paths[path][kind.method.lower()]
            optional = kind is Operation.LIST and entity_set.cross_folder_list
            operation_object["parameters"] = [
                *operation_object.get("parameters", []),
                *_folder_parameters(spec_path, kind.method, required=not optional),
            ]
    for action in entity_set.actions:
        path = action.rule(collection, entity).replace("<", "{").replace(">", "}")
        paths.setdefault(path, {})[action.method.lower()] = _action(entity_set, action, path)
    return paths


def _folder_parameters(
    spec_path: str, method: str, *, required: bool = True
) -> list[dict[str, Any]]:
    """The folder header, where the spec requires it (its other three forms are accepted too);
    optional on a listing that, without one, covers every folder the caller may use."""
    if not operation_takes_folder(spec_path, method):
        return []
    across = "" if required else " Without one, the listing covers every folder the caller may use."
    return [
        {
            "name": FOLDER_HEADER,
            "in": "header",
            "required": required,
            "description": "The folder's Id. X-UIPATH-FolderKey, X-UIPATH-FolderPath and "
            "X-UIPATH-FolderPath-Encoded are accepted instead." + across,
            "schema": {"type": "integer", "format": "int64"},
        }
    ]


def _action_parameters(action: Action, path: str) -> list[dict[str, Any]]:
    """Path parameters other than the key, and the query parameters the action documents."""
    parameters: list[dict[str, Any]] = []
    for name in re.findall(r"\{(\w+)\}", path):
        if name != "key":
            schema = {"type": "string", **({"format": "uuid"} if name == "identifier" else {})}
            parameters.append({"name": name, "in": "path", "required": True, "schema": schema})
    try:
        spec_parameters = operation(action.spec_path, action.method).get("parameters", [])
    except KeyError:
        spec_parameters = []
    for name, own in action.query.items():
        found = next((p for p in spec_parameters if p.get("name") == name), None)
        schema = copy.deepcopy(own or (found["schema"] if found else {"type": "string"}))
        parameters.append({"name": name, "in": "query", "required": False, "schema": schema})
    return parameters


def _action(entity_set: EntitySet, action: Action, path: str) -> dict[str, Any]:
    described: dict[str, Any] = _spec_texts(entity_set, action.spec_path, action.method)
    parameters = [parameter_ref("key")] if action.on_entity else []
    if action.lists:
        parameters += [parameter_ref(option) for option in _LIST_OPTIONS]
    parameters += _action_parameters(action, path)
    if entity_set.folder_scoped:
        across = action.lists and entity_set.cross_folder_list
        rules = action.rules_of or action.spec_path
        parameters += _folder_parameters(rules, action.method, required=not across)
    if parameters:
        described["parameters"] = parameters
    if action.request_schema is not None:
        described["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": copy.deepcopy(action.request_schema)}},
        }
    success: dict[str, Any] = {"description": "Done"}
    if action.lists:
        success = json_content(ref(_names(entity_set)["list"]), "Success")
    elif action.response_schema is not None:
        success = json_content(copy.deepcopy(action.response_schema), "Success")
    errors = _WRITE_ERRORS if action.writes else _ERRORS
    described["responses"] = {str(action.success_status): success, **errors}
    return described


def orchestrator_paths(registry: Registry) -> dict[str, dict[str, Any]]:
    """Every documented Orchestrator path, set by set in registration order."""
    paths: dict[str, dict[str, Any]] = {}
    for entity_set in registry:
        paths.update(set_paths(entity_set))
    return paths


def orchestrator_schemas(registry: Registry) -> dict[str, Any]:
    """Every set's components; a set's own schemas win over the same type reached from another
    set's members (one set's member may be of the type another set answers)."""
    owned = {name for entity_set in registry for name in _names(entity_set).values()}
    schemas: dict[str, Any] = {}
    for entity_set in registry:
        own = set(_names(entity_set).values())
        for name, schema in set_schemas(entity_set).items():
            if name in own or name not in owned:
                schemas[name] = schema
    return schemas
