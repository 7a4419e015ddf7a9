"""Client-credentials tokens: requested as UiPath's guide shows, cached, refreshed one at a time."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from ._config import ClientConfig
from ._errors import (
    AuthenticationError,
    UnexpectedResponseError,
    api_error_from_response,
    json_body,
)
from ._transport import Transport

logger = logging.getLogger(__name__)

# UiPath documents one hour; used only when a token response leaves `expires_in` out.
DOCUMENTED_TOKEN_LIFETIME = 3600.0


@dataclass(frozen=True)
class Token:
    """An access token and what the token endpoint said about it; the value is kept out of repr."""

    access_token: str = field(repr=False)
    token_type: str
    expires_in: float
    expires_at: float
    scopes: tuple[str, ...]


class TokenProvider:
    """Hands out a cached token, asking the token endpoint only when none is fresh.

    A token is fresh until `refresh_margin` seconds before it expires (or half its lifetime
    before, for tokens shorter-lived than twice the margin). Threads sharing a provider wait on
    one lock while a single request for a new token is in flight, so a cold or expired cache
    costs one token request however many threads ask at once.
    """

    def __init__(
        self, config: ClientConfig, transport: Transport, *, clock: Callable[[], float]
    ) -> None:
        self._config = config
        self._transport = transport
        self._clock = clock
        self._lock = threading.Lock()
        self._token: Token | None = None

    def __repr__(self) -> str:
        cached = self._token
        state = f"expires_at={cached.expires_at!r}" if cached else "no token"
        return (
            f"TokenProvider(token_url={self._config.token_endpoint!r}, "
            f"client_id={self._config.client_id!r}, {state})"
        )

    def get(self) -> Token:
        """A fresh token, from the cache when it has one."""
        token = self._token
        if token is not None and self._is_fresh(token):
            return token
        with self._lock:
            token = self._token
            if token is None or not self._is_fresh(token):
                token = self._request_token()
                self._token = token
            return token

    def invalidate(self, rejected: Token) -> None:
        """Forget `rejected` (refused with a 401) unless another thread has replaced it already."""
        with self._lock:
            if self._token is rejected:
                self._token = None

    def _is_fresh(self, token: Token) -> bool:
        margin = min(self._config.refresh_margin, token.expires_in / 2)
        return self._clock() < token.expires_at - margin

    def _request_token(self) -> Token:
        config = self._config
        url = config.token_endpoint
        logger.debug(
            "requesting a token from %s for client_id %s, scopes %s",
            url,
            config.client_id,
            " ".join(config.scopes) or "(all granted)",
        )
        requested_at = self._clock()
        response = self._transport.send(
            "POST",
            url,
            idempotent=True,  # a token request changes nothing on the server
            data={
                "grant_type": "client_credentials",
                "client_id": config.client_id,
                "client_secret": config.client_secret,
                "scope": " ".join(config.scopes),
            },
        )
        status = response.status_code
        body = json_body(response)
        if status == 429 or status >= 500:
            raise api_error_from_response(response, method="POST", url=url)
        if not 200 <= status < 300:
            raise self._authentication_error(status, body)
        access_token = body.get("access_token") if isinstance(body, dict) else None
        if not isinstance(access_token, str) or not access_token:
            raise UnexpectedResponseError(
                "token response has no access_token", status=status, method="POST", url=url
            )
        expires_in = _lifetime(body.get("expires_in"))
        token = Token(
            access_token=access_token,
            token_type=_string(body.get("token_type")) or "Bearer",
            expires_in=expires_in,
            expires_at=requested_at + expires_in,
            scopes=_scopes(body.get("scope"), requested=config.scopes),
        )
        logger.debug(
            "got a %s token for %.0f s, scopes %s", token.token_type, token.expires_in, token.scopes
        )
        return token

    def _authentication_error(self, status: int, body: object) -> AuthenticationError:
        error = _string(body.get("error")) if isinstance(body, dict) else None
        description = _string(body.get("error_description")) if isinstance(body, dict) else None
        if description is None and isinstance(body, dict):
            # Not an OAuth error: e.g. 404 {"message": "Organization 'x' does not exist."}.
            description = _string(body.get("message"))
        if description:
            description = " ".join(description.split()).replace(self._config.client_secret, "***")
        logger.debug("token request rejected: HTTP %d %s", status, error)
        return AuthenticationError(status=status, error=error, error_description=description)


def _string(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _lifetime(value: object) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool) and value > 0:
        return float(value)
    return DOCUMENTED_TOKEN_LIFETIME


def _scopes(value: object, *, requested: tuple[str, ...]) -> tuple[str, ...]:
    if isinstance(value, str):
        return tuple(value.split())
    if isinstance(value, list):
        return tuple(str(scope) for scope in value)
    return requested
