"""The dashboard at `/_emulator/`: the world, the clock, faults and the latest requests.

Plain server-rendered HTML (a Jinja template shipped in the package, no build step). A small
inline script polls the control plane's JSON (`state`, `requests`, `clock`, `faults`) every second
to refresh the page in place, and its clock buttons `POST /_emulator/clock`. App secrets are never
shown.

Access: register `dashboard_blueprint` inside the control blueprint (`control_blueprint`), so
the control plane's guard decides (off, loopback-only, or `Authorization: Bearer TOKEN`). A
browser cannot send that header when opening a page, so with a control token the page is opened
once as `/_emulator/?token=TOKEN`: the query token is presented to the guard as the header it
stands for, and the page's script keeps it in memory for its polling calls and drops it from the
address bar.
"""

import secrets
from typing import TYPE_CHECKING, Any

from flask import Blueprint, Response, render_template, request, url_for

from uipath_emulator.mock_server.web.control import clock_document

if TYPE_CHECKING:
    from uipath_emulator.mock_server.emulator import Emulator

REQUESTS_SHOWN = 50
"""How many of the latest journal entries the dashboard lists, newest first."""

SECRET_MASK = "\u2022" * 8
FAVICON = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">'
    '<rect width="32" height="32" rx="6" fill="#fa4616"/>'
    '<text x="16" y="22" font-family="sans-serif" font-size="14" font-weight="700" '
    'fill="#fff" text-anchor="middle">Ui</text></svg>'
)
"""The dashboard's icon: the emulator's colour, no file to ship."""
_CONTROL_ENDPOINTS = {
    "state": "control.get_state",
    "requests": "control.get_requests",
    "clock": "control.get_clock",
    "faults": "control.get_faults",
}


def masked_secret(secret: str | None) -> str:
    """What the dashboard shows for an app's secret: a mask, never the secret."""
    return SECRET_MASK if secret is not None else "none (public client)"


def swagger_path(organization: str, tenant: str) -> str:
    """Where the Swagger UI of one tenant is."""
    return f"/{organization}/{tenant}/orchestrator_/swagger/index.html"


def dashboard_view(emulator: "Emulator") -> dict[str, Any]:
    """What the page shows, with secrets masked: the template's only input besides URLs."""
    organizations = []
    for organization in emulator.state()["organizations"]:
        organizations.append(
            {
                "name": organization["name"],
                "id": organization["id"],
                "apps": [
                    {
                        "name": app["name"],
                        "client_id": app["client_id"],
                        "secret": masked_secret(app["client_secret"]),
                        "scopes": " ".join(app["scopes"]),
                    }
                    for app in organization["apps"]
                ],
                "tenants": [
                    {
                        "name": tenant["name"],
                        "id": tenant["id"],
                        "swagger": swagger_path(organization["name"], tenant["name"]),
                        "machines": tenant["machines"],
                    }
                    for tenant in organization["tenants"]
                ],
            }
        )
    entries = []
    for entry in emulator.requests.entries(REQUESTS_SHOWN):
        shown = entry.as_dict()
        shown["query_text"] = "&".join(f"{name}={value}" for name, value in entry.query.items())
        entries.append(shown)
    return {
        "organizations": organizations,
        "clock": clock_document(emulator),
        "faults": emulator.faults.describe(),
        "requests": entries[::-1],
    }


def dashboard_blueprint(emulator: "Emulator") -> Blueprint:
    """The page `/`; register it inside the control blueprint so that its guard applies."""
    blueprint = Blueprint("dashboard", __name__, template_folder="templates")

    @blueprint.url_value_preprocessor
    def token_from_query(endpoint: str | None, values: dict[str, Any] | None) -> None:
        # Runs before every before_request function, the control guard's included.
        token = request.args.get("token")
        if token and request.method in ("GET", "HEAD") and "Authorization" not in request.headers:
            request.environ["HTTP_AUTHORIZATION"] = f"Bearer {token}"

    @blueprint.get("/favicon.svg")
    def favicon() -> Response:
        return Response(
            FAVICON, content_type="image/svg+xml", headers={"Cache-Control": "max-age=86400"}
        )

    @blueprint.get("/")
    def dashboard() -> Response:
        nonce = secrets.token_urlsafe(16)
        urls = {name: url_for(endpoint) for name, endpoint in _CONTROL_ENDPOINTS.items()}
        page = render_template(
            "uipath_emulator/dashboard.html",
            view=dashboard_view(emulator),
            urls=urls,
            nonce=nonce,
            requests_shown=REQUESTS_SHOWN,
            secret_mask=SECRET_MASK,
        )
        return Response(
            page,
            content_type="text/html; charset=utf-8",
            headers={
                "Cache-Control": "no-store",
                "Referrer-Policy": "no-referrer",
                "X-Frame-Options": "DENY",
                "X-Content-Type-Options": "nosniff",
                "Content-Security-Policy": (
                    f"default-src 'none'; script-src 'nonce-{nonce}'; style-src 'nonce-{nonce}'; "
                    "connect-src 'self'; img-src 'self' data:; base-uri 'none'; "
                    "form-action 'none'; frame-ancestors 'none'"
                ),
            },
        )

    return blueprint
