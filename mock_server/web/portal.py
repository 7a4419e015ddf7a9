"""HTTP route of the portal service: the tenants-and-organization call of `uipath auth`."""

from typing import TYPE_CHECKING

from flask import Blueprint, Response, request

from uipath_emulator.mock_server.portal import tenants_and_organization_info
from uipath_emulator.mock_server.web.responses import json_response

if TYPE_CHECKING:
    from uipath_emulator.mock_server.emulator import Emulator

TENANTS_AND_ORGANIZATION_PATH = (
    "/<organization>/portal_/api/filtering/leftnav/tenantsAndOrganizationInfo"
)


def portal_blueprint(emulator: "Emulator") -> Blueprint:
    """The portal route of one emulator (errors are rendered by the app, as `ApiError`s)."""
    blueprint = Blueprint("portal", __name__)

    @blueprint.get(TENANTS_AND_ORGANIZATION_PATH)
    def tenants_and_organization(organization: str) -> Response:
        body = tenants_and_organization_info(
            emulator.world,
            emulator.verifier,
            organization,
            request.headers.get("Authorization"),
            emulator.clock.now(),
        )
        return json_response(body)

    return blueprint
