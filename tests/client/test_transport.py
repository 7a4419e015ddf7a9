"""Transport resilience: timeouts, User-Agent, retries with backoff, and what is never retried."""

from __future__ import annotations

import pytest
import requests
import responses

from tests.client.fakes import (
    JITTER,
    MACHINES_URL,
    TOKEN_URL,
    FakeClock,
    add_tokens,
    calls_to,
    list_body,
    machine,
    make_client,
    orchestrator_error,
)
from uipath_emulator.client import (
    APIError,
    BadRequestError,
    ConflictError,
    ForbiddenError,
    NotFoundError,
    RateLimitedError,
    RetryPolicy,
    ServerError,
    TransportError,
    UiPathClient,
    __version__,
)

MACHINE_URL = f"{MACHINES_URL}(1)"
BULK_URL = f"{MACHINES_URL}/UiPath.Server.Configuration.OData.DeleteBulk"


@pytest.fixture(autouse=True)
def _token(rsps: responses.RequestsMock) -> None:
    """Every test here starts with a working token endpoint."""
    add_tokens(rsps)


def test_every_request_has_connect_and_read_timeouts(
    rsps: responses.RequestsMock, clock: FakeClock, sleeps: list[float]
) -> None:
    """The configured (connect, read) timeout goes with the token request and every API call."""
    rsps.get(MACHINES_URL, json=list_body([]))
    with make_client(clock=clock, sleeps=sleeps, timeout=(3.0, 7.5)) as uipath:
        uipath.machines.list()
    assert len(rsps.calls) == 2
    for call in rsps.calls:
        # `req_kwargs` is what requests passed to the adapter, recorded by responses.
        assert call.request.req_kwargs["timeout"] == (3.0, 7.5)  # type: ignore[attr-defined]


def test_every_request_names_the_client_in_its_user_agent(
    rsps: responses.RequestsMock, uipath: UiPathClient
) -> None:
    """The User-Agent is `uipath-cloud-emulator-client/<version> python-requests/<version>`."""
    rsps.get(MACHINES_URL, json=list_body([]))
    uipath.machines.list()
    expected = f"uipath-cloud-emulator-client/{__version__} python-requests/{requests.__version__}"
    assert {call.request.headers["User-Agent"] for call in rsps.calls} == {expected}
    assert rsps.calls[1].request.headers["Accept"] == "application/json"


def test_429_waits_for_the_numeric_retry_after_then_succeeds(
    rsps: responses.RequestsMock, uipath: UiPathClient, sleeps: list[float]
) -> None:
    """A 429 with `Retry-After: 7` sleeps exactly 7 s before the retry, which succeeds."""
    rsps.get(MACHINES_URL, status=429, headers={"Retry-After": "7"})
    rsps.get(MACHINES_URL, json=list_body([machine(1)]))
    assert uipath.machines.list().items == [machine(1)]
    assert sleeps == [7.0]


def test_retry_after_is_capped(
    rsps: responses.RequestsMock, uipath: UiPathClient, sleeps: list[float]
) -> None:
    """A `Retry-After` above the policy's cap (60 s by default) waits only the cap."""
    rsps.get(MACHINES_URL, status=429, headers={"Retry-After": "3600"})
    rsps.get(MACHINES_URL, json=list_body([]))
    uipath.machines.list()
    assert sleeps == [60.0]


def test_retry_after_as_an_http_date_falls_back_to_backoff(
    rsps: responses.RequestsMock, uipath: UiPathClient, sleeps: list[float]
) -> None:
    """A non-numeric `Retry-After` (an HTTP date) is ignored in favour of jittered backoff."""
    rsps.get(MACHINES_URL, status=503, headers={"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"})
    rsps.get(MACHINES_URL, json=list_body([]))
    uipath.machines.list()
    assert sleeps == [JITTER * 0.5]


@pytest.mark.parametrize("status", [502, 503, 504])
def test_gateway_errors_are_retried_then_succeed(
    rsps: responses.RequestsMock, uipath: UiPathClient, sleeps: list[float], status: int
) -> None:
    """A 502, 503 or 504 followed by a 200 returns the 200 after one backoff sleep."""
    rsps.get(MACHINE_URL, status=status)
    rsps.get(MACHINE_URL, json=machine(1))
    assert uipath.machines.get(1) == machine(1)
    assert sleeps == [JITTER * 0.5]


def test_backoff_doubles_each_retry_and_is_jittered(
    rsps: responses.RequestsMock, uipath: UiPathClient, sleeps: list[float]
) -> None:
    """Waits are jitter * 0.5 s * 2^(n-1): full jitter over an exponentially growing ceiling."""
    for _ in range(3):
        rsps.get(MACHINE_URL, status=503)
    rsps.get(MACHINE_URL, json=machine(1))
    uipath.machines.get(1)
    assert sleeps == [JITTER * 0.5, JITTER * 1.0, JITTER * 2.0]


def test_backoff_ceiling_is_capped() -> None:
    """The backoff ceiling never exceeds `backoff_cap`, however many retries."""
    policy = RetryPolicy(backoff_base=1.0, backoff_cap=10.0)
    assert [policy.backoff(n, 1.0) for n in range(1, 7)] == [1.0, 2.0, 4.0, 8.0, 10.0, 10.0]
    assert policy.backoff(3, 0.0) == 0.0


def test_retry_policy_needs_at_least_one_attempt() -> None:
    """A policy with zero attempts is refused when it is made."""
    with pytest.raises(ValueError, match="max_attempts"):
        RetryPolicy(max_attempts=0)


def test_connection_error_then_success_is_retried(
    rsps: responses.RequestsMock, uipath: UiPathClient, sleeps: list[float]
) -> None:
    """A GET that fails to connect is sent again and its second answer returned."""
    rsps.get(MACHINES_URL, body=requests.ConnectionError("connection refused"))
    rsps.get(MACHINES_URL, json=list_body([machine(1)], count=1))
    assert uipath.machines.list().count == 1
    assert len(sleeps) == 1


def test_read_timeout_on_a_get_is_retried(
    rsps: responses.RequestsMock, uipath: UiPathClient
) -> None:
    """A GET whose read timed out is sent again."""
    rsps.get(MACHINE_URL, body=requests.ReadTimeout("read timed out"))
    rsps.get(MACHINE_URL, json=machine(1))
    assert uipath.machines.get(1)["Id"] == 1


def test_gives_up_after_the_attempt_bound_with_the_last_status(
    rsps: responses.RequestsMock, uipath: UiPathClient, sleeps: list[float]
) -> None:
    """Four 503s in a row (the default bound) raise `ServerError` with status 503."""
    rsps.get(MACHINES_URL, **orchestrator_error(503, "Service unavailable"))
    with pytest.raises(ServerError) as caught:
        uipath.machines.list()
    assert caught.value.status == 503
    assert caught.value.message == "Service unavailable"
    assert len(calls_to(rsps, MACHINES_URL)) == 4
    assert len(sleeps) == 3


def test_gives_up_on_429_with_the_servers_retry_hint(
    rsps: responses.RequestsMock, uipath: UiPathClient, sleeps: list[float]
) -> None:
    """Persistent 429s raise `RateLimitedError` carrying the last `Retry-After` in seconds."""
    rsps.get(MACHINES_URL, status=429, headers={"Retry-After": "2"})
    with pytest.raises(RateLimitedError) as caught:
        uipath.machines.list()
    assert caught.value.retry_after == 2.0
    assert sleeps == [2.0, 2.0, 2.0]


def test_gives_up_on_connection_errors_with_a_transport_error(
    rsps: responses.RequestsMock, uipath: UiPathClient
) -> None:
    """A GET that never connects raises `TransportError` after the bounded attempts."""
    rsps.get(MACHINES_URL, body=requests.ConnectionError("connection refused"))
    with pytest.raises(TransportError) as caught:
        uipath.machines.list()
    assert caught.value.attempts == 4
    assert caught.value.status is None
    assert isinstance(caught.value.__cause__, requests.ConnectionError)


def test_attempt_bound_is_configurable(
    rsps: responses.RequestsMock, clock: FakeClock, sleeps: list[float]
) -> None:
    """With `max_attempts=2` a failing GET is sent exactly twice."""
    rsps.get(MACHINES_URL, status=504)
    with (
        make_client(clock=clock, sleeps=sleeps, retry=RetryPolicy(max_attempts=2)) as uipath,
        pytest.raises(ServerError),
    ):
        uipath.machines.list()
    assert len(calls_to(rsps, MACHINES_URL)) == 2


@pytest.mark.parametrize(
    ("status", "error_class"),
    [(400, BadRequestError), (403, ForbiddenError), (404, NotFoundError), (409, ConflictError)],
)
def test_client_errors_are_never_retried(
    rsps: responses.RequestsMock,
    uipath: UiPathClient,
    sleeps: list[float],
    status: int,
    error_class: type[APIError],
) -> None:
    """400, 403, 404 and 409 raise at once: one call, no sleep."""
    rsps.get(MACHINE_URL, **orchestrator_error(status, "no"))
    with pytest.raises(error_class):
        uipath.machines.get(1)
    assert len(calls_to(rsps, MACHINES_URL)) == 1
    assert sleeps == []


def test_machine_create_is_not_retried_after_a_connection_error(
    rsps: responses.RequestsMock, uipath: UiPathClient, sleeps: list[float]
) -> None:
    """A create POST that lost its connection is not resent: it may have created the machine."""
    rsps.post(MACHINES_URL, body=requests.ConnectionError("connection reset"))
    with pytest.raises(TransportError) as caught:
        uipath.machines.create({"Name": "NEW"})
    assert caught.value.attempts == 1
    assert len(calls_to(rsps, MACHINES_URL)) == 1
    assert sleeps == []


def test_machine_create_is_not_retried_after_a_503(
    rsps: responses.RequestsMock, uipath: UiPathClient, sleeps: list[float]
) -> None:
    """A create POST answered 503 raises `ServerError` after that one attempt."""
    rsps.post(MACHINES_URL, status=503)
    with pytest.raises(ServerError):
        uipath.machines.create({"Name": "NEW"})
    assert len(calls_to(rsps, MACHINES_URL)) == 1
    assert sleeps == []


def test_bulk_delete_is_not_retried_after_a_connection_error(
    rsps: responses.RequestsMock, uipath: UiPathClient
) -> None:
    """The DeleteBulk POST is sent once even when its connection fails."""
    rsps.post(BULK_URL, body=requests.ConnectionError("connection reset"))
    with pytest.raises(TransportError):
        uipath.machines.delete_many([1, 2])
    assert len(calls_to(rsps, BULK_URL)) == 1


def test_patch_put_and_delete_are_retried_as_idempotent(
    rsps: responses.RequestsMock, uipath: UiPathClient, sleeps: list[float]
) -> None:
    """PATCH, PUT and DELETE set or remove state, so each is resent after a connection error."""
    for method in (responses.PATCH, responses.PUT, responses.DELETE):
        rsps.add(method, MACHINE_URL, body=requests.ConnectionError("connection reset"))
        rsps.add(method, MACHINE_URL, status=204 if method == responses.DELETE else 200)
    uipath.machines.update(1, {"Description": "x"})
    uipath.machines.replace(1, machine(1))
    uipath.machines.delete(1)
    methods = [call.request.method for call in calls_to(rsps, MACHINES_URL)]
    assert methods == ["PATCH", "PATCH", "PUT", "PUT", "DELETE", "DELETE"]
    assert len(sleeps) == 3


def test_a_500_is_not_retried(
    rsps: responses.RequestsMock, uipath: UiPathClient, sleeps: list[float]
) -> None:
    """Only 429, 502, 503 and 504 are retried; a 500 raises `ServerError` at once."""
    rsps.get(MACHINES_URL, status=500)
    with pytest.raises(ServerError):
        uipath.machines.list()
    assert sleeps == []
    assert len(calls_to(rsps, TOKEN_URL)) == 1
