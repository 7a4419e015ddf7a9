"""What the Processes and Jobs calls put on the wire (checked with `responses`): bodies,
headers, key look-ups, and `wait`'s back-off."""

from __future__ import annotations

import json
from typing import Any

import pytest
import responses
from responses import matchers

from tests.client.fakes import TENANT_URL, FakeClock, add_tokens, calls_to, make_client
from uipath_emulator.client import JobTimeoutError, ServerError, UiPathClient

ODATA = f"{TENANT_URL}/orchestrator_/odata"
JOBS_URL = f"{ODATA}/Jobs"
SERVICE = "UiPath.Server.Configuration.OData"
START = f"{JOBS_URL}/{SERVICE}.StartJobs"
STOP = f"{JOBS_URL}/{SERVICE}.StopJobs"
RESTART = f"{JOBS_URL}/{SERVICE}.RestartJob"
KEY = "5e0d2c1b-3a4f-4e6d-8c7b-9a0f1e2d3c4b"
OTHER_KEY = "6f1e3d2c-4b5a-4f7e-9d8c-0b1a2f3e4d5c"
BY_KEY = f"{JOBS_URL}/{SERVICE}.GetByKey(identifier={KEY})"


def job(state: str, key: str = KEY, job_id: int = 7, folder_id: int = 2) -> dict[str, Any]:
    """A job as Orchestrator answers it."""
    return {"Key": key, "State": state, "Id": job_id, "OrganizationUnitId": folder_id}


def body_of(call: responses.Call) -> Any:
    """The JSON body a recorded call sent."""
    return json.loads(call.request.body or b"")


def test_start_by_name_sends_the_sdk_minimal_body(
    rsps: responses.RequestsMock, uipath: UiPathClient
) -> None:
    """A name becomes ReleaseName, the inputs JSON text, in the folder; no Strategy is sent."""
    add_tokens(rsps)
    rsps.post(
        START,
        status=201,
        json={"value": [job("Pending")]},
        match=[matchers.header_matcher({"X-UIPATH-FolderPath": "Shared"})],
    )
    assert uipath.processes.start("HelloWorld", {"Name": "Ada"}, folder="Shared") == [
        job("Pending")
    ]
    (call,) = calls_to(rsps, START)
    assert body_of(call) == {
        "startInfo": {"ReleaseName": "HelloWorld", "InputArguments": '{"Name": "Ada"}'}
    }


def test_start_by_key_with_a_count(rsps: responses.RequestsMock, uipath: UiPathClient) -> None:
    """A GUID becomes ReleaseKey; `jobs_count` sends ModernJobsCount; `source` is passed on."""
    add_tokens(rsps)
    rsps.post(START, status=201, json={"value": []})
    uipath.processes.start(KEY.upper(), folder=2, jobs_count=3, source="Manual")
    (call,) = calls_to(rsps, START)
    assert body_of(call) == {
        "startInfo": {
            "ReleaseKey": KEY,
            "Strategy": "ModernJobsCount",
            "JobsCount": 3,
            "Source": "Manual",
        }
    }
    assert call.request.headers["X-UIPATH-OrganizationUnitId"] == "2"


def test_start_is_sent_once_on_a_503(rsps: responses.RequestsMock, uipath: UiPathClient) -> None:
    """StartJobs is not retried (a repeat would start more jobs): one 503, `ServerError`."""
    add_tokens(rsps)
    rsps.post(START, status=503)
    with pytest.raises(ServerError):
        uipath.processes.start("HelloWorld", folder="Shared")
    assert len(calls_to(rsps, START)) == 1


def test_get_by_key_alone_looks_up_the_folder_once(
    rsps: responses.RequestsMock, uipath: UiPathClient
) -> None:
    """A bare key: one cross-folder `Key in (...)` listing (as the SDK sends it), then GetByKey
    (unquoted GUID) in the job's folder."""
    add_tokens(rsps)
    rsps.get(JOBS_URL, json={"value": [job("Running")]})
    rsps.get(BY_KEY, json=job("Running"))
    assert uipath.jobs.get(KEY)["State"] == "Running"
    (lookup,) = calls_to(rsps, f"{JOBS_URL}?")
    assert lookup.request.url == (
        f"{JOBS_URL}?$filter=Key%20in%20%28'{KEY}'%29&$select=Id,Key,OrganizationUnitId&$top=1"
    )
    assert not [h for h in lookup.request.headers if h.upper().startswith("X-UIPATH-")]
    (got,) = calls_to(rsps, BY_KEY)
    assert got.request.headers["X-UIPATH-OrganizationUnitId"] == "2"


def test_stop_sends_one_request_per_folder(
    rsps: responses.RequestsMock, uipath: UiPathClient
) -> None:
    """Jobs given as dicts of two folders: one StopJobs per folder, with that folder's ids."""
    add_tokens(rsps)
    rsps.post(STOP, status=200)
    jobs = [job("Running", job_id=1, folder_id=2), job("Running", OTHER_KEY, 2, 5)]
    uipath.jobs.stop([*jobs, job("Pending", job_id=3, folder_id=2)], strategy="Kill")
    sent = [
        (call.request.headers["X-UIPATH-OrganizationUnitId"], body_of(call))
        for call in calls_to(rsps, STOP)
    ]
    assert sent == [
        ("2", {"jobIds": [1, 3], "strategy": "Kill"}),
        ("5", {"jobIds": [2], "strategy": "Kill"}),
    ]


def test_restart_by_id_in_a_folder_needs_no_lookup(
    rsps: responses.RequestsMock, uipath: UiPathClient
) -> None:
    """An Id with `folder=`: RestartJob `{"jobId"}` at once, sent once; the new job answered."""
    add_tokens(rsps)
    rsps.post(RESTART, json=job("Pending", OTHER_KEY, 8))
    assert uipath.jobs.restart(7, folder="Finance")["Key"] == OTHER_KEY
    (call,) = calls_to(rsps, f"{ODATA}/")
    assert (call.request.headers["X-UIPATH-FolderPath"], body_of(call)) == (
        "Finance",
        {"jobId": 7},
    )


def test_wait_backs_off_up_to_the_cap(
    rsps: responses.RequestsMock, uipath: UiPathClient, sleeps: list[float]
) -> None:
    """Pauses double from `interval` up to `max_interval`; the first final read is returned."""
    add_tokens(rsps)
    for _ in range(5):
        rsps.get(BY_KEY, json=job("Running"))
    rsps.get(BY_KEY, json=job("Successful"))
    done = uipath.jobs.wait(job("Pending"), interval=1, max_interval=5, timeout=100)
    assert done["State"] == "Successful"
    assert sleeps == [1, 2, 4, 5, 5]


def test_wait_times_out_on_the_clients_clock(
    rsps: responses.RequestsMock, clock: FakeClock
) -> None:
    """With a sleep that moves the client's clock, the last pause is cut to the time left and
    `JobTimeoutError` follows the read at the deadline."""
    add_tokens(rsps)
    rsps.get(BY_KEY, json=job("Running"))
    naps: list[float] = []

    def sleep(seconds: float) -> None:
        naps.append(seconds)
        clock.advance(seconds)

    with (
        make_client(clock=clock, sleeps=[], sleep=sleep) as uipath,
        pytest.raises(JobTimeoutError) as raised,
    ):
        uipath.jobs.wait(job("Pending"), timeout=10)
    assert naps == [1, 2, 4, 3]
    assert (raised.value.waited, raised.value.state) == (10, "Running")
    assert len(calls_to(rsps, BY_KEY)) == 5


def test_wait_rejects_settings_that_never_poll(uipath: UiPathClient) -> None:
    """A non-positive interval, a cap below it, a shrinking back-off or a negative timeout:
    `ValueError` before any request."""
    for settings in ({"interval": 0}, {"max_interval": 0.5}, {"backoff": 0.5}, {"timeout": -1}):
        with pytest.raises(ValueError, match="wait needs"):
            uipath.jobs.wait(job("Pending"), **settings)


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"OutputArguments": '{"Total": 3, "Ok": true}'}, {"Total": 3, "Ok": True}),
        ({"OutputArguments": None}, {}),
        ({"OutputArguments": ""}, {}),
    ],
)
def test_output_parses_the_json_text(
    uipath: UiPathClient, fields: dict[str, Any], expected: dict[str, Any]
) -> None:
    """`output` is the OutputArguments text as a dict, `{}` when the job has none."""
    assert uipath.jobs.output({"Key": KEY, **fields}) == expected


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"OutputArguments": "[1]"}, "not a JSON object"),
        ({"OutputArguments": "{oops"}, "not JSON"),
        ({"OutputArguments": None, "OutputFile": "a1b2"}, "attachment a1b2"),
    ],
)
def test_output_refuses_what_it_cannot_give(
    uipath: UiPathClient, fields: dict[str, Any], message: str
) -> None:
    """Text that is no JSON object, or an output kept in `OutputFile`: `ValueError` saying so."""
    with pytest.raises(ValueError, match=message):
        uipath.jobs.output({"Key": KEY, **fields})
