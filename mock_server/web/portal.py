"""HTTP route of the portal service: the tenants-and-organization call of `uipath auth`."""

from flask import Blueprint, Response, request

from uipath_emulator.mock_server.portal import tenants_and_organization_info
from uipath_emulator.mock_server.web.context import current_emulator
from uipath_emulator.mock_server.web.responses import json_response

TENANTS_AND_ORGANIZATION_PATH = (
    "/<organization>/portal_/api/filtering/leftnav/tenantsAndOrganizationInfo"
)


def portal_blueprint() -> Blueprint:
    """The portal route (errors are rendered in Orchestrator's shape, as `ApiError`s)."""
    blueprint = Blueprint("portal", __name__)

    @blueprint.get(TENANTS_AND_ORGANIZATION_PATH)
    def tenants_and_organization(organization: str) -> Response:
        emulator = current_emulator()
        body = tenants_and_organization_info(
            emulator.world,
            emulator.verifier,
            organization,
            request.headers.get("Authorization"),
            emulator.clock.now(),
        )
        return json_response(body)

    return blueprint
