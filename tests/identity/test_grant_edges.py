"""Token request validation at its edges: every standard grant, HTTP Basic oddities, scope rules.

Each answer is checked byte for byte: IdentityServer's error body is `{"error": code}` only.
"""

import base64
from typing import Any
from urllib.parse import quote

import pytest
from flask.testing import FlaskClient

from tests.identity.helpers import credentials_form, post_token
from uipath_emulator.mock_server import Emulator
from uipath_emulator.mock_server.identity.errors import OAuthError
from uipath_emulator.mock_server.identity.grants import granted_scopes
from uipath_emulator.mock_server.well_known import FULL, GLOBEX, READONLY, SPA

STANDARD_GRANTS = [
    "authorization_code",
    "password",
    "refresh_token",
    "urn:ietf:params:oauth:grant-type:device_code",
    "urn:openid:params:grant-type:ciba",
]
"""The grant types IdentityServer knows besides client_credentials."""
FULL_PAIR = base64.b64encode(f"{FULL.client_id}:{FULL.client_secret}".encode()).decode()
"""The full app's credentials as a Basic header carries them."""
ODD_SECRET = "p:a%ss w/rd+\u00e9:"
"""A secret with the characters HTTP Basic makes special: colons, percent, space, non-ASCII."""


def error_body(code: str) -> bytes:
    """IdentityServer's exact error body for `code`."""
    return b'{"error":"' + code.encode() + b'"}'


def assert_error(response: Any, code: str) -> None:
    """HTTP 400 with exactly `{"error": code}`."""
    assert response.status_code == 400
    assert response.data == error_body(code)


def basic(client_id: str, secret: str, *, encode: bool = True) -> dict[str, str]:
    """An Authorization header `Basic base64(id:secret)`, the parts url-encoded unless told not."""
    if encode:
        client_id, secret = quote(client_id, safe=""), quote(secret, safe="")
    pair = f"{client_id}:{secret}".encode()
    return {"Authorization": "Basic " + base64.b64encode(pair).decode()}


def basic_raw(credentials: bytes | str) -> dict[str, str]:
    """`Basic <credentials>`: bytes are base64-encoded, text is sent as it is."""
    if isinstance(credentials, bytes):
        credentials = base64.b64encode(credentials).decode()
    return {"Authorization": f"Basic {credentials}"}


def grant_only(**fields: str) -> dict[str, str]:
    """A form with the client_credentials grant and `fields`, and no client credentials."""
    return {"grant_type": "client_credentials", **fields}


@pytest.fixture
def odd_secret_http() -> FlaskClient:
    """A test client on a world whose `full` app has `ODD_SECRET` as its secret."""
    world = Emulator().state()
    (app,) = [a for a in world["organizations"][0]["apps"] if a["client_id"] == FULL.client_id]
    app["client_secret"] = ODD_SECRET
    return Emulator(world).app.test_client()


@pytest.mark.parametrize(
    "fields",
    [
        {"grant_type": "authorization_code"},
        {"grant_type": "authorization_code", "code": "a-code-never-issued"},
        {"grant_type": "refresh_token", "refresh_token": "a-token-never-issued"},
    ],
    ids=["code missing", "unknown code", "unknown refresh token"],
)
def test_public_app_with_no_valid_code_or_refresh_token_gets_invalid_grant(
    http: FlaskClient, fields: dict[str, str]
) -> None:
    """The public app may use the user flows, but no code or refresh token it sends is valid."""
    assert_error(post_token(http, credentials_form(SPA, **fields)), "invalid_grant")


@pytest.mark.parametrize("refresh_token", [None, ""], ids=["absent", "empty"])
def test_refresh_token_grant_without_the_token_is_invalid_request(
    http: FlaskClient, refresh_token: str | None
) -> None:
    """A refresh_token request that carries no refresh token is malformed (IdentityServer)."""
    form = credentials_form(SPA, grant_type="refresh_token")
    if refresh_token is not None:
        form["refresh_token"] = refresh_token
    assert_error(post_token(http, form), "invalid_request")


def test_public_app_is_not_authenticated_by_a_secret_it_sends(http: FlaskClient) -> None:
    """A public app's request is judged on its grant; a stray client_secret changes nothing."""
    form = credentials_form(SPA, grant_type="authorization_code", client_secret="anything")
    assert_error(post_token(http, form), "invalid_grant")


@pytest.mark.parametrize(
    "grant", ["password", "client_credentials", *STANDARD_GRANTS[3:]], ids=lambda g: g[-11:]
)
def test_public_app_asking_for_other_grants_is_unauthorized_client(
    http: FlaskClient, grant: str
) -> None:
    """The public app may not use client credentials, password, device code or CIBA."""
    assert_error(post_token(http, credentials_form(SPA, grant_type=grant)), "unauthorized_client")


@pytest.mark.parametrize(
    "grant", [g for g in STANDARD_GRANTS if g != "refresh_token"], ids=lambda g: g[-18:]
)
def test_confidential_app_asking_for_another_standard_grant_is_unauthorized_client(
    http: FlaskClient, grant: str
) -> None:
    """A client-credentials app asking for another grant IdentityServer knows: unauthorized.

    (`refresh_token` is left out: IdentityServer reads the refresh token before the client's
    grants, which the emulator does only for the public app.)
    """
    assert_error(post_token(http, credentials_form(grant_type=grant)), "unauthorized_client")


@pytest.mark.parametrize(
    "form",
    [
        {k: v for k, v in credentials_form().items() if k != "grant_type"},
        credentials_form(grant_type="Client_Credentials"),
        credentials_form(grant_type="client_credentials "),
        credentials_form(grant_type="implicit"),
    ],
    ids=["absent", "other case", "trailing blank", "implicit"],
)
def test_grant_type_that_is_not_standard_is_unsupported(
    http: FlaskClient, form: dict[str, str]
) -> None:
    """No grant_type, or one that is not exactly a standard name, is unsupported_grant_type."""
    assert_error(post_token(http, form), "unsupported_grant_type")


def test_app_of_another_organization_is_accepted_on_the_org_less_url(http: FlaskClient) -> None:
    """Without an organization in the URL, any organization's app gets a token for its own."""
    response = post_token(http, credentials_form(GLOBEX), path="/identity_/connect/token")
    assert response.status_code == 200


@pytest.mark.parametrize("encode", [True, False], ids=["url-encoded", "raw"])
def test_basic_secret_with_colons_is_split_at_the_first_colon(
    odd_secret_http: FlaskClient, encode: bool
) -> None:
    """Only the first `:` separates id and secret; the secret keeps its own colons."""
    secret = ODD_SECRET if encode else ODD_SECRET.replace("%", "%25")
    response = post_token(
        odd_secret_http, grant_only(), headers=basic(FULL.client_id, secret, encode=encode)
    )
    assert response.status_code == 200


def test_form_secret_with_special_characters_is_accepted(odd_secret_http: FlaskClient) -> None:
    """The same secret sent in the form body (url-encoded by the form) authenticates too."""
    form = credentials_form(client_secret=ODD_SECRET)
    assert post_token(odd_secret_http, form).status_code == 200


def test_basic_credentials_are_url_decoded(odd_secret_http: FlaskClient) -> None:
    """Basic credentials are `urlencode(id):urlencode(secret)`: an encoded id is decoded too."""
    encoded_id = "".join(f"%{byte:02X}" for byte in FULL.client_id.encode())
    pair = f"{encoded_id}:{quote(ODD_SECRET, safe='')}".encode()
    assert post_token(odd_secret_http, grant_only(), headers=basic_raw(pair)).status_code == 200


def test_basic_credentials_win_over_the_form(http: FlaskClient) -> None:
    """With both, Basic authenticates: the readonly app's Basic beats the full app's form."""
    headers = basic(READONLY.client_id, str(READONLY.client_secret))
    response = post_token(http, credentials_form(), headers=headers)
    assert response.get_json()["scope"] == " ".join(READONLY.scopes)


@pytest.mark.parametrize(
    "header",
    [
        basic_raw(FULL.client_id.encode()),
        basic_raw(f":{FULL.client_secret}".encode()),
        basic_raw(b"\xff\xfe:\xfd"),
        basic_raw("*" + base64.b64encode(f"{FULL.client_id}:x".encode()).decode()),
        basic_raw(base64.b64encode(f"{FULL.client_id}:x".encode()).decode()[:-1]),
        {"Authorization": "Bearer abc"},
        {"Authorization": "Basic"},
    ],
    ids=["no colon", "empty id", "not UTF-8", "not base64", "bad padding", "bearer", "empty"],
)
def test_unusable_basic_header_falls_back_to_the_form(
    http: FlaskClient, header: dict[str, str]
) -> None:
    """A Basic header that holds no usable credentials is skipped: the form's credentials count."""
    form = credentials_form(READONLY)
    response = post_token(http, form, headers=header)
    assert response.status_code == 200
    assert response.get_json()["scope"] == " ".join(READONLY.scopes)


@pytest.mark.parametrize(
    "header",
    [
        basic_raw(
            "*" + base64.b64encode(f"{FULL.client_id}:{FULL.client_secret}".encode()).decode()
        ),
        basic_raw(f"{FULL.client_id}:{FULL.client_secret}"),
        basic_raw(f"{FULL.client_id}:".encode()),
    ],
    ids=["junk in base64", "not encoded", "empty secret"],
)
def test_unusable_basic_header_alone_is_invalid_client(
    http: FlaskClient, header: dict[str, str]
) -> None:
    """Without form credentials, a Basic header that does not decode to id:secret is no client."""
    assert_error(post_token(http, grant_only(), headers=header), "invalid_client")


@pytest.mark.parametrize("scheme", ["basic ", "BASIC ", "Basic   ", "  Basic "])
def test_basic_scheme_in_any_case_and_blanks_is_accepted(http: FlaskClient, scheme: str) -> None:
    """The Basic scheme name is case-insensitive, and blanks around the credentials are ignored."""
    credentials = basic(READONLY.client_id, str(READONLY.client_secret))["Authorization"][6:]
    header = {"Authorization": f"{scheme}{credentials}  "}
    assert post_token(http, grant_only(), headers=header).status_code == 200


@pytest.mark.parametrize("scope", ["openid", "profile", "email", "offline_access"])
def test_identity_scopes_are_refused_even_when_granted_to_the_app(scope: str) -> None:
    """OpenID and offline scopes are never issued by client credentials, whatever the app holds."""
    world = Emulator().state()
    (app,) = [a for a in world["organizations"][0]["apps"] if a["client_id"] == FULL.client_id]
    app["scopes"] = [*app["scopes"], "openid", "profile", "email", "offline_access"]
    http = Emulator(world).app.test_client()
    assert_error(post_token(http, credentials_form(scope=f"OR.Machines {scope}")), "invalid_scope")
    assert post_token(http, credentials_form(scope="OR.Machines")).status_code == 200


def test_repeated_scope_is_granted_once(http: FlaskClient) -> None:
    """Asking twice for a scope grants it once, in the order first asked."""
    form = credentials_form(scope="OR.Machines.Read OR.Machines OR.Machines.Read")
    assert post_token(http, form).get_json()["scope"] == "OR.Machines.Read OR.Machines"


def test_blank_scope_grants_every_app_scope(http: FlaskClient) -> None:
    """A scope of blanks only asks for nothing: all the app's scopes, in the app's order."""
    response = post_token(http, credentials_form(scope="   "))
    assert response.get_json()["scope"] == " ".join(FULL.scopes)


def test_default_scope_is_granted_to_a_confidential_app_not_configured_with_it(
    http: FlaskClient,
) -> None:
    """`OR.Default` alone is granted to the readonly app, whose configured scopes lack it."""
    assert "OR.Default" not in READONLY.scopes
    response = post_token(http, credentials_form(READONLY, scope="OR.Default"))
    assert response.get_json()["scope"] == "OR.Default"


@pytest.mark.parametrize("scope", ["OR.Default OR.Nope", "OR.Default offline_access"])
def test_default_scope_does_not_excuse_the_scopes_after_it(http: FlaskClient, scope: str) -> None:
    """After `OR.Default`, every further scope is still checked: an unknown one is refused."""
    assert_error(post_token(http, credentials_form(READONLY, scope=scope)), "invalid_scope")


def test_default_scope_is_not_granted_to_a_public_app() -> None:
    """Only confidential apps may ask for `OR.Default` without holding it."""
    world = Emulator().world
    with pytest.raises(OAuthError) as refused:
        granted_scopes(world.find_app(SPA.client_id), "OR.Default")
    assert refused.value.code == "invalid_scope"
