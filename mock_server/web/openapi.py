"""Routes of the OpenAPI document and of Swagger UI.

- `/{organization}/{tenant}/orchestrator_/swagger/v20.0/swagger.json`: the document, where
  Orchestrator serves its own; the server variables default to that organization and tenant.
- `/{organization}/{tenant}/orchestrator_/swagger/index.html`: Swagger UI on it, from the
  `swagger-ui-bundle` package's files; "Authorize" runs the client-credentials flow against the
  emulator's own token endpoint.
- `/_emulator/openapi.json`: the same document on the control plane (and behind its access rules,
  as `openapi_blueprint` is registered inside the control blueprint).
"""

from flask import (
    Blueprint,
    Response,
    abort,
    redirect,
    render_template,
    request,
    send_from_directory,
)
from swagger_ui_bundle import swagger_ui_path
from werkzeug.wrappers import Response as WerkzeugResponse

from uipath_emulator.mock_server.openapi.document import API_VERSION, build_document
from uipath_emulator.mock_server.orchestrator.lookup import tenant_named
from uipath_emulator.mock_server.web.context import current_emulator
from uipath_emulator.mock_server.web.responses import base_url, json_response
from uipath_emulator.mock_server.well_known import ORGANIZATION, TENANT

SWAGGER_PREFIX = "/<organization>/<tenant>/orchestrator_/swagger"
SWAGGER_ASSETS = frozenset(
    {
        "swagger-ui.css",
        "swagger-ui-bundle.js",
        "oauth2-redirect.html",
        "favicon-16x16.png",
        "favicon-32x32.png",
    }
)
"""The files of the Swagger UI distribution that our `index.html` uses; nothing else is served."""

_NO_STORE = {"Cache-Control": "no-store"}


def _document(organization: str, tenant: str) -> Response:
    document = build_document(
        current_emulator().registry, base_url(request.environ), organization, tenant
    )
    return json_response(document, headers=_NO_STORE)


def swagger_blueprint() -> Blueprint:
    """The document and Swagger UI under each tenant's `orchestrator_/swagger/`."""
    blueprint = Blueprint("swagger", __name__, template_folder="templates")

    def check_tenant(organization: str, tenant: str) -> None:
        tenant_named(current_emulator().world, organization, tenant)

    @blueprint.get(f"{SWAGGER_PREFIX}/v{API_VERSION}/swagger.json")
    def swagger_json(organization: str, tenant: str) -> Response:
        check_tenant(organization, tenant)
        return _document(organization, tenant)

    @blueprint.get(f"{SWAGGER_PREFIX}/index.html")
    def swagger_ui(organization: str, tenant: str) -> Response:
        check_tenant(organization, tenant)
        base = f"/{organization}/{tenant}/orchestrator_/swagger"
        page = render_template(
            "uipath_emulator/swagger_index.html",
            spec_url=f"{base}/v{API_VERSION}/swagger.json",
            oauth2_redirect_url=f"{base_url(request.environ)}{base}/oauth2-redirect.html",
            organization=organization,
            tenant=tenant,
        )
        return Response(page, content_type="text/html; charset=utf-8", headers=_NO_STORE)

    @blueprint.get(f"{SWAGGER_PREFIX}/")
    def swagger_root(organization: str, tenant: str) -> WerkzeugResponse:
        return redirect(f"/{organization}/{tenant}/orchestrator_/swagger/index.html")

    @blueprint.get(f"{SWAGGER_PREFIX}/<asset>")
    def swagger_asset(organization: str, tenant: str, asset: str) -> Response:
        if asset not in SWAGGER_ASSETS:
            abort(404)
        return send_from_directory(swagger_ui_path, asset)

    return blueprint


def openapi_blueprint() -> Blueprint:
    """`/openapi.json`, for registering inside the control blueprint (`/_emulator/openapi.json`).

    Its server variables default to the world's first organization and tenant.
    """
    blueprint = Blueprint("openapi", __name__)

    @blueprint.get("/openapi.json")
    def openapi_json() -> Response:
        organization, tenant = ORGANIZATION, TENANT
        organizations = current_emulator().world.organizations
        if organizations:
            organization = organizations[0].name
            if organizations[0].tenants:
                tenant = organizations[0].tenants[0].name
        return _document(organization, tenant)

    return blueprint
