"""Authentication: the token request, caching, refresh, 401 handling and single-flight refresh."""

from __future__ import annotations

import json
import threading
from urllib.parse import parse_qs

import pytest
import requests
import responses

from tests.client.fakes import (
    CLIENT_ID,
    CLIENT_SECRET,
    MACHINES_URL,
    TOKEN_URL,
    TOKEN_VALUES,
    ContendedLock,
    FakeClock,
    add_tokens,
    calls_to,
    machine,
    make_client,
    orchestrator_error,
    token_body,
)
from uipath_emulator.client import (
    AuthenticationError,
    ServerError,
    UiPathClient,
    UnauthorizedError,
    UnexpectedResponseError,
)

FIRST, SECOND, _ = TOKEN_VALUES


def bearer(call: responses.Call) -> str | None:
    """The Authorization header a recorded call carried."""
    return call.request.headers.get("Authorization")


def test_token_request_is_the_documented_client_credentials_form(
    rsps: responses.RequestsMock, clock: FakeClock, sleeps: list[float]
) -> None:
    """The token request is a form POST of grant_type, client_id, client_secret and scope."""
    add_tokens(rsps)
    with make_client(
        clock=clock, sleeps=sleeps, scopes=["OR.Machines.Read", "OR.Machines"]
    ) as uipath:
        uipath.token()
    (call,) = rsps.calls
    assert call.request.method == "POST"
    assert call.request.url == TOKEN_URL
    assert call.request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert parse_qs(str(call.request.body), keep_blank_values=True) == {
        "grant_type": ["client_credentials"],
        "client_id": [CLIENT_ID],
        "client_secret": [CLIENT_SECRET],
        "scope": ["OR.Machines.Read OR.Machines"],
    }


def test_no_scopes_sends_an_empty_scope_meaning_all_granted(
    rsps: responses.RequestsMock, uipath: UiPathClient
) -> None:
    """Without configured scopes the request carries `scope=` empty, which grants all app scopes."""
    add_tokens(rsps)
    uipath.token()
    assert parse_qs(str(rsps.calls[0].request.body), keep_blank_values=True)["scope"] == [""]


def test_token_reports_lifetime_expiry_and_granted_scopes(
    rsps: responses.RequestsMock, uipath: UiPathClient, clock: FakeClock
) -> None:
    """The token carries expires_in, an absolute expiry from the clock, and the granted scopes."""
    rsps.post(TOKEN_URL, json=token_body(FIRST, expires_in=3600, scope="OR.Machines OR.Folders"))
    token = uipath.token()
    assert token.access_token == FIRST
    assert token.token_type == "Bearer"
    assert token.expires_in == 3600
    assert token.expires_at == clock.now + 3600
    assert token.scopes == ("OR.Machines", "OR.Folders")


def test_token_url_override_is_where_the_token_is_requested(
    rsps: responses.RequestsMock, clock: FakeClock, sleeps: list[float]
) -> None:
    """With `token_url` set, the organization-less endpoint is used instead of the default."""
    org_less = "https://cloud.uipath.com/identity_/connect/token"
    rsps.post(org_less, json=token_body())
    with make_client(clock=clock, sleeps=sleeps, token_url=org_less) as uipath:
        uipath.token()
    assert [call.request.url for call in rsps.calls] == [org_less]


def test_one_token_request_serves_many_api_calls(
    rsps: responses.RequestsMock, uipath: UiPathClient
) -> None:
    """The token is cached: ten API calls cost one token request and all carry that token."""
    add_tokens(rsps, FIRST, SECOND)
    rsps.get(f"{MACHINES_URL}(1)", json=machine(1))
    for _ in range(10):
        uipath.machines.get(1)
    assert len(calls_to(rsps, TOKEN_URL)) == 1
    assert {bearer(call) for call in calls_to(rsps, MACHINES_URL)} == {f"Bearer {FIRST}"}


def test_token_is_reused_until_the_refresh_margin_then_replaced(
    rsps: responses.RequestsMock, uipath: UiPathClient, clock: FakeClock
) -> None:
    """The cached token serves until 60 s before expiry; from then on a new one is requested."""
    add_tokens(rsps, FIRST, SECOND)
    assert uipath.token().access_token == FIRST
    clock.advance(3600 - 60 - 0.001)
    assert uipath.token().access_token == FIRST
    clock.advance(0.001)
    assert uipath.token().access_token == SECOND
    assert len(calls_to(rsps, TOKEN_URL)) == 2


def test_refresh_margin_is_configurable(
    rsps: responses.RequestsMock, clock: FakeClock, sleeps: list[float]
) -> None:
    """A refresh margin of 300 s replaces the token 300 s before it expires."""
    add_tokens(rsps, FIRST, SECOND)
    with make_client(clock=clock, sleeps=sleeps, refresh_margin=300) as uipath:
        uipath.token()
        clock.advance(3600 - 301)
        assert uipath.token().access_token == FIRST
        clock.advance(1)
        assert uipath.token().access_token == SECOND


def test_short_lived_tokens_are_refreshed_at_half_their_lifetime(
    rsps: responses.RequestsMock, uipath: UiPathClient, clock: FakeClock
) -> None:
    """A token living less than twice the margin is still used, until half its lifetime passed."""
    add_tokens(rsps, FIRST, SECOND, expires_in=60)
    assert uipath.token().access_token == FIRST
    clock.advance(29)
    assert uipath.token().access_token == FIRST
    clock.advance(1)
    assert uipath.token().access_token == SECOND


def test_a_401_refreshes_the_token_once_and_retries_the_call_once(
    rsps: responses.RequestsMock, uipath: UiPathClient
) -> None:
    """An API 401 drops the cached token, fetches a new one, and the retry carries the new one."""
    add_tokens(rsps, FIRST, SECOND)
    rsps.get(f"{MACHINES_URL}(1)", **orchestrator_error(401, "You are not authenticated!"))
    rsps.get(f"{MACHINES_URL}(1)", json=machine(1))
    assert uipath.machines.get(1)["Id"] == 1
    assert len(calls_to(rsps, TOKEN_URL)) == 2
    assert [bearer(call) for call in calls_to(rsps, MACHINES_URL)] == [
        f"Bearer {FIRST}",
        f"Bearer {SECOND}",
    ]


def test_a_second_401_raises_unauthorized_without_further_attempts(
    rsps: responses.RequestsMock, uipath: UiPathClient, sleeps: list[float]
) -> None:
    """When the retried call is refused again, `UnauthorizedError` is raised: two calls in all."""
    add_tokens(rsps, FIRST, SECOND)
    rsps.get(
        MACHINES_URL,
        **orchestrator_error(401, "You are not authenticated!"),
        headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
    )
    with pytest.raises(UnauthorizedError) as caught:
        uipath.machines.list()
    assert caught.value.status == 401
    assert caught.value.message == "You are not authenticated!"
    assert caught.value.www_authenticate == 'Bearer error="invalid_token"'
    assert len(calls_to(rsps, TOKEN_URL)) == 2
    assert len(calls_to(rsps, MACHINES_URL)) == 2
    assert sleeps == []


def test_a_401_on_create_is_retried_once_because_nothing_was_created(
    rsps: responses.RequestsMock, uipath: UiPathClient
) -> None:
    """Even a non-idempotent POST is resent after a 401: the service refused it unprocessed."""
    add_tokens(rsps, FIRST, SECOND)
    rsps.post(MACHINES_URL, **orchestrator_error(401, "You are not authenticated!"))
    rsps.post(MACHINES_URL, status=201, json=machine(7, "NEW"))
    assert uipath.machines.create({"Name": "NEW"})["Id"] == 7
    assert len(calls_to(rsps, MACHINES_URL)) == 2


@pytest.mark.parametrize("error", ["invalid_client", "invalid_scope", "unauthorized_client"])
def test_token_endpoint_errors_raise_authentication_error_with_the_oauth_code(
    rsps: responses.RequestsMock, uipath: UiPathClient, sleeps: list[float], error: str
) -> None:
    """A token endpoint 400 raises `AuthenticationError` with the OAuth code, without retrying."""
    rsps.post(TOKEN_URL, status=400, json={"error": error})
    with pytest.raises(AuthenticationError) as caught:
        uipath.machines.list()
    assert caught.value.error == error
    assert caught.value.status == 400
    assert str(caught.value) == f"{error} (token request rejected with HTTP 400)"
    assert len(rsps.calls) == 1
    assert sleeps == []


def test_authentication_error_includes_the_error_description(
    rsps: responses.RequestsMock, uipath: UiPathClient
) -> None:
    """An `error_description` from the token endpoint is kept and shown after the code."""
    rsps.post(
        TOKEN_URL, status=400, json={"error": "invalid_scope", "error_description": "Unknown scope"}
    )
    with pytest.raises(AuthenticationError) as caught:
        uipath.token()
    assert caught.value.error_description == "Unknown scope"
    assert (
        str(caught.value) == "invalid_scope (token request rejected with HTTP 400): Unknown scope"
    )


def test_token_request_is_retried_after_a_503_and_a_connection_error(
    rsps: responses.RequestsMock, uipath: UiPathClient, sleeps: list[float]
) -> None:
    """The token POST is safe to repeat, so it is retried like an idempotent request."""
    rsps.post(TOKEN_URL, status=503)
    rsps.post(TOKEN_URL, body=requests.ConnectionError("reset"))
    rsps.post(TOKEN_URL, json=token_body())
    assert uipath.token().access_token == FIRST
    assert len(sleeps) == 2


def test_token_endpoint_failing_past_the_retry_bound_raises_server_error(
    rsps: responses.RequestsMock, uipath: UiPathClient
) -> None:
    """A token endpoint that keeps answering 502 ends in `ServerError` with status 502."""
    rsps.post(TOKEN_URL, status=502)
    with pytest.raises(ServerError) as caught:
        uipath.token()
    assert caught.value.status == 502
    assert len(rsps.calls) == 4


def test_token_response_without_access_token_is_an_unexpected_response(
    rsps: responses.RequestsMock, uipath: UiPathClient
) -> None:
    """A 200 token response lacking `access_token` raises `UnexpectedResponseError`."""
    rsps.post(TOKEN_URL, json={"token_type": "Bearer"})
    with pytest.raises(UnexpectedResponseError, match="no access_token"):
        uipath.token()


def test_token_response_without_expires_in_is_taken_to_last_the_documented_hour(
    rsps: responses.RequestsMock, uipath: UiPathClient, clock: FakeClock
) -> None:
    """A token response without `expires_in` is assumed to live 3600 s, UiPath's documented life."""
    rsps.post(TOKEN_URL, json={"access_token": FIRST})
    token = uipath.token()
    assert token.expires_at == clock.now + 3600
    assert token.token_type == "Bearer"
    assert token.scopes == ()


def test_threads_sharing_a_cold_client_cause_one_token_request(
    rsps: responses.RequestsMock, uipath: UiPathClient
) -> None:
    """Eight threads needing a token at once wait for the one request in flight (no stampede).

    The token response is held back until the seven other threads are queued on the provider's
    lock (swapped for one that counts waiters), so the race is real and nothing sleeps.
    """
    threads_count = 8
    lock = ContendedLock()
    uipath._tokens._lock = lock  # type: ignore[assignment]  # observe the waiting threads
    others_queued: list[bool] = []

    def token_response(request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
        others_queued.append(lock.wait_for_waiters(threads_count - 1, timeout=5))
        return 200, {}, json.dumps(token_body(FIRST))

    rsps.add_callback(responses.POST, TOKEN_URL, callback=token_response)
    rsps.get(f"{MACHINES_URL}(1)", json=machine(1))
    start = threading.Barrier(threads_count)
    failures: list[Exception] = []

    def call_api() -> None:
        try:
            start.wait(timeout=5)
            uipath.machines.get(1)
        except Exception as exc:  # reported by the main thread's assertions
            failures.append(exc)

    threads = [threading.Thread(target=call_api) for _ in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert not any(thread.is_alive() for thread in threads)
    assert failures == []
    assert others_queued == [True]
    assert len(calls_to(rsps, TOKEN_URL)) == 1
    assert len(calls_to(rsps, MACHINES_URL)) == threads_count
