"""The OpenID discovery document and JWKS of the emulated Identity Server."""

from typing import Any

from uipath_emulator.mock_server.identity.tokens import SigningKey
from uipath_emulator.mock_server.world import World


def discovery_document(issuer: str, world: World) -> dict[str, Any]:
    """`/.well-known/openid-configuration`, in Duende's key order: what the emulator does."""
    scopes = sorted(
        {scope for org in world.organizations for app in org.apps for scope in app.scopes}
    )
    return {
        "issuer": issuer,
        "jwks_uri": f"{issuer}/.well-known/openid-configuration/jwks",
        "token_endpoint": f"{issuer}/connect/token",
        "scopes_supported": scopes,
        "claims_supported": ["sub", "sub_type", "client_id", "prt_id", "scope"],
        "grant_types_supported": ["client_credentials"],
        "response_types_supported": [],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "subject_types_supported": ["public"],
    }


def jwks_document(key: SigningKey) -> dict[str, Any]:
    """The JSON Web Key Set holding the public half of the signing key."""
    return {"keys": [dict(key.public_jwk)]}
