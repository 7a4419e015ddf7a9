"""Token request validation in IdentityServer's order: client authentication, grant, scopes."""

import base64
import hmac
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import unquote

from uipath_emulator.mock_server.identity.errors import (
    INVALID_CLIENT,
    INVALID_GRANT,
    INVALID_REQUEST,
    INVALID_SCOPE,
    UNAUTHORIZED_CLIENT,
    UNSUPPORTED_GRANT_TYPE,
    OAuthError,
)
from uipath_emulator.mock_server.world import App, Organization, World

CLIENT_CREDENTIALS = "client_credentials"
_STANDARD_GRANTS = frozenset(
    {
        "authorization_code",
        CLIENT_CREDENTIALS,
        "password",
        "refresh_token",
        "urn:ietf:params:oauth:grant-type:device_code",
        "urn:openid:params:grant-type:ciba",
    }
)
_IDENTITY_SCOPES = frozenset({"openid", "profile", "email", "offline_access"})


@dataclass(frozen=True)
class TokenGrant:
    """What a valid client-credentials request is granted."""

    app: App
    organization: Organization
    scopes: tuple[str, ...]


def grant_token(
    world: World,
    path_organization: Organization | None,
    fields: Mapping[str, str],
    authorization: str | None,
) -> TokenGrant:
    """Validate a token request; raises `OAuthError` with the code IdentityServer would send."""
    app = authenticate_client(world, path_organization, fields, authorization)
    grant_type = fields.get("grant_type")
    if grant_type is None or grant_type not in _STANDARD_GRANTS:
        raise OAuthError(UNSUPPORTED_GRANT_TYPE)
    if grant_type not in allowed_grants(app):
        raise OAuthError(UNAUTHORIZED_CLIENT)
    if grant_type != CLIENT_CREDENTIALS:
        # As IdentityServer: a refresh_token request without the token is malformed; a code or
        # a refresh token that is sent is not one this emulator issued.
        if grant_type == "refresh_token" and not fields.get("refresh_token"):
            raise OAuthError(INVALID_REQUEST)
        raise OAuthError(INVALID_GRANT)
    scopes = granted_scopes(app, fields.get("scope", ""))
    return TokenGrant(app=app, organization=world.organization_of(app), scopes=scopes)


def allowed_grants(app: App) -> frozenset[str]:
    """Confidential apps with application scopes use client credentials; the others user flows."""
    if app.confidential:
        return frozenset({CLIENT_CREDENTIALS})
    return frozenset({"authorization_code", "refresh_token"})


def authenticate_client(
    world: World,
    path_organization: Organization | None,
    fields: Mapping[str, str],
    authorization: str | None,
) -> App:
    """The app whose credentials came with the request (HTTP Basic first, then the form body).

    Every failure is the same `invalid_client`, so a caller cannot tell an unknown app from a
    wrong secret. An app of another organization than the one in the URL is unknown there.
    """
    client_id, secret = _basic_credentials(authorization) or (
        fields.get("client_id"),
        fields.get("client_secret"),
    )
    if client_id is None:
        raise OAuthError(INVALID_CLIENT)
    app = world.find_app(client_id)
    if app is None or (
        path_organization is not None and app.organization_id != path_organization.id
    ):
        raise OAuthError(INVALID_CLIENT)
    if app.confidential and not _secret_matches(app, secret):
        raise OAuthError(INVALID_CLIENT)
    return app


def _secret_matches(app: App, secret: str | None) -> bool:
    expected = (app.client_secret or "").encode("utf-8")
    return hmac.compare_digest(expected, (secret or "").encode("utf-8")) and secret is not None


def _basic_credentials(authorization: str | None) -> tuple[str, str] | None:
    """`(client_id, secret)` from `Basic base64(urlencode(id):urlencode(secret))`, if well-formed"""
    if authorization is None:
        return None
    scheme, _, encoded = authorization.strip().partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except ValueError:  # binascii.Error, UnicodeDecodeError, non-ASCII text: all ValueErrors
        return None
    client_id, colon, secret = decoded.partition(":")
    if not colon or not client_id:
        return None
    return unquote(client_id), unquote(secret)


DEFAULT_SCOPE = "OR.Default"
"""Any confidential app may ask for it, configured or not (verified live: UiPath/skills #2586)."""


def granted_scopes(app: App, requested: str) -> tuple[str, ...]:
    """The scopes to grant: all of the app's when none are asked, else exactly those asked."""
    asked = list(dict.fromkeys(requested.split()))
    if not asked:
        if not app.scopes:
            raise OAuthError(INVALID_SCOPE)
        return app.scopes
    for scope in asked:
        if scope == DEFAULT_SCOPE and app.confidential:
            continue
        if scope in _IDENTITY_SCOPES or scope not in app.scopes:
            raise OAuthError(INVALID_SCOPE)
    return tuple(asked)
