"""The Machines API's bearer authentication and scope checks at their edges, with exact answers."""

from typing import Any

import pytest

from tests.identity.signing import ISSUED, claims_at, frozen_emulator, sign
from tests.orchestrator.helpers import MACHINES, assert_not_authorized, assert_orchestrator_error
from uipath_emulator.mock_server.orchestrator.auth import header_safe
from uipath_emulator.mock_server.well_known import ORGANIZATION_ID

READ = ("GET", MACHINES, None)
WRITE = ("PATCH", f"{MACHINES}(1)", {"Description": "scoped"})


def send(authorization: str | None, request: tuple[str, str, Any] = READ, **claims: Any) -> Any:
    """`request` with this Authorization header; `{token}` in it is a token with `claims`."""
    emulator = frozen_emulator()
    token = sign(emulator.signing_key, claims_at(ISSUED, **claims))
    headers = {} if authorization is None else {"Authorization": authorization.format(token=token)}
    method, path, body = request
    return emulator.app.test_client().open(path, method=method, json=body, headers=headers)


def assert_bare_challenge(response: Any) -> None:
    """401 `You are not authenticated!` with exactly `WWW-Authenticate: Bearer`, spelled so."""
    assert assert_orchestrator_error(response, 401, 0) == "You are not authenticated!"
    assert ("WWW-Authenticate", "Bearer") in response.headers.to_wsgi_list()


def assert_forbidden(response: Any) -> None:
    """403 `You are not authorized!` in ASP.NET Boilerplate's envelope, with no challenge."""
    assert_not_authorized(response)
    assert "WWW-Authenticate" not in response.headers


@pytest.mark.parametrize(
    "authorization",
    [None, "", "Bearer", "Bearer   ", "Basic {token}", "Bearer{token}", "Token {token}"],
    ids=["no header", "empty", "scheme only", "scheme and blanks", "basic", "no space", "other"],
)
def test_no_bearer_token_gets_the_bare_challenge(authorization: str | None) -> None:
    """Without a bearer token to check, the challenge is a bare `Bearer` with no error."""
    assert_bare_challenge(send(authorization))


@pytest.mark.parametrize(
    "authorization",
    ["Bearer {token}", "bearer {token}", "BEARER {token}", "  Bearer   {token}  "],
    ids=["canonical", "lower case", "upper case", "extra blanks"],
)
def test_scheme_in_any_case_and_surrounding_blanks_are_accepted(authorization: str) -> None:
    """The scheme is case-insensitive and blanks around the scheme and token are ignored."""
    assert send(authorization).status_code == 200


def test_organization_id_in_the_token_is_compared_ignoring_case() -> None:
    """A `prt_id` holding acme's id in upper case is still acme (GUIDs ignore case)."""
    assert send("Bearer {token}", prt_id=ORGANIZATION_ID.upper()).status_code == 200


@pytest.mark.parametrize(
    "organization", ["9e1d5c7b-3a2f-4e8d-b6c4-5f7a9b1d3e2c", 123, ["acme"]], ids=repr
)
def test_token_of_another_organization_is_refused_naming_the_path_one(organization: Any) -> None:
    """Any other `prt_id` is refused with a description naming the organization in the URL."""
    response = send("Bearer {token}", prt_id=organization)
    assert assert_orchestrator_error(response, 401, 0) == "You are not authenticated!"
    challenge = (
        'Bearer error="invalid_token", '
        "error_description=\"The token was issued for another organization than 'acme'\""
    )
    assert ("WWW-Authenticate", challenge) in response.headers.to_wsgi_list()


@pytest.mark.parametrize(
    ("scope", "read", "write"),
    [
        (["OR.Machines"], 200, 200),
        (["OR.Machines.Read"], 200, 403),
        (["OR.Machines.Write"], 403, 200),
        (["OR.Robots.Read", "OR.Machines.Write"], 403, 200),
        ("OR.Robots.Read OR.Machines.Read", 200, 403),
        ("OR.Machines.Write", 403, 200),
        ("OR.Machines.ReadOR.Machines.Write", 403, 403),
        ([], 403, 403),
        ("", 403, 403),
        (["OR.Default"], 403, 403),
        (["or.default"], 403, 403),
    ],
    ids=repr,
)
def test_each_scope_opens_exactly_its_operations(scope: Any, read: int, write: int) -> None:
    """`OR.Machines` opens reads and writes, `.Read` reads, `.Write` writes; `OR.Default`
    neither: Machines is tenant-level, where no folder role decides."""
    for request, expected in ((READ, read), (WRITE, write)):
        response = send("Bearer {token}", request, scope=scope)
        if expected == 403:
            assert_forbidden(response)
        else:
            assert response.status_code == expected


@pytest.mark.parametrize(
    "scope",
    [None, 5, {"OR.Machines": True}, [["OR.Machines"]], ["or.machines"]],
    ids=["absent", "number", "object", "nested list", "other case"],
)
def test_scope_claim_of_another_shape_grants_nothing(scope: Any) -> None:
    """A missing `scope`, or one that is not a string or a list of strings, is 403, not 500."""
    emulator = frozen_emulator()
    claims = claims_at(ISSUED, scope=scope)
    if scope is None:
        del claims["scope"]
    headers = {"Authorization": f"Bearer {sign(emulator.signing_key, claims)}"}
    response = emulator.app.test_client().get(MACHINES, headers=headers)
    assert_forbidden(response)


@pytest.mark.parametrize(
    ("text", "safe"),
    [
        ("plain text", "plain text"),
        (' ~!"\\', ' ~!\\"\\\\'),
        ("\x1f\x7f\t\r\n\u00e9\u20ac", "???????"),
        ("a" * 199 + "bc", "a" * 199 + "b"),
        ('"' * 200 + "x", '\\"' * 200),
    ],
    ids=["plain", "edges of printable ASCII, quote, backslash", "controls and non-ASCII",
         "cut at 200", "cut before escaping"],
)  # fmt: skip
def test_header_safe_keeps_printable_ascii_escapes_quotes_and_cuts_at_200(
    text: str, safe: str
) -> None:
    """Challenge text keeps space to `~`, escapes `"` and `\\`, replaces the rest, keeps 200."""
    assert header_safe(text) == safe


def test_refused_claim_text_reaches_the_challenge_sanitised() -> None:
    """An issuer with a quote and a line break is quoted in the challenge escaped, on one line."""
    response = send("Bearer {token}", iss='x"\r\n/identity')
    assert response.headers["WWW-Authenticate"] == (
        'Bearer error="invalid_token", '
        'error_description="The issuer \'x\\"??/identity\' is invalid"'
    )
