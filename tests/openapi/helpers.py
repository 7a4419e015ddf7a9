"""Where the OpenAPI document is served, and how to fetch it."""

from typing import Any

from flask.testing import FlaskClient

from uipath_emulator.mock_server.well_known import ORGANIZATION, TENANT

SWAGGER_BASE = f"/{ORGANIZATION}/{TENANT}/orchestrator_/swagger"
SWAGGER_JSON = f"{SWAGGER_BASE}/v20.0/swagger.json"
SWAGGER_UI = f"{SWAGGER_BASE}/index.html"
CONTROL_OPENAPI = "/_emulator/openapi.json"
ORCHESTRATOR_BASE = f"/{ORGANIZATION}/{TENANT}/orchestrator_"


def fetch_document(http: FlaskClient, url: str = SWAGGER_JSON) -> dict[str, Any]:
    """The OpenAPI document served at `url`."""
    response = http.get(url)
    assert response.status_code == 200, response.data
    document: dict[str, Any] = response.get_json()
    return document


def operations(document: dict[str, Any]) -> set[tuple[str, str]]:
    """Every documented (path, METHOD)."""
    return {
        (path, method.upper())
        for path, item in document["paths"].items()
        for method in item
        if method != "servers"
    }
