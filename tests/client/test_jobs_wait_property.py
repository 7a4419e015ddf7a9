"""Property: `jobs.wait` returns a job that ends within the timeout, times out on one that does
not, and never sleeps longer than a pause allows or past the timeout."""

from __future__ import annotations

import json

import pytest
import requests
import responses
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from tests.client.fakes import TENANT_URL, FakeClock, add_tokens, make_client
from uipath_emulator.client import JobTimeoutError

KEY = "5e0d2c1b-3a4f-4e6d-8c7b-9a0f1e2d3c4b"
BY_KEY = (
    f"{TENANT_URL}/orchestrator_/odata/Jobs/UiPath.Server.Configuration.OData.GetByKey"
    f"(identifier={KEY})"
)
TOLERANCE = 1e-6
"""Seconds of floating-point slack when comparing instants."""
times = st.floats(min_value=0, max_value=200, allow_nan=False)


@settings(deadline=None, max_examples=60)
@given(
    ends_after=times,
    timeout=times,
    interval=st.floats(min_value=0.1, max_value=50, allow_nan=False),
    extra=st.floats(min_value=0, max_value=50, allow_nan=False),
    backoff=st.floats(min_value=1, max_value=4, allow_nan=False),
)
def test_wait_ends_when_the_job_does_or_at_the_timeout(
    ends_after: float, timeout: float, interval: float, extra: float, backoff: float
) -> None:
    """A job ending `ends_after` s after the first read is returned by the first read at or
    after its end when that is within `timeout`; otherwise `JobTimeoutError` after exactly
    `timeout` s. Pauses follow `interval * backoff**n` up to `max_interval`; only the last is
    cut short, to end at the deadline."""
    assume(abs(ends_after - timeout) > TOLERANCE)
    clock = FakeClock(0.0)
    naps: list[float] = []

    def sleep(pause: float) -> None:
        naps.append(pause)
        clock.advance(pause)

    def respond(_request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
        state = "Successful" if clock.now >= ends_after else "Running"
        return 200, {}, json.dumps({"Key": KEY, "State": state, "OrganizationUnitId": 1})

    max_interval = interval + extra
    job = {"Key": KEY, "OrganizationUnitId": 1}
    options = {"interval": interval, "max_interval": max_interval, "backoff": backoff}
    with responses.RequestsMock() as rsps, make_client(clock=clock, sleeps=[], sleep=sleep) as api:
        add_tokens(rsps)
        rsps.add_callback(responses.GET, BY_KEY, callback=respond)
        if ends_after < timeout:
            assert api.jobs.wait(job, timeout=timeout, **options)["State"] == "Successful"
            assert ends_after <= clock.now <= timeout + TOLERANCE
            assert not naps or clock.now - naps[-1] < ends_after  # the read before: too early
        else:
            with pytest.raises(JobTimeoutError) as raised:
                api.jobs.wait(job, timeout=timeout, **options)
            assert raised.value.waited == pytest.approx(timeout, abs=TOLERANCE)
            assert clock.now == pytest.approx(timeout, abs=TOLERANCE)
    schedule, step = [], interval
    for _ in naps:
        schedule.append(step)
        step = min(step * backoff, max_interval)
    assert naps[:-1] == pytest.approx(schedule[:-1])  # the last pause may be cut short
    assert all(0 < pause <= limit + TOLERANCE for pause, limit in zip(naps, schedule, strict=True))
