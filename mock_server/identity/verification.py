"""Checking a bearer token the way Orchestrator's JWT bearer handler does."""

import math
import threading
from collections import OrderedDict
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import jwt

from uipath_emulator.mock_server.identity.tokens import SigningKey

_REQUIRED_CLAIMS = ["exp", "nbf", "iat", "iss", "aud", "prt_id", "client_id", "sub"]


class InvalidTokenError(Exception):
    """A bearer token that must be refused with 401; the message is the `error_description`."""


def _aspnet_time(timestamp: float) -> str:
    try:
        return datetime.fromtimestamp(timestamp, tz=UTC).strftime("%m/%d/%Y %H:%M:%S")
    except (OverflowError, OSError, ValueError):
        return f"{timestamp:.0f} seconds after the Unix epoch"


class TokenVerifier:
    """Verifies tokens signed by one key, caching signature checks per token.

    The signature and claim shapes of a token never change, so each token string is
    decoded once; lifetime (`exp`, `nbf`) is checked on every call against the caller's clock.
    """

    def __init__(
        self, key: SigningKey, *, audience: str, leeway: int = 0, cache_size: int = 4096
    ) -> None:
        if not 0 <= leeway <= 5:
            raise ValueError("leeway must be between 0 and 5 seconds")
        self._key = key
        self._public_key = key.private_key.public_key()
        self._audience = audience
        self._leeway = leeway
        self._cache: OrderedDict[str, Mapping[str, Any]] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()

    def verify(self, token: str, now: float) -> Mapping[str, Any]:
        """The token's claims if it is valid at `now`; raises `InvalidTokenError` saying why not."""
        claims = self._cache.get(token)
        if claims is not None:
            with self._lock:
                if token in self._cache:
                    self._cache.move_to_end(token)
        else:
            claims = self._decode(token)
            self._keep(token, claims)
        if now >= claims["exp"] + self._leeway:
            raise InvalidTokenError(f"The token expired at '{_aspnet_time(claims['exp'])}'")
        if now + self._leeway < claims["nbf"]:
            raise InvalidTokenError(
                f"The token is not valid before '{_aspnet_time(claims['nbf'])}'"
            )
        return claims

    def remember(self, token: str, claims: Mapping[str, Any], signed_with: SigningKey) -> None:
        """Take `claims` as what `token` decodes to: for a token the emulator has just signed,
        so its first use need not check the signature again.

        Nothing is kept for a token signed with another key than this verifier's, or claims
        that verification would refuse (the token's use says why).
        """
        if signed_with is not self._key:
            return
        try:
            self._check_claims(claims)
        except InvalidTokenError:
            return
        self._keep(token, dict(claims))

    def _keep(self, token: str, claims: Mapping[str, Any]) -> None:
        with self._lock:
            self._cache[token] = claims
            if len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)

    def _decode(self, token: str) -> Mapping[str, Any]:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError:  # DecodeError, and InvalidTokenError for a non-string `kid`
            raise InvalidTokenError("The token is malformed") from None
        if header.get("alg") != "RS256":
            # The header is the sender's text: it is never echoed into the answer's headers.
            raise InvalidTokenError("The token's algorithm is not allowed (only RS256 is)")
        if header.get("kid") != self._key.kid:
            raise InvalidTokenError("The signature key was not found")
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                self._public_key,
                algorithms=["RS256"],
                options={
                    "verify_exp": False,
                    "verify_nbf": False,
                    "verify_iat": False,
                    "verify_aud": False,
                    "verify_iss": False,
                    "require": _REQUIRED_CLAIMS,
                },
            )
        except jwt.InvalidSignatureError:
            raise InvalidTokenError("The signature is invalid") from None
        except jwt.MissingRequiredClaimError as error:
            raise InvalidTokenError(f"The token has no '{error.claim}' claim") from None
        except jwt.PyJWTError:
            raise InvalidTokenError("The token is malformed") from None
        self._check_claims(claims)
        return claims

    def _check_claims(self, claims: Mapping[str, Any]) -> None:
        """Refuse claims whose lifetime, issuer or audience Orchestrator would not accept."""
        for name in _REQUIRED_CLAIMS:
            if name not in claims:
                raise InvalidTokenError(f"The token has no '{name}' claim")
        for name in ("exp", "nbf"):
            value = claims[name]
            if not isinstance(value, int | float) or isinstance(value, bool):
                raise InvalidTokenError(f"The token's '{name}' claim is not a number")
            try:
                finite = math.isfinite(value)
            except OverflowError:  # an integer too large for a float: no instant can be it
                raise InvalidTokenError(f"The token's '{name}' claim is out of range") from None
            if not finite:
                raise InvalidTokenError(f"The token's '{name}' claim is not a finite number")
        issuer = claims["iss"]
        if not isinstance(issuer, str) or not issuer.endswith("/identity_"):
            raise InvalidTokenError(f"The issuer '{issuer}' is invalid")
        audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
        if self._audience not in audiences:
            raise InvalidTokenError(f"The audience '{claims['aud']}' is invalid")
