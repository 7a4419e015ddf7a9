"""The client's token request when the endpoint misbehaves, and its token cache at the edges."""

from __future__ import annotations

import logging
import threading
from typing import Any

import pytest
import responses

from tests.client.fakes import (
    CLIENT_ID,
    CLIENT_SECRET,
    START_TIME,
    TOKEN_URL,
    TOKEN_VALUES,
    FakeClock,
    add_tokens,
    make_client,
    token_body,
)
from uipath_emulator.client import (
    AuthenticationError,
    RateLimitedError,
    ServerError,
    UiPathClient,
    UnexpectedResponseError,
)

FIRST, SECOND, _ = TOKEN_VALUES
AUTH_LOGGER = "uipath_emulator.client._auth"
TRANSPORT_LOGGER = "uipath_emulator.client._transport"
NO_ACCESS_TOKEN = f"token response has no access_token (HTTP 200 POST {TOKEN_URL})"


def test_token_endpoint_429_is_retried_then_raises_rate_limited(
    rsps: responses.RequestsMock, uipath: UiPathClient, sleeps: list[float]
) -> None:
    """A token endpoint that keeps answering 429 is retried as Retry-After says, then raises."""
    rsps.post(TOKEN_URL, status=429, headers={"Retry-After": "2"})
    with pytest.raises(RateLimitedError) as caught:
        uipath.token()
    assert str(caught.value) == f"HTTP 429 POST {TOKEN_URL}: Too Many Requests"
    assert (caught.value.status, caught.value.retry_after) == (429, 2.0)
    assert sleeps == [2.0, 2.0, 2.0]
    assert len(rsps.calls) == 4


def test_token_endpoint_429_then_success_gives_the_token(
    rsps: responses.RequestsMock, uipath: UiPathClient, sleeps: list[float]
) -> None:
    """One 429 with Retry-After 1, then a token: the client waits 1 s and returns the token."""
    rsps.post(TOKEN_URL, status=429, headers={"Retry-After": "1"})
    rsps.post(TOKEN_URL, json=token_body(FIRST))
    assert uipath.token().access_token == FIRST
    assert sleeps == [1.0]


@pytest.mark.parametrize("status", [500, 501, 599])
def test_token_endpoint_5xx_raises_server_error_without_retrying_a_500(
    rsps: responses.RequestsMock, uipath: UiPathClient, sleeps: list[float], status: int
) -> None:
    """A 500 (not a retry status) from the token endpoint is a `ServerError` at once."""
    rsps.post(TOKEN_URL, status=status, json={"message": "boom"})
    with pytest.raises(ServerError) as caught:
        uipath.token()
    assert str(caught.value) == f"HTTP {status} POST {TOKEN_URL}: boom"
    assert caught.value.status == status
    assert len(rsps.calls) == 1
    assert sleeps == []


@pytest.mark.parametrize("status", [300, 401, 403, 404, 499])
def test_token_endpoint_other_statuses_are_authentication_errors(
    rsps: responses.RequestsMock, uipath: UiPathClient, status: int
) -> None:
    """Any status that is not 2xx, 429 or 5xx is a refusal, even with a token in the body."""
    rsps.post(TOKEN_URL, status=status, json={"error": "invalid_client", **token_body(FIRST)})
    with pytest.raises(AuthenticationError) as caught:
        uipath.token()
    assert str(caught.value) == f"invalid_client (token request rejected with HTTP {status})"
    assert caught.value.status == status


@pytest.mark.parametrize("status", [200, 201, 299])
def test_any_2xx_with_a_token_is_a_success(
    rsps: responses.RequestsMock, uipath: UiPathClient, status: int
) -> None:
    """Every 2xx status carrying an access token gives that token."""
    rsps.post(TOKEN_URL, status=status, json=token_body(FIRST))
    assert uipath.token().access_token == FIRST


@pytest.mark.parametrize(
    "body",
    [
        {"access_token": "", "expires_in": 3600},
        {"access_token": 123},
        {"access_token": None},
        {"access_token": [FIRST]},
        [{"access_token": FIRST}],
        "access_token",
    ],
    ids=["empty", "number", "null", "list", "array body", "string body"],
)
def test_token_response_without_a_usable_access_token_is_unexpected(
    rsps: responses.RequestsMock, uipath: UiPathClient, body: Any
) -> None:
    """A 200 whose body has no non-empty string `access_token` raises `UnexpectedResponseError`."""
    rsps.post(TOKEN_URL, json=body)
    with pytest.raises(UnexpectedResponseError) as caught:
        uipath.token()
    assert str(caught.value) == NO_ACCESS_TOKEN
    assert caught.value.status == 200


def test_token_response_that_is_not_json_is_unexpected(
    rsps: responses.RequestsMock, uipath: UiPathClient
) -> None:
    """A 200 with an HTML page instead of JSON raises `UnexpectedResponseError`."""
    rsps.post(TOKEN_URL, body="<html>sign in</html>", content_type="text/html")
    with pytest.raises(UnexpectedResponseError) as caught:
        uipath.token()
    assert str(caught.value) == NO_ACCESS_TOKEN


@pytest.mark.parametrize(
    ("expires_in", "lifetime"),
    [(0, 3600.0), (-5, 3600.0), (True, 3600.0), ("1800", 3600.0), (None, 3600.0), (1, 1.0),
     (1.5, 1.5), (7200, 7200.0)],
    ids=repr,
)  # fmt: skip
def test_unusable_expires_in_is_taken_as_the_documented_hour(
    rsps: responses.RequestsMock, uipath: UiPathClient, expires_in: Any, lifetime: float
) -> None:
    """`expires_in` is used only when it is a positive number; else the token lives 3600 s."""
    rsps.post(TOKEN_URL, json={"access_token": FIRST, "expires_in": expires_in})
    token = uipath.token()
    assert token.expires_in == lifetime
    assert token.expires_at == START_TIME + lifetime


@pytest.mark.parametrize(
    ("token_type", "kept"),
    [("bearer", "bearer"), ("", "Bearer"), (None, "Bearer"), (7, "Bearer")],
    ids=repr,
)
def test_token_type_defaults_to_bearer(
    rsps: responses.RequestsMock, uipath: UiPathClient, token_type: Any, kept: str
) -> None:
    """A missing, empty or non-string `token_type` is taken as `Bearer`."""
    rsps.post(TOKEN_URL, json={"access_token": FIRST, "token_type": token_type})
    assert uipath.token().token_type == kept


@pytest.mark.parametrize(
    ("scope", "scopes"),
    [
        ("OR.Machines  OR.Robots.Read", ("OR.Machines", "OR.Robots.Read")),
        ("", ()),
        (["OR.Machines", 7], ("OR.Machines", "7")),
        (None, ("OR.Folders",)),
        (7, ("OR.Folders",)),
    ],
    ids=repr,
)
def test_granted_scopes_come_from_the_response_else_from_the_request(
    rsps: responses.RequestsMock, clock: FakeClock, sleeps: list[float], scope: Any, scopes: Any
) -> None:
    """A string or list `scope` is what was granted; without one, what was asked for."""
    rsps.post(TOKEN_URL, json={"access_token": FIRST, "scope": scope})
    with make_client(clock=clock, sleeps=sleeps, scopes=["OR.Folders"]) as uipath:
        assert uipath.token().scopes == scopes


@pytest.mark.parametrize(
    "body",
    [[{"error": "invalid_client"}], "Bad Request", {"error": 400}, {"error": ""}, None],
    ids=["array", "text", "number", "empty", "no body"],
)
def test_error_body_without_an_oauth_code_still_raises_authentication_error(
    rsps: responses.RequestsMock, uipath: UiPathClient, body: Any
) -> None:
    """A refusal whose body holds no error code raises `AuthenticationError` without a code."""
    if isinstance(body, str):
        rsps.post(TOKEN_URL, status=400, body=body)
    elif body is None:
        rsps.post(TOKEN_URL, status=400)
    else:
        rsps.post(TOKEN_URL, status=400, json=body)
    with pytest.raises(AuthenticationError) as caught:
        uipath.token()
    assert str(caught.value) == "token request failed (token request rejected with HTTP 400)"
    assert (caught.value.error, caught.value.error_description) == (None, None)


def test_error_description_is_one_line_with_the_secret_masked(
    rsps: responses.RequestsMock, uipath: UiPathClient
) -> None:
    """The description's blanks collapse to single spaces and the client secret shows as ***."""
    description = f"  The secret\n\t{CLIENT_SECRET}  is\r\nwrong "
    body = {"error": "invalid_client", "error_description": description}
    rsps.post(TOKEN_URL, status=400, json=body)
    with pytest.raises(AuthenticationError) as caught:
        uipath.token()
    assert caught.value.error_description == "The secret *** is wrong"
    assert str(caught.value) == (
        "invalid_client (token request rejected with HTTP 400): The secret *** is wrong"
    )


def test_non_string_error_description_is_dropped(
    rsps: responses.RequestsMock, uipath: UiPathClient
) -> None:
    """An `error_description` that is not a string is left out."""
    rsps.post(TOKEN_URL, status=400, json={"error": "invalid_scope", "error_description": 5})
    with pytest.raises(AuthenticationError) as caught:
        uipath.token()
    assert str(caught.value) == "invalid_scope (token request rejected with HTTP 400)"


@pytest.mark.parametrize(
    ("expires_in", "replaced_at"),
    [(3600, 3540), (100, 50)],
    ids=["hour token: 60 s margin", "100 s token: half its lifetime"],
)
def test_token_is_replaced_from_exactly_its_refresh_instant(
    rsps: responses.RequestsMock,
    uipath: UiPathClient,
    clock: FakeClock,
    expires_in: int,
    replaced_at: int,
) -> None:
    """A token is served until 60 s before expiry (half its life if shorter) and then replaced."""
    add_tokens(rsps, FIRST, SECOND, expires_in=expires_in)
    uipath.token()
    clock.now = START_TIME + replaced_at - 0.001
    assert uipath.token().access_token == FIRST
    clock.now = START_TIME + replaced_at
    assert uipath.token().access_token == SECOND


def test_invalidate_forgets_only_the_token_it_is_given(
    rsps: responses.RequestsMock, uipath: UiPathClient
) -> None:
    """Invalidating a token another thread already replaced keeps the replacement cached."""
    add_tokens(rsps, FIRST, SECOND)
    provider = uipath._tokens
    first = provider.get()
    provider.invalidate(first)
    second = provider.get()
    assert second.access_token == SECOND
    provider.invalidate(first)
    assert provider.get() is second
    assert len(rsps.calls) == 2


def test_provider_repr_shows_the_endpoint_client_and_expiry_but_no_token(
    rsps: responses.RequestsMock, uipath: UiPathClient
) -> None:
    """The provider's repr names the token URL, the client id and when its token expires."""
    provider = uipath._tokens
    start = f"TokenProvider(token_url='{TOKEN_URL}', client_id='{CLIENT_ID}', "
    assert repr(provider) == start + "no token)"
    add_tokens(rsps)
    token = provider.get()
    assert repr(provider) == start + f"expires_at={START_TIME + 3600!r})"
    assert repr(token) == (
        f"Token(token_type='Bearer', expires_in=3600.0, expires_at={START_TIME + 3600!r}, "
        "scopes=('OR.Machines',))"
    )


def test_token_requests_are_logged_at_debug_without_secrets(
    rsps: responses.RequestsMock,
    clock: FakeClock,
    sleeps: list[float],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The request, the granted token and a refusal are each one debug line of `client._auth`."""
    caplog.set_level(logging.DEBUG, logger=AUTH_LOGGER)
    add_tokens(rsps)
    with make_client(clock=clock, sleeps=sleeps, scopes=["OR.Machines", "OR.Folders"]) as uipath:
        uipath.token()
    rsps.post(TOKEN_URL, status=400, json={"error": "invalid_client"})
    with make_client(clock=clock, sleeps=sleeps) as uipath, pytest.raises(AuthenticationError):
        uipath.token()
    assert [r.getMessage() for r in caplog.records if r.name == AUTH_LOGGER] == [
        f"requesting a token from {TOKEN_URL} for client_id {CLIENT_ID}, "
        "scopes OR.Machines OR.Folders",
        "got a Bearer token for 3600 s, scopes ('OR.Machines',)",
        f"requesting a token from {TOKEN_URL} for client_id {CLIENT_ID}, scopes (all granted)",
        "token request rejected: HTTP 400 invalid_client",
    ]
    assert {r.levelno for r in caplog.records if r.name == AUTH_LOGGER} == {logging.DEBUG}


def test_token_request_is_sent_and_logged_as_a_post(
    rsps: responses.RequestsMock, uipath: UiPathClient, caplog: pytest.LogCaptureFixture
) -> None:
    """The transport sends and logs the token request as `POST`, the method UiPath documents."""
    caplog.set_level(logging.DEBUG, logger=TRANSPORT_LOGGER)
    add_tokens(rsps)
    uipath.token()
    assert rsps.calls[0].request.method == "POST"
    assert [r.getMessage() for r in caplog.records if r.name == TRANSPORT_LOGGER] == [
        f"POST {TOKEN_URL} -> 200 (attempt 1)"
    ]


class CountingLock:
    """A lock that counts how often it was taken."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.taken = 0

    def __enter__(self) -> CountingLock:
        self._lock.acquire()
        self.taken += 1
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._lock.release()


def test_fresh_cached_token_is_handed_out_without_taking_the_lock(
    rsps: responses.RequestsMock, uipath: UiPathClient
) -> None:
    """Only a missing or stale token takes the refresh lock; a fresh one is read without it."""
    lock = CountingLock()
    uipath._tokens._lock = lock  # type: ignore[assignment]  # observe who takes the lock
    add_tokens(rsps)
    first = uipath.token()
    assert lock.taken == 1
    for _ in range(5):
        assert uipath.token() is first
    assert lock.taken == 1
