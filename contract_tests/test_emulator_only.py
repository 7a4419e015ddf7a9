"""Emulator-only contract: expiry through the clock, injected faults, the seeded world."""

import pytest
import requests

from uipath_emulator.client import UiPathClient
from uipath_emulator.contract_tests.targets import EmulatorControl, Target

pytestmark = pytest.mark.emulator_only


def control(target: Target) -> EmulatorControl:
    """The target's emulator control (present on emulator targets)."""
    assert target.control is not None
    return target.control


def test_expired_token_is_refused_and_the_client_recovers(
    target: Target, session: requests.Session, api: UiPathClient
) -> None:
    """After advancing the clock 3601 s the old token gets 401, and the client refreshes."""
    token = api.token().access_token
    control(target).advance_clock(3601)
    response = session.get(
        target.machines_url, headers={"Authorization": f"Bearer {token}"}, timeout=30
    )
    assert response.status_code == 401
    assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]
    assert api.machines.list(top=1).items


def test_429_with_retry_after_is_retried(target: Target, api: UiPathClient) -> None:
    """A 429 with `Retry-After: 1` on the list is retried and the call succeeds."""
    control(target).add_fault(
        method="GET", path="/odata/Machines$", status=429, headers={"Retry-After": "1"}
    )
    assert api.machines.list(top=1).items


def test_503_is_retried(target: Target, api: UiPathClient) -> None:
    """A 503 on a get is retried and the call succeeds."""
    control(target).add_fault(method="GET", path=r"Machines\(1\)", status=503, times=2)
    assert api.machines.get(1)["Id"] == 1


def test_dropped_connection_is_retried(target: Target, api: UiPathClient) -> None:
    """A dropped connection on a get is retried and the call succeeds."""
    control(target).add_fault(method="GET", path=r"Machines\(2\)", drop=True)
    assert api.machines.get(2)["Id"] == 2


def test_seeded_world(target: Target, api: UiPathClient) -> None:
    """acme/DefaultTenant holds the eight well-known machines, by name, in id order."""
    names = [item["Name"] for item in api.machines.list(orderby="Id").items]
    assert names == [
        "BUILD-AGENT-01",
        "BUILD-AGENT-02",
        "Finance template",
        "HR-ONBOARDING-VM",
        "Jane Doe's workspace machine",
        "serverless-default",
        "TEST-RUNNER-01",
        "legacy-attended",
    ]
    state = control(target).state()
    assert [org["name"] for org in state["organizations"]] == ["acme", "globex"]
