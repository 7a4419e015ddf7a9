"""The OpenAPI 3.0 document of the emulator, generated from its route table and machine schema.

Paths and methods come from the Flask app's `url_map` (the Identity and Orchestrator
blueprints), bodies from `load_schema("machine")`, scopes from the routes' own scope sets, and the
operation texts from `OPERATIONS`, keyed by endpoint and method. A route without an entry there is
left out; `tests/openapi/test_document.py` fails on it, so the document cannot drift from the
routes. Orchestrator paths are relative to the server `{base}/{organization}/{tenant}/orchestrator_`
as in UiPath's own document; Identity paths carry their own server, the host root.
"""

import copy
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from werkzeug.routing import Map, Rule

from uipath_emulator.mock_server.identity.errors import (
    INVALID_CLIENT,
    INVALID_GRANT,
    INVALID_REQUEST,
    INVALID_SCOPE,
    UNAUTHORIZED_CLIENT,
    UNSUPPORTED_GRANT_TYPE,
)
from uipath_emulator.mock_server.openapi.schemas import (
    COMPONENTS,
    convert_definitions,
    convert_schema,
)
from uipath_emulator.mock_server.orchestrator.auth import READ_SCOPES, WRITE_SCOPES
from uipath_emulator.mock_server.orchestrator.machine_input import IGNORED_ON_INPUT
from uipath_emulator.mock_server.orchestrator.odata.options import MAX_TOP
from uipath_emulator.mock_server.orchestrator.odata.selection import EXPANDABLE
from uipath_emulator.mock_server.resources import load_schema
from uipath_emulator.mock_server.world.dotnet import NOT_BLANK_PATTERN

OPENAPI_VERSION = "3.0.3"
API_VERSION = "20.0"
DOCUMENTED_BLUEPRINTS = ("orchestrator", "identity")
"""The blueprints whose routes the document describes, in the document's order."""
ORCHESTRATOR_PREFIX = "/<organization>/<tenant>/orchestrator_"
_AUTOMATIC_METHODS = frozenset({"HEAD", "OPTIONS"})
_METHOD_ORDER = ("GET", "POST", "PUT", "PATCH", "DELETE")
_BLUEPRINT_ORDER = {name: index for index, name in enumerate(DOCUMENTED_BLUEPRINTS)}
_RULE_ARGUMENT = re.compile(r"<(?:[a-z_]+(?:\([^)]*\))?:)?([A-Za-z_][A-Za-z0-9_]*)>")
_INT32_MAX = 2**31 - 1
_INT64 = {"minimum": -(2**63), "maximum": 2**63 - 1}
OAUTH_ERROR_CODES = [
    INVALID_REQUEST,
    INVALID_CLIENT,
    UNSUPPORTED_GRANT_TYPE,
    UNAUTHORIZED_CLIENT,
    INVALID_GRANT,
    INVALID_SCOPE,
]


@dataclass(frozen=True)
class Operation:
    """How one (endpoint, method) of the route table is documented."""

    operation_id: str
    summary: str
    tag: str
    responses: dict[str, Any]
    description: str = ""
    parameters: list[dict[str, Any]] = field(default_factory=list)
    request_body: dict[str, Any] | None = None
    scopes: frozenset[str] | None = None
    """OAuth scopes of which any one grants access; None for an unauthenticated operation."""


def _ref(name: str) -> dict[str, str]:
    return {"$ref": COMPONENTS + name}


def _response(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/responses/{name}"}


def _parameter(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/parameters/{name}"}


def _json(schema: dict[str, Any], description: str, **extra: Any) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": schema}},
        **extra,
    }


_MACHINE_ERRORS = {
    "400": _response("BadRequest"),
    "401": _response("Unauthorized"),
    "403": _response("Forbidden"),
    "404": _response("NotFound"),
    "406": _response("NotAcceptable"),
}
_WRITE_ERRORS = {**_MACHINE_ERRORS, "409": _response("Conflict")}
_MACHINE_BODY = {
    "required": True,
    "content": {
        "application/json": {
            "schema": _ref("MachineDto"),
            "example": {
                "Name": "SWAGGER-AGENT-01",
                "Description": "Created from Swagger UI",
                "Type": "Standard",
                "Scope": "Default",
                "UnattendedSlots": 1,
            },
        }
    },
}
_TOKEN_RESPONSES = {
    "200": _json(
        _ref("TokenResponse"),
        "The access token (a JWT for the `UiPath.Orchestrator` audience).",
        headers={
            "Cache-Control": {"schema": {"type": "string"}},
            "Pragma": {"schema": {"type": "string"}},
        },
    ),
    "400": _response("OAuthError"),
}


NOT_BLANK = NOT_BLANK_PATTERN
"""Text the emulator refuses when empty or only whitespace (as .NET trims it)."""


def _scopes_text(scopes: frozenset[str]) -> str:
    return f"OAuth required scopes: {' or '.join(sorted(scopes))}."


OPERATIONS: dict[tuple[str, str], Operation] = {
    ("orchestrator.list_machines", "GET"): Operation(
        "Machines_Get",
        "Gets machines.",
        "Machines",
        {
            "200": _json(_ref("ODataValueOfIEnumerableOfExtendedMachineDto"), "Success"),
            **_MACHINE_ERRORS,
        },
        description=(
            "OData query options filter, order, page and project the tenant's machines. "
            f"At most {MAX_TOP} machines per page; `@odata.count` is the number matching "
            "`$filter`."
        ),
        parameters=[
            _parameter(name) for name in ("expand", "filter", "select", "orderby", "top", "skip")
        ]
        + [_parameter("count")],
        scopes=READ_SCOPES,
    ),
    ("orchestrator.get_machine", "GET"): Operation(
        "Machines_GetById",
        "Gets a single machine based on its id.",
        "Machines",
        {"200": _json(_ref("ExtendedMachineEntity"), "Success"), **_MACHINE_ERRORS},
        parameters=[_parameter("key"), _parameter("expand"), _parameter("select")],
        scopes=READ_SCOPES,
    ),
    ("orchestrator.create_machine", "POST"): Operation(
        "Machines_Post",
        "Creates a machine.",
        "Machines",
        {
            "201": _json(
                _ref("ExtendedMachineEntity"),
                "Created; `ClientSecret` is returned only here.",
                headers={
                    "Location": {
                        "description": "The new machine's URL.",
                        "schema": {"type": "string"},
                    }
                },
            ),
            **_WRITE_ERRORS,
        },
        description="Members `Id`, `Key`, `ClientSecret` and the annotations are read-only.",
        request_body=_MACHINE_BODY,
        scopes=WRITE_SCOPES,
    ),
    ("orchestrator.update_machine", "PUT"): Operation(
        "Machines_PutById",
        "Edits a machine.",
        "Machines",
        {"200": _json(_ref("ExtendedMachineEntity"), "Success"), **_WRITE_ERRORS},
        description="Replaces every writable member; members not sent get their defaults.",
        parameters=[_parameter("key")],
        request_body=_MACHINE_BODY,
        scopes=WRITE_SCOPES,
    ),
    ("orchestrator.update_machine", "PATCH"): Operation(
        "Machines_PatchById",
        "Partially updates a machine.",
        "Machines",
        {"200": _json(_ref("ExtendedMachineEntity"), "Success"), **_WRITE_ERRORS},
        description="Changes only the members sent.",
        parameters=[_parameter("key")],
        request_body={
            "required": True,
            "content": {
                "application/json": {
                    "schema": _ref("MachinePatch"),
                    "example": {"Description": "Patched from Swagger UI"},
                }
            },
        },
        scopes=WRITE_SCOPES,
    ),
    ("orchestrator.delete_machine", "DELETE"): Operation(
        "Machines_DeleteById",
        "Deletes a machine based on its key.",
        "Machines",
        {"204": {"description": "Deleted"}, **_MACHINE_ERRORS},
        parameters=[_parameter("key")],
        scopes=WRITE_SCOPES,
    ),
    ("orchestrator.delete_machines", "POST"): Operation(
        "Machines_DeleteBulk",
        "Deletes multiple machines based on their keys.",
        "Machines",
        {"204": {"description": "Deleted"}, **_MACHINE_ERRORS},
        description="All or nothing: an unknown id deletes none and answers 404.",
        request_body={
            "required": True,
            "content": {
                "application/json": {
                    "schema": _ref("MachinesDeleteBulkRequest"),
                    "example": {"machineIds": [1, 2]},
                }
            },
        },
        scopes=WRITE_SCOPES,
    ),
    # The token route also takes GET, PUT, PATCH and DELETE, only to answer them
    # `invalid_request` as IdentityServer does; they are documented so below.
    ("identity.token", "POST"): Operation(
        "Token_Post",
        "Requests an access token (client credentials).",
        "Identity",
        _TOKEN_RESPONSES,
        description=(
            "Client authentication in the form (`client_secret_post`, what UiPath's clients "
            "use) or with HTTP Basic. An empty or missing `scope` grants every scope of the "
            "app. Other methods than POST, and bodies that are not "
            "`application/x-www-form-urlencoded`, get `invalid_request`."
        ),
        request_body={
            "required": True,
            "content": {"application/x-www-form-urlencoded": {"schema": _ref("TokenRequest")}},
        },
    ),
    **{
        ("identity.token", method): Operation(
            f"Token_{method.capitalize()}",
            "Not a token request: answered `invalid_request`, as IdentityServer does.",
            "Identity",
            {"400": _response("OAuthError")},
            description="Only POST with a form body requests a token.",
        )
        for method in ("GET", "PUT", "PATCH", "DELETE")
    },
    ("identity.discovery", "GET"): Operation(
        "Discovery_Get",
        "The OpenID Connect discovery document.",
        "Identity",
        {"200": _json(_ref("DiscoveryDocument"), "Success")},
    ),
    ("identity.jwks", "GET"): Operation(
        "Jwks_Get",
        "The JSON Web Key Set that verifies access tokens.",
        "Identity",
        {"200": _json(_ref("JsonWebKeySet"), "Success")},
    ),
}


def _is_orchestrator(rule: Rule) -> bool:
    return rule.rule.startswith(ORCHESTRATOR_PREFIX + "/")


def _rule_order(rule: Rule) -> tuple[int, int, bool, str]:
    """Orchestrator, then Identity; within each, the order of `OPERATIONS`."""
    keys = list(OPERATIONS)
    places = [
        keys.index((rule.endpoint, m))
        for m in rule.methods or ()
        if (rule.endpoint, m) in OPERATIONS
    ]
    return (
        _BLUEPRINT_ORDER[rule.endpoint.partition(".")[0]],
        min(places, default=len(keys)),
        "organization" in rule.arguments,
        rule.rule,
    )


def openapi_path(rule: Rule) -> str:
    """The document's path of a route: `<key>` as `{key}`, Orchestrator's prefix dropped."""
    text = rule.rule
    if _is_orchestrator(rule):
        text = text.removeprefix(ORCHESTRATOR_PREFIX)
    return _RULE_ARGUMENT.sub(r"{\1}", text)


def documented_routes(url_map: Map) -> Iterator[tuple[Rule, str, Operation]]:
    """Each (rule, method) of the Identity and Orchestrator blueprints that has an operation."""
    rules = [r for r in url_map.iter_rules() if r.endpoint.partition(".")[0] in _BLUEPRINT_ORDER]
    for rule in sorted(rules, key=_rule_order):
        for method in sorted((rule.methods or set()) - _AUTOMATIC_METHODS, key=_METHOD_ORDER.index):
            operation = OPERATIONS.get((rule.endpoint, method))
            if operation is not None:
                yield rule, method, operation


def build_document(url_map: Map, host_url: str, organization: str, tenant: str) -> dict[str, Any]:
    """The OpenAPI 3.0 document for a client that reached the emulator at `host_url`.

    `organization` and `tenant` are the defaults of the Orchestrator server's variables.
    """
    base = host_url.rstrip("/")
    paths: dict[str, dict[str, Any]] = {}
    for rule, method, operation in documented_routes(url_map):
        path = openapi_path(rule)
        item = paths.setdefault(path, {})
        suffix = ""
        if not _is_orchestrator(rule):
            item["servers"] = [{"url": base, "description": "The Identity Server's host"}]
            suffix = "ForOrganization" if "organization" in rule.arguments else ""
        item[method.lower()] = _operation_object(operation, suffix, rule)
    return {
        "openapi": OPENAPI_VERSION,
        "info": {
            "title": "UiPath Automation Cloud emulator: Orchestrator Machines and Identity",
            "version": API_VERSION,
            "description": (
                "The routes of uipath-cloud-emulator: Orchestrator's OData Machines API "
                f"(UiPath.WebApi {API_VERSION}) and the Identity Server's token endpoint. "
                "**Authorize** with an external application's client id and secret (the "
                "well-known `full` app of the default world works), then **Try it out**."
            ),
        },
        "servers": [
            {
                "url": f"{base}/{{organization}}/{{tenant}}/orchestrator_",
                "description": "Orchestrator of one tenant",
                "variables": {
                    "organization": {
                        "default": organization,
                        "description": "The organization name (or id)",
                    },
                    "tenant": {"default": tenant, "description": "The tenant name (or id)"},
                },
            }
        ],
        "tags": [
            {"name": "Machines", "description": "Orchestrator machines of one tenant"},
            {"name": "Identity", "description": "The Identity Server (OAuth 2.0)"},
        ],
        "paths": paths,
        "components": _components(base, organization),
    }


def _operation_object(operation: Operation, suffix: str, rule: Rule) -> dict[str, Any]:
    description = operation.description
    if operation.scopes is not None:
        description = f"{_scopes_text(operation.scopes)}\n\n{description}".strip()
    result: dict[str, Any] = {
        "tags": [operation.tag],
        "summary": operation.summary,
        "operationId": operation.operation_id + suffix,
    }
    if description:
        result["description"] = description
    parameters = list(operation.parameters)
    if suffix:
        parameters.insert(0, _parameter("organization"))
    if parameters:
        result["parameters"] = parameters
    if operation.request_body is not None:
        result["requestBody"] = operation.request_body
    responses = dict(operation.responses)
    if "organization" in rule.arguments:
        responses.setdefault("404", _response("NotFound"))
    result["responses"] = responses
    if operation.scopes is None:
        result["security"] = []
    else:
        result["security"] = [{"OAuth2": [scope]} for scope in sorted(operation.scopes)]
    return result


def _components(base: str, organization: str) -> dict[str, Any]:
    return {
        "schemas": _schemas(),
        "parameters": _parameters(organization),
        "responses": _responses(),
        "securitySchemes": {
            "OAuth2": {
                "type": "oauth2",
                "description": "An external application's client credentials.",
                "flows": {
                    "clientCredentials": {
                        "tokenUrl": f"{base}/identity_/connect/token",
                        "scopes": {
                            "OR.Machines": "Read and write machines",
                            "OR.Machines.Read": "Read machines",
                            "OR.Machines.Write": "Create, edit and delete machines",
                        },
                    }
                },
            }
        },
    }


def _schemas() -> dict[str, Any]:
    machine = load_schema("machine")
    members = convert_schema({"properties": machine["properties"]})["properties"]
    request_members = copy.deepcopy(members)
    for name in IGNORED_ON_INPUT:
        request_members[name]["readOnly"] = True
    request_members["Name"]["pattern"] = NOT_BLANK
    response_members = copy.deepcopy(members)
    return {
        **convert_definitions(machine),
        "MachineDto": {
            "type": "object",
            "description": "A machine as sent to create or replace one.",
            "required": list(machine["required"]),
            "properties": request_members,
            "additionalProperties": False,
        },
        "MachinePatch": {
            "type": "object",
            "description": "The members of a machine to change.",
            "properties": copy.deepcopy(request_members),
            "additionalProperties": False,
        },
        "ExtendedMachineDto": {
            "type": "object",
            "description": (
                "A machine as answered; with `$select`, only the selected members are present."
            ),
            "properties": response_members,
            "additionalProperties": False,
        },
        "ExtendedMachineEntity": {
            "type": "object",
            "description": "A single machine, with its `@odata.context`.",
            "required": ["@odata.context"],
            "properties": {"@odata.context": {"type": "string"}, **copy.deepcopy(members)},
            "additionalProperties": False,
        },
        "ODataValueOfIEnumerableOfExtendedMachineDto": {
            "type": "object",
            "required": ["@odata.context", "@odata.count", "value"],
            "properties": {
                "@odata.context": {"type": "string"},
                "@odata.count": {"type": "integer", "format": "int64", "minimum": 0},
                "value": {"type": "array", "items": _ref("ExtendedMachineDto")},
            },
            "additionalProperties": False,
        },
        "MachinesDeleteBulkRequest": {
            "type": "object",
            "required": ["machineIds"],
            "properties": {
                "machineIds": {
                    "type": "array",
                    "minItems": 1,
                    "items": {"type": "integer", "format": "int64", **_INT64},
                },
                "@odata.type": {"type": "string"},
            },
            "additionalProperties": False,
        },
        "ErrorResult": {
            "type": "object",
            "description": "Orchestrator's error.",
            "required": ["message", "errorCode", "traceId"],
            "properties": {
                "message": {"type": "string"},
                "errorCode": {"type": "integer", "format": "int32"},
                "traceId": {
                    "type": "string",
                    "pattern": "^00-[0-9a-f]{32}-[0-9a-f]{16}-00$",
                    "description": "W3C traceparent form",
                },
            },
        },
        "OAuthErrorResult": {
            "type": "object",
            "description": "The Identity Server's error (RFC 6749 section 5.2).",
            "required": ["error"],
            "properties": {
                "error": {"type": "string", "enum": OAUTH_ERROR_CODES},
                "error_description": {"type": "string"},
            },
            "additionalProperties": False,
        },
        "TokenRequest": {
            "type": "object",
            "required": ["grant_type", "client_id"],
            "properties": {
                "grant_type": {"type": "string", "enum": ["client_credentials"]},
                "client_id": {"type": "string", "minLength": 1},
                "client_secret": {"type": "string", "format": "password"},
                "scope": {
                    "type": "string",
                    "description": "Space-separated; empty for every scope of the app.",
                },
            },
        },
        "TokenResponse": {
            "type": "object",
            "required": ["access_token", "expires_in", "token_type", "scope"],
            "properties": {
                "access_token": {"type": "string"},
                "expires_in": {"type": "integer", "format": "int32", "minimum": 1},
                "token_type": {"type": "string", "enum": ["Bearer"]},
                "scope": {"type": "string"},
            },
            "additionalProperties": False,
        },
        "DiscoveryDocument": {
            "type": "object",
            "required": ["issuer", "jwks_uri", "token_endpoint"],
            "properties": {
                "issuer": {"type": "string"},
                "jwks_uri": {"type": "string"},
                "token_endpoint": {"type": "string"},
                "scopes_supported": {"type": "array", "items": {"type": "string"}},
                "grant_types_supported": {"type": "array", "items": {"type": "string"}},
            },
        },
        "JsonWebKeySet": {
            "type": "object",
            "required": ["keys"],
            "properties": {
                "keys": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["kty"],
                        "properties": {
                            "kty": {"type": "string"},
                            "kid": {"type": "string"},
                            "use": {"type": "string"},
                            "alg": {"type": "string"},
                            "n": {"type": "string"},
                            "e": {"type": "string"},
                        },
                    },
                }
            },
        },
    }


def _query(name: str, schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "schema": schema,
        "description": description,
    }


def _parameters(organization: str) -> dict[str, Any]:
    return {
        "organization": {
            "name": "organization",
            "in": "path",
            "required": True,
            "schema": {"type": "string"},
            "description": "The organization name (or id)",
            "example": organization,
        },
        "key": {
            "name": "key",
            "in": "path",
            "required": True,
            "schema": {"type": "integer", "format": "int64", **_INT64},
            "description": "The machine's Id",
            "example": 1,
        },
        "expand": _query(
            "$expand",
            {"type": "string", "pattern": NOT_BLANK},
            f"Navigation members to include, of: {', '.join(EXPANDABLE)}.",
        ),
        "filter": _query(
            "$filter",
            {"type": "string", "pattern": NOT_BLANK},
            "Restricts the set of items, e.g. `Type eq 'Template'`.",
        ),
        "select": _query(
            "$select",
            {"type": "string", "pattern": NOT_BLANK},
            "Members to return, e.g. `Id,Name`.",
        ),
        "orderby": _query(
            "$orderby",
            {"type": "string", "pattern": NOT_BLANK},
            "Order of the items, e.g. `Name desc`.",
        ),
        "top": _query(
            "$top",
            {"type": "integer", "format": "int32", "minimum": 0, "maximum": MAX_TOP},
            f"Returns only the first n items (at most {MAX_TOP}).",
        ),
        "skip": _query(
            "$skip",
            {"type": "integer", "format": "int32", "minimum": 0, "maximum": _INT32_MAX},
            "Skips the first n items.",
        ),
        "count": _query("$count", {"type": "boolean"}, "Includes a count of the matching items."),
    }


def _error(description: str, **extra: Any) -> dict[str, Any]:
    return _json(_ref("ErrorResult"), description, **extra)


def _responses() -> dict[str, Any]:
    return {
        "BadRequest": _error("Invalid query option, key or body (errorCode 1000)."),
        "Unauthorized": _error(
            "Missing, expired, forged or other-organization token (errorCode 0).",
            headers={
                "WWW-Authenticate": {
                    "description": 'Bearer, with `error="invalid_token"` for a refused token',
                    "schema": {"type": "string"},
                }
            },
        ),
        "Forbidden": _error("The token holds none of the operation's scopes (errorCode 0)."),
        "NotFound": _error(
            "Unknown organization, tenant or machine (errorCode 1002 for a machine)."
        ),
        "NotAcceptable": _error("The Accept header or `$format` admits no JSON."),
        "Conflict": _error("The machine name is already used (errorCode 1001)."),
        "OAuthError": _json(_ref("OAuthErrorResult"), "The token request is refused."),
    }
