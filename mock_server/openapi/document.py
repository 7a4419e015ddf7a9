"""The OpenAPI 3.0 document of the emulator: Orchestrator from the registry, then Identity.

Orchestrator paths are relative to the server `{base}/{organization}/{tenant}/orchestrator_` as
in UiPath's own document; Identity paths carry their own server, the host root.
"""

from typing import Any

from uipath_emulator.mock_server.openapi.common import ref
from uipath_emulator.mock_server.openapi.entities import orchestrator_paths, orchestrator_schemas
from uipath_emulator.mock_server.openapi.identity import identity_paths, identity_schemas
from uipath_emulator.mock_server.orchestrator.entities.registry import Registry
from uipath_emulator.mock_server.orchestrator.odata.options import MAX_TOP
from uipath_emulator.mock_server.world.dotnet import NOT_BLANK_PATTERN

OPENAPI_VERSION = "3.0.3"
API_VERSION = "20.0"
_INT32_MAX = 2**31 - 1
_INT64 = {"minimum": -(2**63), "maximum": 2**63 - 1}


def build_document(
    registry: Registry, host_url: str, organization: str, tenant: str
) -> dict[str, Any]:
    """The OpenAPI 3.0 document for a client that reached the emulator at `host_url`.

    `organization` and `tenant` are the defaults of the Orchestrator server's variables.
    """
    base = host_url.rstrip("/")
    names = [entity_set.name for entity_set in registry]
    return {
        "openapi": OPENAPI_VERSION,
        "info": {
            "title": "UiPath Automation Cloud emulator: Orchestrator and Identity",
            "version": API_VERSION,
            "description": (
                "The operations uipath-cloud-emulator serves: Orchestrator's OData API "
                f"(UiPath.WebApi {API_VERSION}: {', '.join(names)}) and the Identity Server's "
                "token endpoint. **Authorize** with an external application's client id and "
                "secret (the well-known `full` app of the default world works), then "
                "**Try it out**."
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
            *(
                {"name": name, "description": f"Orchestrator {name} of one tenant"}
                for name in names
            ),
            {"name": "Identity", "description": "The Identity Server (OAuth 2.0)"},
        ],
        "paths": {**orchestrator_paths(registry), **identity_paths(base)},
        "components": _components(registry, base, organization),
    }


def _components(registry: Registry, base: str, organization: str) -> dict[str, Any]:
    scopes: dict[str, str] = {}
    for entity_set in registry:
        for spec_path in {
            *entity_set.operations.values(),
            *(a.spec_path for a in entity_set.actions),
        }:
            for method in ("GET", "POST", "PUT", "PATCH", "DELETE"):
                try:
                    for scope in entity_set.scopes(spec_path, method):
                        scopes.setdefault(scope, _scope_text(scope))
                except KeyError:
                    continue
    return {
        "schemas": {**orchestrator_schemas(registry), **_error_schemas(), **identity_schemas()},
        "parameters": _parameters(organization),
        "responses": _responses(),
        "securitySchemes": {
            "OAuth2": {
                "type": "oauth2",
                "description": "An external application's client credentials.",
                "flows": {
                    "clientCredentials": {
                        "tokenUrl": f"{base}/identity_/connect/token",
                        "scopes": dict(sorted(scopes.items())),
                    }
                },
            }
        },
    }


def _scope_text(scope: str) -> str:
    area, _, access = scope.removeprefix("OR.").partition(".")
    if access == "Read":
        return f"Read {area}"
    if access == "Write":
        return f"Create, edit and delete {area}"
    return f"Read and write {area}"


def _error_schemas() -> dict[str, Any]:
    return {
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
        "AbpErrorResult": {
            "type": "object",
            "description": (
                "ASP.NET Boilerplate's envelope: Orchestrator's answer to a token without the "
                "operation's scope."
            ),
            "required": ["message", "errorCode", "success", "error", "unAuthorizedRequest"],
            "properties": {
                "message": {"type": "string"},
                "errorCode": {"type": "integer", "format": "int32"},
                "result": {"nullable": True},
                "targetUrl": {"type": "string", "nullable": True},
                "success": {"type": "boolean"},
                "error": {
                    "type": "object",
                    "properties": {
                        "code": {"type": "integer", "format": "int32"},
                        "message": {"type": "string"},
                        "details": {"type": "string", "nullable": True},
                        "validationErrors": {"nullable": True},
                    },
                },
                "unAuthorizedRequest": {"type": "boolean"},
                "__abp": {"type": "boolean"},
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


def _text(name: str, description: str) -> dict[str, Any]:
    return _query(name, {"type": "string", "pattern": NOT_BLANK_PATTERN}, description)


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
            "description": "The entity's Id",
            "example": 1,
        },
        "expand": _text("$expand", "Navigation members to include."),
        "filter": _text("$filter", "Restricts the set of items, e.g. `Name eq 'x'`."),
        "select": _text("$select", "Members to return, e.g. `Id,Name`."),
        "orderby": _text("$orderby", "Order of the items, e.g. `Name desc`."),
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


def _error(description: str, schema: str = "ErrorResult", **extra: Any) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": ref(schema)}},
        **extra,
    }


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
        "Forbidden": _error(
            "The token holds none of the operation's scopes (ASP.NET Boilerplate's envelope).",
            "AbpErrorResult",
        ),
        "NotFound": _error(
            "Unknown organization, tenant or entity (errorCode 1002 for an entity)."
        ),
        "NotAcceptable": _error("The Accept header or `$format` admits no JSON."),
        "Conflict": _error("A unique member is already used (errorCode 1001)."),
        "Unavailable": _error("The emulator could not save the change; nothing was changed."),
        "OAuthError": {
            "description": "The token request is refused.",
            "content": {"application/json": {"schema": ref("OAuthErrorResult")}},
        },
    }
