"""The client secret and access tokens never show in logs, reprs or exception text."""

from __future__ import annotations

import logging

import pytest
import requests
import responses

from tests.client.fakes import (
    CLIENT_SECRET,
    MACHINES_URL,
    TOKEN_URL,
    TOKEN_VALUES,
    FakeClock,
    add_tokens,
    assert_no_secrets,
    list_body,
    machine,
    make_client,
    orchestrator_error,
)
from uipath_emulator.client import AuthenticationError, UiPathClient, UiPathError


def exception_texts(error: BaseException) -> str:
    """`str` and `repr` of an exception and of every exception chained to it."""
    texts = []
    current: BaseException | None = error
    while current is not None:
        texts += [str(current), repr(current)]
        current = current.__cause__ or current.__context__
    return "\n".join(texts)


def run_failure_scenarios(rsps: responses.RequestsMock, uipath: UiPathClient) -> list[UiPathError]:
    """Drive the client through retries, refreshes and every kind of failure; return the errors."""
    add_tokens(rsps, *TOKEN_VALUES)
    rsps.get(MACHINES_URL, status=429, headers={"Retry-After": "1"})
    rsps.get(MACHINES_URL, **orchestrator_error(401, "You are not authenticated!"))
    rsps.get(MACHINES_URL, json=list_body([machine(1)]))
    rsps.get(f"{MACHINES_URL}(1)", **orchestrator_error(401, "You are not authenticated!"))
    rsps.get(f"{MACHINES_URL}(2)", **orchestrator_error(404, "Machine does not exist.", 1002))
    rsps.get(f"{MACHINES_URL}(3)", status=503)
    rsps.get(f"{MACHINES_URL}(4)", body=requests.ConnectionError("connection refused"))
    rsps.post(MACHINES_URL, **orchestrator_error(409, "Name already used.", 1001))
    rsps.delete(f"{MACHINES_URL}(5)", body="not json", status=500)
    raised: list[UiPathError] = []
    uipath.machines.list()
    for call in (
        lambda: uipath.machines.get(1),
        lambda: uipath.machines.get(2),
        lambda: uipath.machines.get(3),
        lambda: uipath.machines.get(4),
        lambda: uipath.machines.create({"Name": "taken"}),
        lambda: uipath.machines.delete(5),
    ):
        with pytest.raises(UiPathError) as caught:
            call()
        raised.append(caught.value)
    return raised


def test_logs_at_debug_never_hold_the_secret_or_a_token(
    rsps: responses.RequestsMock, uipath: UiPathClient, caplog: pytest.LogCaptureFixture
) -> None:
    """Through retries, a 401 refresh and failures, no log record shows the secret or a token."""
    caplog.set_level(logging.DEBUG)
    run_failure_scenarios(rsps, uipath)
    assert "requesting a token" in caplog.text
    assert "retrying" in caplog.text
    assert_no_secrets(caplog.text)
    for record in caplog.records:
        assert_no_secrets(repr(record.args))


def test_exceptions_never_hold_the_secret_or_a_token(
    rsps: responses.RequestsMock, uipath: UiPathClient
) -> None:
    """`str` and `repr` of every raised error, and of what it chains, omit secret and tokens."""
    raised = run_failure_scenarios(rsps, uipath)
    assert len(raised) == 6
    for error in raised:
        assert_no_secrets(exception_texts(error))


def test_token_errors_hide_a_secret_echoed_by_the_server(
    rsps: responses.RequestsMock, uipath: UiPathClient, caplog: pytest.LogCaptureFixture
) -> None:
    """An `error_description` quoting the secret is masked before it reaches the exception."""
    caplog.set_level(logging.DEBUG)
    description = f"Client secret '{CLIENT_SECRET}' is not valid"
    rsps.post(
        TOKEN_URL, status=400, json={"error": "invalid_client", "error_description": description}
    )
    with pytest.raises(AuthenticationError) as caught:
        uipath.machines.list()
    assert caught.value.error_description == "Client secret '***' is not valid"
    assert_no_secrets(exception_texts(caught.value))
    assert_no_secrets(caplog.text)


def test_reprs_never_hold_the_secret_or_a_token(
    rsps: responses.RequestsMock, uipath: UiPathClient
) -> None:
    """The client, its config, token provider, token and resource show no secret in repr or str."""
    add_tokens(rsps)
    token = uipath.token()
    for item in (uipath, uipath.config, uipath._tokens, token, uipath.machines):
        assert_no_secrets(repr(item))
        assert_no_secrets(str(item))
    assert "client_id='full-app-client-id'" in repr(uipath)
    assert "expires_at=" in repr(uipath._tokens)


def test_a_connection_failure_on_the_token_request_does_not_leak_the_form(
    rsps: responses.RequestsMock, clock: FakeClock, sleeps: list[float]
) -> None:
    """A token request that never connects raises a `TransportError` without the form body."""
    rsps.post(TOKEN_URL, body=requests.ConnectionError("connection refused"))
    with make_client(clock=clock, sleeps=sleeps) as uipath, pytest.raises(UiPathError) as caught:
        uipath.token()
    assert_no_secrets(exception_texts(caught.value))
