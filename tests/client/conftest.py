"""Fixtures for the client tests: an active `responses` mock, a fake clock, recorded sleeps."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import responses

from tests.client.fakes import FakeClock, make_client
from uipath_emulator.client import UiPathClient


@pytest.fixture
def rsps() -> Iterator[responses.RequestsMock]:
    """Every `requests` call in the test is answered by this mock; unmatched calls fail."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


@pytest.fixture
def clock() -> FakeClock:
    """The clock the `uipath` client reads."""
    return FakeClock()


@pytest.fixture
def sleeps() -> list[float]:
    """The seconds the `uipath` client asked to sleep, in order (it never really sleeps)."""
    return []


@pytest.fixture
def uipath(
    rsps: responses.RequestsMock, clock: FakeClock, sleeps: list[float]
) -> Iterator[UiPathClient]:
    """A client for the test tenant, on the mock, with the fake clock and recorded sleeps."""
    with make_client(clock=clock, sleeps=sleeps) as client:
        yield client
