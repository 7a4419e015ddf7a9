"""UiPath's Python SDK `processes` and `jobs` services, unchanged, starting and following jobs.

Every test runs twice (the `cloud` fixture): in-process (`intercept()`) and against a real
`uipath-mock` server on 127.0.0.1. Jobs run on the emulator's clock: a test moves the clock
(`cloud.emulator.clock.advance`) where a real test would wait for a robot.
"""

import json

import pytest
from uipath.platform import UiPath

from tests.compat.sdk_support import Cloud, closing, configure
from uipath_emulator.mock_server.well_known import FULL

JOB_SCOPE = "OR.Jobs OR.Execution"
SHARED = "Shared"
FINANCE = "Finance"


def sdk_for_jobs(cloud: Cloud, monkeypatch: pytest.MonkeyPatch) -> UiPath:
    """The SDK as the well-known `full` app, with the jobs and execution scopes."""
    return configure(cloud, monkeypatch, app=FULL, scope=JOB_SCOPE)


def test_invoke_then_clock_finishes_the_job_with_its_greeting(
    cloud: Cloud, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`processes.invoke` answers a Pending job; 10 s later `jobs.retrieve` shows it Successful
    and `extract_output` gives the greeting computed from the input `Name`."""
    sdk = sdk_for_jobs(cloud, monkeypatch)
    with closing(sdk.processes) as processes:
        job = processes.invoke("HelloWorld", {"Name": "Ada"}, folder_path=SHARED)
    assert job.state == "Pending"
    assert json.loads(str(job.input_arguments)) == {"Name": "Ada"}
    cloud.emulator.clock.advance(10)
    with closing(sdk.jobs) as jobs:
        finished = jobs.retrieve(str(job.key), folder_path=SHARED)
        output = jobs.extract_output(finished)
    assert finished.state == "Successful"
    assert finished.id == job.id
    assert json.loads(str(output)) == {"Greeting": "Hello, Ada"}


def test_stop_soft_stops_a_running_job(cloud: Cloud, monkeypatch: pytest.MonkeyPatch) -> None:
    """`jobs.stop([key])` on a running InvoiceProcessing job makes it Stopping, then Stopped."""
    sdk = sdk_for_jobs(cloud, monkeypatch)
    with closing(sdk.processes) as processes:
        job = processes.invoke("InvoiceProcessing", folder_path=FINANCE)
    cloud.emulator.clock.advance(5)
    with closing(sdk.jobs) as jobs:
        assert jobs.retrieve(str(job.key), folder_path=FINANCE).state == "Running"
        jobs.stop(job_keys=[str(job.key)], folder_path=FINANCE)
        assert jobs.retrieve(str(job.key), folder_path=FINANCE).state == "Stopping"
        cloud.emulator.clock.advance(60)
        stopped = jobs.retrieve(str(job.key), folder_path=FINANCE)
    assert stopped.state == "Stopped"
    assert stopped.output_arguments is None


def test_kill_stops_at_once(cloud: Cloud, monkeypatch: pytest.MonkeyPatch) -> None:
    """`jobs.stop(..., strategy="Kill")` makes a running job Stopped without a Stopping phase."""
    sdk = sdk_for_jobs(cloud, monkeypatch)
    with closing(sdk.processes) as processes:
        job = processes.invoke("InvoiceProcessing", folder_path=FINANCE)
    cloud.emulator.clock.advance(5)
    with closing(sdk.jobs) as jobs:
        jobs.stop(job_keys=[str(job.key)], strategy="Kill", folder_path=FINANCE)
        assert jobs.retrieve(str(job.key), folder_path=FINANCE).state == "Stopped"


def test_restart_starts_a_new_job_of_the_same_release(
    cloud: Cloud, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`jobs.restart(key)` of a faulted job answers a new Pending job with the same inputs."""
    sdk = sdk_for_jobs(cloud, monkeypatch)
    with closing(sdk.processes) as processes:
        job = processes.invoke("AlwaysFails", {"Attempt": 1}, folder_path=SHARED)
    cloud.emulator.clock.advance(10)
    with closing(sdk.jobs) as jobs:
        faulted = jobs.retrieve(str(job.key), folder_path=SHARED)
        restarted = jobs.restart(job_key=str(job.key), folder_path=SHARED)
    assert (faulted.state, faulted.info) == ("Faulted", "Simulated failure")
    assert restarted.state == "Pending"
    assert restarted.key != job.key
    assert restarted.id != job.id
    assert restarted.input_arguments == job.input_arguments


def test_list_filters_and_orders(cloud: Cloud, monkeypatch: pytest.MonkeyPatch) -> None:
    """`jobs.list(filter=...)` answers only the matching jobs, in the order asked, with the
    argument members null as the cloud's listing has them."""
    sdk = sdk_for_jobs(cloud, monkeypatch)
    with closing(sdk.processes) as processes:
        hello = processes.invoke("HelloWorld", {"Name": "Bo"}, folder_path=SHARED)
        failing = processes.invoke("AlwaysFails", folder_path=SHARED)
    cloud.emulator.clock.advance(10)
    with closing(sdk.jobs) as jobs:
        faulted = jobs.list(filter="State eq 'Faulted' and Id gt 3", folder_path=SHARED)
        newest = jobs.list(orderby="creationTime desc,Id desc", folder_path=SHARED)
    assert [job.key for job in faulted.items] == [failing.key]
    assert [job.id for job in newest.items][:2] == [failing.id, hello.id]
    assert all(job.output_arguments is None for job in newest.items)


def test_retrieve_of_an_unknown_key_is_a_lookup_error(
    cloud: Cloud, monkeypatch: pytest.MonkeyPatch
) -> None:
    """GetByKey answers 404 for a key no job has, which the SDK raises as `LookupError`."""
    sdk = sdk_for_jobs(cloud, monkeypatch)
    with closing(sdk.jobs) as jobs, pytest.raises(LookupError):
        jobs.retrieve("0f0e0d0c-0b0a-4909-8807-060504030201", folder_path=SHARED)
