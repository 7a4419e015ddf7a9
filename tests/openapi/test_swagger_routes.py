"""Swagger UI's page and files, and the control plane's copy of the document behind its guard."""

import pytest
from flask.testing import FlaskClient
from swagger_ui_bundle import swagger_ui_path

from tests.openapi.helpers import CONTROL_OPENAPI, SWAGGER_BASE, SWAGGER_JSON, SWAGGER_UI
from uipath_emulator.mock_server import Emulator


def test_swagger_ui_page_loads_the_tenant_document(http: FlaskClient) -> None:
    """The page starts Swagger UI on the tenant's swagger.json, offline (no online validator)."""
    response = http.get(SWAGGER_UI)
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert "SwaggerUIBundle({" in page
    assert f'url: "{SWAGGER_JSON}"' in page
    assert "validatorUrl: null" in page
    assert f'oauth2RedirectUrl: "http://localhost{SWAGGER_BASE}/oauth2-redirect.html"' in page


@pytest.mark.parametrize(
    "asset", ["swagger-ui-bundle.js", "swagger-ui.css", "oauth2-redirect.html"]
)
def test_swagger_ui_files_come_from_the_package(http: FlaskClient, asset: str) -> None:
    """Swagger UI's files are served byte for byte from the installed swagger-ui-bundle."""
    with http.get(f"{SWAGGER_BASE}/{asset}") as response:
        assert response.status_code == 200
        assert response.data == (swagger_ui_path / asset).read_bytes()


@pytest.mark.parametrize(
    "asset", ["swagger-initializer.js", "index.j2", "..%2F__init__.py", "%2E%2E", "nothing.js"]
)
def test_only_the_files_the_page_uses_are_served(http: FlaskClient, asset: str) -> None:
    """Any other name under swagger/ (the demo initializer, a path escape) is a 404."""
    assert http.get(f"{SWAGGER_BASE}/{asset}").status_code == 404


def test_swagger_folder_redirects_to_the_page(http: FlaskClient) -> None:
    """`.../swagger/` redirects to `.../swagger/index.html`."""
    response = http.get(f"{SWAGGER_BASE}/")
    assert response.status_code == 302
    assert response.headers["Location"] == SWAGGER_UI


def test_control_copy_of_the_document_needs_the_control_token() -> None:
    """With a control token, `/_emulator/openapi.json` needs it; the tenant's copy never does."""
    http = Emulator(control_token="s3cret").app.test_client()
    assert http.get(CONTROL_OPENAPI).status_code == 401
    assert http.get(CONTROL_OPENAPI, headers={"Authorization": "Bearer s3cret"}).status_code == 200
    assert http.get(SWAGGER_JSON).status_code == 200


def test_control_copy_of_the_document_is_off_with_the_control_plane() -> None:
    """With the control plane off, `/_emulator/openapi.json` is a 404; Swagger UI still works."""
    http = Emulator(control_enabled=False).app.test_client()
    assert http.get(CONTROL_OPENAPI).status_code == 404
    assert http.get(SWAGGER_UI).status_code == 200
