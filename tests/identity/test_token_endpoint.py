"""The client-credentials token endpoint: success, every error row of the facts table, bad input."""

import base64
import json
from urllib.parse import quote

import pytest
from flask.testing import FlaskClient

from tests.identity.helpers import TOKEN_PATH, credentials_form, post_token
from uipath_emulator.mock_server import Emulator
from uipath_emulator.mock_server.well_known import (
    FULL,
    GLOBEX,
    ORGANIZATION_ID,
    READONLY,
    ROBOTS,
    SPA,
)

NO_STORE_HEADERS = {
    "Content-Type": "application/json; charset=UTF-8",
    "Cache-Control": "no-store, no-cache, max-age=0",
    "Pragma": "no-cache",
}


def assert_oauth_error(response: object, code: str) -> None:
    """The response is IdentityServer's 400 `{"error": code}` with its no-cache headers."""
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert response.get_json()["error"] == code  # type: ignore[attr-defined]
    for name, value in NO_STORE_HEADERS.items():
        assert response.headers[name] == value  # type: ignore[attr-defined]


def test_success_has_the_four_fields_in_order(http: FlaskClient) -> None:
    """A valid request gets 200 with access_token, expires_in, token_type, scope in that order."""
    response = post_token(http, credentials_form(scope="OR.Machines.Read OR.Machines"))
    assert response.status_code == 200
    body = json.loads(response.data, object_pairs_hook=list)
    assert [key for key, _ in body] == ["access_token", "expires_in", "token_type", "scope"]
    payload = dict(body)
    assert payload["expires_in"] == 3600
    assert payload["token_type"] == "Bearer"
    assert payload["scope"] == "OR.Machines.Read OR.Machines"
    for name, value in NO_STORE_HEADERS.items():
        assert response.headers[name] == value


def test_guide_curl_body_with_raw_spaces_is_accepted(http: FlaskClient) -> None:
    """The guide's curl body, not URL-encoded (raw space in scope), gets both scopes."""
    body = (
        f"grant_type=client_credentials&client_id={FULL.client_id}"
        f"&client_secret={FULL.client_secret}&scope=OR.Machines.Read OR.Robots.Read"
    )
    response = post_token(http, body)
    assert response.status_code == 200
    assert response.get_json()["scope"] == "OR.Machines.Read OR.Robots.Read"


@pytest.mark.parametrize("path", ["/identity_/connect/token", TOKEN_PATH])
def test_both_url_forms_issue_tokens(http: FlaskClient, path: str) -> None:
    """The org-less URL (UiPath's SDK) and the org-prefixed URL (the guide) both issue tokens."""
    assert post_token(http, credentials_form(), path=path).status_code == 200


@pytest.mark.parametrize("organization", ["ACME", ORGANIZATION_ID, ORGANIZATION_ID.upper()])
def test_organization_in_path_by_id_or_any_case(http: FlaskClient, organization: str) -> None:
    """The organization in the path may be its id or its name in any case."""
    path = f"/{organization}/identity_/connect/token"
    assert post_token(http, credentials_form(), path=path).status_code == 200


def test_missing_scope_grants_every_app_scope(http: FlaskClient) -> None:
    """Without a scope parameter the token carries all the scopes granted to the app."""
    response = post_token(http, credentials_form())
    assert response.get_json()["scope"] == " ".join(FULL.scopes)


def test_empty_extra_fields_are_tolerated(http: FlaskClient) -> None:
    """UiPath's Go CLI sends empty code, code_verifier, redirect_uri, refresh_token and scope."""
    body = (
        f"grant_type=client_credentials&scope=&client_id={READONLY.client_id}"
        f"&client_secret={READONLY.client_secret}&code=&code_verifier=&redirect_uri=&refresh_token="
    )
    response = post_token(http, body)
    assert response.status_code == 200
    assert response.get_json()["scope"] == " ".join(READONLY.scopes)


def test_http_basic_client_authentication(http: FlaskClient) -> None:
    """client_secret_basic: base64 of the url-encoded id and secret in the Authorization header."""
    pair = f"{quote(READONLY.client_id)}:{quote(str(READONLY.client_secret))}"
    header = "Basic " + base64.b64encode(pair.encode()).decode()
    response = post_token(
        http, {"grant_type": "client_credentials"}, headers={"Authorization": header}
    )
    assert response.status_code == 200
    assert response.get_json()["scope"] == " ".join(READONLY.scopes)


def test_every_request_gets_a_new_token(http: FlaskClient) -> None:
    """Two identical requests get two different tokens (no server-side reuse)."""
    first = post_token(http, credentials_form()).get_json()["access_token"]
    second = post_token(http, credentials_form()).get_json()["access_token"]
    assert first != second


def test_token_lifetime_is_configurable() -> None:
    """`token_lifetime` sets expires_in."""
    http = Emulator(token_lifetime=120).app.test_client()
    assert post_token(http, credentials_form()).get_json()["expires_in"] == 120


def test_charset_parameter_on_the_content_type_is_accepted(http: FlaskClient) -> None:
    """A form content type with a charset parameter, in any case, is a form."""
    response = post_token(
        http, credentials_form(), content_type="Application/X-WWW-Form-Urlencoded; charset=UTF-8"
    )
    assert response.status_code == 200


ERROR_ROWS = [
    (
        "unknown client",
        credentials_form(client_id="00000000-0000-4000-8000-000000000000"),
        "invalid_client",
    ),
    ("wrong secret", credentials_form(client_secret="wrong"), "invalid_client"),
    (
        "no secret for a confidential app",
        {**credentials_form(), "client_secret": ""},
        "invalid_client",
    ),
    ("no client_id", {"grant_type": "client_credentials"}, "invalid_client"),
    ("missing grant_type", credentials_form(grant_type=""), "unsupported_grant_type"),
    ("unknown grant_type", credentials_form(grant_type="foo"), "unsupported_grant_type"),
    (
        "password grant by a client-credentials app",
        credentials_form(grant_type="password"),
        "unauthorized_client",
    ),
    (
        "client_credentials by the non-confidential app",
        credentials_form(SPA),
        "unauthorized_client",
    ),
    (
        "scope not granted to the app",
        credentials_form(READONLY, scope="OR.Machines.Write"),
        "invalid_scope",
    ),
    ("unknown scope", credentials_form(scope="OR.Nonsense"), "invalid_scope"),
    ("offline_access", credentials_form(scope="OR.Machines offline_access"), "invalid_scope"),
    ("openid", credentials_form(scope="openid"), "invalid_scope"),
    (
        "bad client and bad grant: client first",
        credentials_form(client_secret="x", grant_type="foo"),
        "invalid_client",
    ),
    ("app of another organization than the path", credentials_form(GLOBEX), "invalid_client"),
]


@pytest.mark.parametrize(("case", "form", "code"), ERROR_ROWS, ids=[row[0] for row in ERROR_ROWS])
def test_error_rows(http: FlaskClient, case: str, form: dict[str, str], code: str) -> None:
    """Each error case of the facts table gets its OAuth error code, status 400 and headers."""
    assert_oauth_error(post_token(http, form), code)


def test_unknown_client_and_wrong_secret_are_indistinguishable(http: FlaskClient) -> None:
    """An unknown app and a wrong secret get byte-identical answers."""
    unknown = post_token(http, credentials_form(client_id="00000000-0000-4000-8000-000000000000"))
    wrong = post_token(http, credentials_form(client_secret="nope"))
    assert unknown.data == wrong.data == b'{"error":"invalid_client"}'


def test_app_without_scopes_gets_invalid_scope() -> None:
    """An app with no granted scope cannot get a token, even asking for none."""
    world = Emulator().state()
    world["organizations"][0]["apps"][0]["scopes"] = []
    http = Emulator(world).app.test_client()
    assert_oauth_error(post_token(http, credentials_form()), "invalid_scope")


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE", "PATCH"])
def test_non_post_is_invalid_request(http: FlaskClient, method: str) -> None:
    """Any method but POST on the token endpoint gets invalid_request."""
    assert_oauth_error(http.open(TOKEN_PATH, method=method), "invalid_request")


@pytest.mark.parametrize("content_type", ["application/json", "text/plain", "multipart/form-data"])
def test_non_form_body_is_invalid_request(http: FlaskClient, content_type: str) -> None:
    """A body that is not x-www-form-urlencoded gets invalid_request."""
    body = json.dumps(credentials_form())
    assert_oauth_error(post_token(http, body, content_type=content_type), "invalid_request")


@pytest.mark.parametrize(
    "body",
    [
        b"grant_type=client_credentials&client_id=%zz",
        b"grant_type=client_%E",
        b"client_id=\xff\xfe",
    ],
    ids=["bad escape", "truncated escape", "invalid utf-8"],
)
def test_malformed_form_is_invalid_request(http: FlaskClient, body: bytes) -> None:
    """Broken percent-encoding or bytes that are not UTF-8 get invalid_request."""
    assert_oauth_error(post_token(http, body), "invalid_request")


def test_repeated_parameter_is_invalid_request(http: FlaskClient) -> None:
    """A parameter given twice with different values is refused (RFC 6749 section 3.2)."""
    body = "&".join(f"{k}={v}" for k, v in credentials_form().items()) + "&client_id=other"
    assert_oauth_error(post_token(http, body), "invalid_request")


def test_body_over_one_mebibyte_gets_413(http: FlaskClient) -> None:
    """A body over 1 MiB gets 413 with a JSON OAuth body, not an HTML page."""
    response = post_token(http, b"scope=" + b"a" * (1024 * 1024))
    assert response.status_code == 413
    assert response.get_json()["error"] == "invalid_request"
    assert response.headers["Content-Type"] == "application/json; charset=UTF-8"


def test_unknown_organization_is_a_json_404_naming_it(http: FlaskClient) -> None:
    """A token request for an organization that does not exist gets a JSON 404 naming it."""
    response = post_token(http, credentials_form(), path="/initech/identity_/connect/token")
    assert response.status_code == 404
    assert "'initech'" in response.get_json()["message"]


@pytest.mark.parametrize("path", ["/", "/identity_/nope", "/acme/identity_/connect/tokens"])
def test_unknown_route_is_a_json_404(http: FlaskClient, path: str) -> None:
    """An unknown route answers JSON, never an HTML page."""
    response = http.get(path)
    assert response.status_code == 404
    assert response.is_json
    assert b"<html" not in response.data.lower()


def test_other_apps_get_only_their_scopes(http: FlaskClient) -> None:
    """The robots app asking for nothing gets exactly OR.Robots.Read."""
    assert post_token(http, credentials_form(ROBOTS)).get_json()["scope"] == "OR.Robots.Read"
