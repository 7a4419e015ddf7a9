"""Bearer-token authentication and OAuth scope authorization, one code path for every route."""

from collections.abc import Collection, Mapping
from typing import Any

from uipath_emulator.mock_server.identity.verification import InvalidTokenError, TokenVerifier
from uipath_emulator.mock_server.orchestrator.errors import (
    NOT_AUTHENTICATED,
    ApiError,
    NotAuthorizedError,
)
from uipath_emulator.mock_server.world import Organization

_CHALLENGE_LIMIT = 200


def header_safe(text: str) -> str:
    """`text` as a quoted-string body: printable ASCII only, quotes escaped, length bounded.

    Descriptions can quote claims of a signed token (issuer, audience); whatever they hold,
    the answer's `WWW-Authenticate` header stays one valid line.
    """
    printable = "".join(c if " " <= c <= "~" else "?" for c in text[:_CHALLENGE_LIMIT])
    return printable.replace("\\", "\\\\").replace('"', '\\"')


def _unauthenticated(description: str | None) -> ApiError:
    challenge = "Bearer"
    if description is not None:
        challenge = f'Bearer error="invalid_token", error_description="{header_safe(description)}"'
    return ApiError(401, NOT_AUTHENTICATED, 0, {"WWW-Authenticate": challenge})


def authenticate(
    verifier: TokenVerifier, organization: Organization, authorization: str | None, now: float
) -> Mapping[str, Any]:
    """The claims of the request's bearer token; raises a 401 `ApiError` saying why it is refused.

    As ASP.NET's JWT bearer handler does, a missing header or another scheme gets a bare
    `WWW-Authenticate: Bearer`; a token that was sent and refused gets `error="invalid_token"`.
    """
    scheme, _, token = (authorization or "").strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise _unauthenticated(None)
    try:
        claims = verifier.verify(token, now)
    except InvalidTokenError as error:
        raise _unauthenticated(str(error)) from None
    if str(claims["prt_id"]).casefold() != organization.id.casefold():
        raise _unauthenticated(
            f"The token was issued for another organization than '{organization.name}'"
        )
    return claims


DEFAULT_SCOPE = "OR.Default"
"""The wildcard scope: the app's folder roles decide what it may do (see `folders.access`)."""


def authorize(
    claims: Mapping[str, Any], accepted: Collection[str], *, roles_decide: bool = False
) -> None:
    """Raise 403 (ASP.NET Boilerplate's envelope) unless the token holds an `accepted` scope,
    or `OR.Default` where the caller's folder roles decide (`roles_decide`)."""
    scopes = claims.get("scope", [])
    granted = scopes.split() if isinstance(scopes, str) else scopes
    if not isinstance(granted, list) or not any(
        isinstance(scope, str) and (scope in accepted or (roles_decide and scope == DEFAULT_SCOPE))
        for scope in granted
    ):
        raise NotAuthorizedError()
