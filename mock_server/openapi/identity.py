"""The Identity Server's part of the OpenAPI document: token endpoint, discovery, JWKS.

Each path exists twice, as UiPath serves it: under the host root (`/identity_/...`, what UiPath's
SDK calls) and under an organization (`/{organization}/identity_/...`, what the guide shows).
Identity paths carry their own server, the host root.
"""

from typing import Any

from uipath_emulator.mock_server.identity.errors import (
    INVALID_CLIENT,
    INVALID_GRANT,
    INVALID_REQUEST,
    INVALID_SCOPE,
    UNAUTHORIZED_CLIENT,
    UNSUPPORTED_GRANT_TYPE,
)
from uipath_emulator.mock_server.openapi.common import json_content, ref, response_ref

OAUTH_ERROR_CODES = [
    INVALID_REQUEST,
    INVALID_CLIENT,
    UNSUPPORTED_GRANT_TYPE,
    UNAUTHORIZED_CLIENT,
    INVALID_GRANT,
    INVALID_SCOPE,
]
TOKEN_PATH = "/identity_/connect/token"  # noqa: S105 - a URL path, not a secret
DISCOVERY_PATH = "/identity_/.well-known/openid-configuration"
JWKS_PATH = "/identity_/.well-known/openid-configuration/jwks"
_REFUSED_METHODS = ("GET", "PUT", "PATCH", "DELETE")
"""The token route takes these only to answer `invalid_request`, as IdentityServer does."""


def _token_post() -> dict[str, Any]:
    return {
        "summary": "Requests an access token (client credentials).",
        "operationId": "Token_Post",
        "description": (
            "Client authentication in the form (`client_secret_post`, what UiPath's clients "
            "use) or with HTTP Basic. An empty or missing `scope` grants every scope of the "
            "app. Other methods than POST, and bodies that are not "
            "`application/x-www-form-urlencoded`, get `invalid_request`."
        ),
        "requestBody": {
            "required": True,
            "content": {"application/x-www-form-urlencoded": {"schema": ref("TokenRequest")}},
        },
        "responses": {
            "200": json_content(
                ref("TokenResponse"),
                "The access token (a JWT for the `UiPath.Orchestrator` audience).",
                headers={
                    "Cache-Control": {"schema": {"type": "string"}},
                    "Pragma": {"schema": {"type": "string"}},
                },
            ),
            "400": response_ref("OAuthError"),
        },
    }


def _refused(method: str) -> dict[str, Any]:
    return {
        "summary": "Not a token request: answered `invalid_request`, as IdentityServer does.",
        "operationId": f"Token_{method.capitalize()}",
        "description": "Only POST with a form body requests a token.",
        "responses": {"400": response_ref("OAuthError")},
    }


def _get(operation_id: str, summary: str, schema: str) -> dict[str, Any]:
    return {
        "summary": summary,
        "operationId": operation_id,
        "responses": {"200": json_content(ref(schema), "Success")},
    }


def identity_paths(base: str) -> dict[str, dict[str, Any]]:
    """The Identity paths, each with and without the organization in front."""
    server = [{"url": base, "description": "The Identity Server's host"}]
    token = {"post": _token_post(), **{m.lower(): _refused(m) for m in _REFUSED_METHODS}}
    operations = {
        TOKEN_PATH: token,
        DISCOVERY_PATH: {
            "get": _get(
                "Discovery_Get", "The OpenID Connect discovery document.", "DiscoveryDocument"
            )
        },
        JWKS_PATH: {
            "get": _get(
                "Jwks_Get", "The JSON Web Key Set that verifies access tokens.", "JsonWebKeySet"
            )
        },
    }
    paths: dict[str, dict[str, Any]] = {}
    for path, methods in operations.items():
        for in_organization in (False, True):
            item: dict[str, Any] = {"servers": server}
            for method, operation in methods.items():
                documented = {**operation, "tags": ["Identity"], "security": []}
                if in_organization:
                    documented["operationId"] += "ForOrganization"
                    documented["parameters"] = [{"$ref": "#/components/parameters/organization"}]
                    documented["responses"] = {
                        **operation["responses"],
                        "404": response_ref("NotFound"),
                    }
                item[method] = documented
            paths[f"/{{organization}}{path}" if in_organization else path] = item
    return paths


def identity_schemas() -> dict[str, Any]:
    """The schemas the Identity operations refer to."""
    return {
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
                            name: {"type": "string"}
                            for name in ("kty", "kid", "use", "alg", "n", "e")
                        },
                    },
                }
            },
        },
    }
