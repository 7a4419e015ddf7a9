"""Access tokens: RS256 JWTs signed with the emulator's key, and their verification."""

import base64
import hashlib
import threading
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

ORCHESTRATOR_AUDIENCE = "UiPath.Orchestrator"
_AUDIENCE_BY_SCOPE_PREFIX = {"OR": ORCHESTRATOR_AUDIENCE}


@dataclass(frozen=True)
class SigningKey:
    """An RSA key pair with the `kid` it is published under in the JWKS."""

    private_key: rsa.RSAPrivateKey
    kid: str

    @classmethod
    def from_private_key(cls, private_key: rsa.RSAPrivateKey) -> "SigningKey":
        """Wrap a key; the `kid` is derived from the public key, so it is stable for a key."""
        der = private_key.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        return cls(private_key, hashlib.sha256(der).hexdigest()[:32].upper())

    @classmethod
    def generate(cls) -> "SigningKey":
        """A fresh 2048-bit key (about 50 ms: do it once per process, not per request)."""
        return cls.from_private_key(rsa.generate_private_key(public_exponent=65537, key_size=2048))

    @classmethod
    def from_pem_file(cls, path: str | Path) -> "SigningKey":
        """Load an unencrypted PEM RSA private key (the `--signing-key` option)."""
        key = serialization.load_pem_private_key(Path(path).read_bytes(), password=None)
        if not isinstance(key, rsa.RSAPrivateKey):
            raise ValueError(f"{path}: not an RSA private key")
        return cls.from_private_key(key)

    @cached_property
    def public_jwk(self) -> dict[str, str]:
        """The public key as a JWK for `/.well-known/openid-configuration/jwks`."""
        numbers = self.private_key.public_key().public_numbers()
        return {
            "kty": "RSA",
            "use": "sig",
            "kid": self.kid,
            "e": _b64_uint(numbers.e),
            "n": _b64_uint(numbers.n),
            "alg": "RS256",
        }

    def __repr__(self) -> str:
        return f"<SigningKey kid={self.kid}>"


def _b64_uint(value: int) -> str:
    raw = value.to_bytes((value.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


_process_key: SigningKey | None = None
_process_key_lock = threading.Lock()


def process_signing_key() -> SigningKey:
    """The key every emulator in this process signs with unless given another one."""
    global _process_key
    with _process_key_lock:
        if _process_key is None:
            _process_key = SigningKey.generate()
        return _process_key


def audience_for(scopes: Sequence[str]) -> str | list[str]:
    """`aud`: the API resources the scopes belong to; one resource gives a plain string."""
    audiences: list[str] = []
    for scope in scopes:
        prefix = scope.split(".", 1)[0]
        audience = _AUDIENCE_BY_SCOPE_PREFIX.get(prefix, f"UiPath.{prefix}")
        if audience not in audiences:
            audiences.append(audience)
    return audiences[0] if len(audiences) == 1 else audiences


ROBOT_SUB_TYPE = "service.robot"
"""`sub_type` of a token that stands for a robot (chosen by the emulator; unconfirmed)."""


def access_token_claims(
    *,
    issuer: str,
    client_id: str,
    organization_id: str,
    scopes: Sequence[str],
    now: int,
    lifetime: int,
    robot_key: str | None = None,
) -> dict[str, Any]:
    """The claims UiPath's Identity Server sets in a client-credentials access token, with a
    fresh `jti`; `sign_access_token` makes the token.

    With `robot_key` (an app the world links to a robot) the token stands for that robot:
    `sub_type` `service.robot` and a `robot_key` claim (the emulator's own convention).
    """
    claims: dict[str, Any] = {
        "iss": issuer,
        "nbf": now,
        "iat": now,
        "exp": now + lifetime,
        "aud": audience_for(scopes),
        "scope": list(scopes),
        "sub_type": "service.external",
        "prt_id": organization_id,
        "client_id": client_id,
        "sub": client_id,
        "jti": uuid.uuid4().hex.upper(),
    }
    if robot_key is not None:
        claims["sub_type"] = ROBOT_SUB_TYPE
        claims["robot_key"] = robot_key
    return claims


def sign_access_token(key: SigningKey, claims: dict[str, Any]) -> str:
    """`claims` as an RS256 JWT signed with `key`, its header naming the key."""
    headers = {"kid": key.kid, "typ": "at+jwt"}
    return jwt.encode(claims, key.private_key, algorithm="RS256", headers=headers)
