"""`GET /{organization}/portal_/api/filtering/leftnav/tenantsAndOrganizationInfo`.

`uipath auth` (PyPI `uipath` 2.14.44, `uipath/_cli/_auth/_auth_session.py`, through
`uipath-platform`'s `PortalService`) calls it right after the token request, with the token's
`prt_id` (the organization id) in the path and the token as a bearer. It reads
`{"tenants": [{"name", "id"}, ...], "organization": {"id", "name"}}` and looks the tenant of
`--base-url` up by exact name; any error status fails the login (a 401 prints
"Unauthorized"). Nothing more of the answer is known, so nothing more is invented.

Authentication is Orchestrator's (`orchestrator.auth.authenticate`): a missing, expired,
forged or other-organization token is a 401 in the emulator's one error shape, with the
`WWW-Authenticate` challenge of ASP.NET's JWT bearer handler. The body is our choice: the
client reads only the status.
"""

from collections.abc import Mapping
from typing import Any

from uipath_emulator.mock_server.identity.verification import TokenVerifier
from uipath_emulator.mock_server.orchestrator.auth import authenticate
from uipath_emulator.mock_server.orchestrator.lookup import organization_named
from uipath_emulator.mock_server.world import World


def tenants_and_organization_info(
    world: World,
    verifier: TokenVerifier,
    organization_key: str,
    authorization: str | None,
    now: float,
) -> Mapping[str, Any]:
    """The organization's tenants and itself, for a token of that organization.

    `organization_key` is the organization's id or name (any case). Raises `ApiError`: 404 for
    an organization the world does not have (before the token is looked at, as Orchestrator's
    routes do), 401 for a token that is not valid for it.
    """
    organization = organization_named(world, organization_key)
    authenticate(verifier, organization, authorization, now)
    return {
        "tenants": [{"name": tenant.name, "id": tenant.id} for tenant in organization.tenants],
        "organization": {"id": organization.id, "name": organization.name},
    }
