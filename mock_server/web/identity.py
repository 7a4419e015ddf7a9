"""HTTP routes of the Identity Server: `/identity_/connect/token`, discovery and JWKS."""

from flask import Blueprint, Response, request

from uipath_emulator.mock_server.identity.discovery import discovery_document, jwks_document
from uipath_emulator.mock_server.identity.errors import INVALID_REQUEST, OAuthError
from uipath_emulator.mock_server.identity.form import parse_form
from uipath_emulator.mock_server.identity.grants import grant_token
from uipath_emulator.mock_server.identity.tokens import access_token_claims, sign_access_token
from uipath_emulator.mock_server.orchestrator.lookup import organization_named
from uipath_emulator.mock_server.web.context import current_emulator
from uipath_emulator.mock_server.web.responses import base_url, json_response
from uipath_emulator.mock_server.world import Organization

IDENTITY_CONTENT_TYPE = "application/json; charset=UTF-8"
NO_STORE = {"Cache-Control": "no-store, no-cache, max-age=0", "Pragma": "no-cache"}
_EVERY_METHOD = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
_FORM = "application/x-www-form-urlencoded"


def oauth_error_response(error: OAuthError) -> Response:
    """`{"error": code}` (plus `error_description` when set) with IdentityServer's headers."""
    body = {"error": error.code}
    if error.description is not None:
        body["error_description"] = error.description
    return json_response(body, error.status, content_type=IDENTITY_CONTENT_TYPE, headers=NO_STORE)


def issuer_url() -> str:
    """`{base}/identity_` for the base URL this request reached the emulator at."""
    return base_url(request.environ) + "/identity_"


def identity_blueprint() -> Blueprint:
    """The Identity routes, served both with and without an organization in the path."""
    blueprint = Blueprint("identity", __name__)

    def path_organization(name: str | None) -> Organization | None:
        if name is None:
            return None
        return organization_named(current_emulator().world, name)

    @blueprint.route("/identity_/connect/token", methods=_EVERY_METHOD)
    @blueprint.route("/<organization>/identity_/connect/token", methods=_EVERY_METHOD)
    def token(organization: str | None = None) -> Response:
        emulator = current_emulator()
        path_org = path_organization(organization)
        if request.method != "POST" or request.mimetype != _FORM:
            raise OAuthError(INVALID_REQUEST)
        fields = parse_form(request.get_data(cache=False))
        grant = grant_token(emulator.world, path_org, fields, request.headers.get("Authorization"))
        claims = access_token_claims(
            issuer=issuer_url(),
            client_id=grant.app.client_id,
            organization_id=grant.organization.id,
            scopes=grant.scopes,
            now=int(emulator.clock.now()),
            lifetime=emulator.token_lifetime,
            robot_key=grant.app.robot_key,
        )
        access_token = sign_access_token(emulator.signing_key, claims)
        emulator.verifier.remember(access_token, claims, emulator.signing_key)
        body = {
            "access_token": access_token,
            "expires_in": emulator.token_lifetime,
            "token_type": "Bearer",
            "scope": " ".join(grant.scopes),
        }
        return json_response(body, content_type=IDENTITY_CONTENT_TYPE, headers=NO_STORE)

    @blueprint.get("/identity_/.well-known/openid-configuration")
    @blueprint.get("/<organization>/identity_/.well-known/openid-configuration")
    def discovery(organization: str | None = None) -> Response:
        path_organization(organization)
        document = discovery_document(issuer_url(), current_emulator().world)
        return json_response(document, content_type=IDENTITY_CONTENT_TYPE)

    @blueprint.get("/identity_/.well-known/openid-configuration/jwks")
    @blueprint.get("/<organization>/identity_/.well-known/openid-configuration/jwks")
    def jwks(organization: str | None = None) -> Response:
        path_organization(organization)
        return json_response(
            jwks_document(current_emulator().signing_key), content_type=IDENTITY_CONTENT_TYPE
        )

    return blueprint
