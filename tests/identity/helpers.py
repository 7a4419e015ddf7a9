"""Request helpers shared by the Identity tests."""

from urllib.parse import urlencode

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from uipath_emulator.mock_server.well_known import FULL, ORGANIZATION, WellKnownApp

FORM = "application/x-www-form-urlencoded"
TOKEN_PATH = f"/{ORGANIZATION}/identity_/connect/token"


def credentials_form(app: WellKnownApp = FULL, **fields: str) -> dict[str, str]:
    """A client-credentials form for `app`, with `fields` added or overriding."""
    form = {"grant_type": "client_credentials", "client_id": app.client_id}
    if app.client_secret is not None:
        form["client_secret"] = app.client_secret
    form.update(fields)
    return form


def post_token(
    http: FlaskClient,
    form: dict[str, str] | str | bytes,
    path: str = TOKEN_PATH,
    headers: dict[str, str] | None = None,
    content_type: str = FORM,
) -> TestResponse:
    """POST a token request with `form` (a dict is url-encoded, text is sent as is)."""
    body = urlencode(form) if isinstance(form, dict) else form
    return http.post(path, data=body, content_type=content_type, headers=headers or {})
