"""The Processes and Jobs resources against the in-process emulator: start, wait, stop, restart,
listings; waits advance the emulator's clock instead of sleeping."""

from __future__ import annotations

from typing import Any

import pytest

from uipath_emulator.client import (
    BadRequestError,
    JobTimeoutError,
    NotFoundError,
    UiPathClient,
)
from uipath_emulator.mock_server import Emulator

HELLO_WORLD = "HelloWorld"
"""Release of `Shared`: starts 1 s after StartJobs, runs 5 s, greets its input `Name`."""
INVOICE_PROCESSING = "InvoiceProcessing"
"""Release of `Finance`: runs 30 s, succeeds with `{"ProcessedCount": 3}`."""
INVOICE_PROCESSING_KEY = "9b1f6c2e-3d4a-4e5b-8c6d-7e8f9a0b1c2d"
ALWAYS_FAILS = "AlwaysFails"
"""Release of `Shared`: faults after 2 s with Info "Simulated failure"."""
UNKNOWN_KEY = "00000000-0000-4000-8000-000000000000"


def start_one(uipath: UiPathClient, release: str, folder: str, **inputs: object) -> dict[str, Any]:
    """The one job StartJobs answers for `release` in `folder`."""
    (job,) = uipath.processes.start(release, inputs or None, folder=folder)
    return job


def test_start_answers_a_pending_job_with_its_inputs(uipath_client: UiPathClient) -> None:
    """`processes.start` by name answers one Pending job of that release, inputs as JSON text."""
    job = start_one(uipath_client, HELLO_WORLD, "Shared", Name="Ada")
    assert (job["State"], job["ReleaseName"], job["OrganizationUnitFullyQualifiedName"]) == (
        "Pending",
        HELLO_WORLD,
        "Shared",
    )
    assert job["InputArguments"] == '{"Name": "Ada"}'


def test_wait_follows_the_emulator_clock_to_the_output(
    uipath_emulator: Emulator, uipath_client: UiPathClient
) -> None:
    """`wait` polls until HelloWorld ends (6 s of emulator time, no real sleep); the output
    arguments parse to the greeting."""
    uipath_emulator.clock.freeze()
    job = start_one(uipath_client, HELLO_WORLD, "Shared", Name="Ada")
    before = uipath_emulator.clock.now()
    done = uipath_client.jobs.wait(job, timeout=60)
    moved = uipath_emulator.clock.now() - before
    assert (done["Key"], done["State"]) == (job["Key"], "Successful")
    assert uipath_client.jobs.output(done) == {"Greeting": "Hello, Ada"}
    assert moved == 7  # read at 0, 1, 3 and 7 s: the first read after the end at 6 s


def test_wait_returns_a_faulted_job_with_its_info(uipath_client: UiPathClient) -> None:
    """AlwaysFails ends Faulted with Info "Simulated failure" and no output arguments."""
    done = uipath_client.jobs.wait(start_one(uipath_client, ALWAYS_FAILS, "Shared"), timeout=60)
    assert (done["State"], done["Info"]) == ("Faulted", "Simulated failure")
    assert uipath_client.jobs.output(done) == {}


def test_wait_times_out_on_a_job_that_never_ends(
    uipath_emulator: Emulator, uipath_client: UiPathClient
) -> None:
    """A held job: `JobTimeoutError` after exactly the timeout of emulator time, with the job
    as last read (still Pending) and its key in the message."""
    uipath_emulator.clock.freeze()
    job = start_one(uipath_client, HELLO_WORLD, "Shared")
    uipath_emulator.jobs().hold(job["Key"])
    before = uipath_emulator.clock.now()
    with pytest.raises(JobTimeoutError) as raised:
        uipath_client.jobs.wait(job["Key"], folder="Shared", timeout=10)
    assert uipath_emulator.clock.now() - before == 10
    assert (raised.value.state, raised.value.job["Key"], raised.value.waited) == (
        "Pending",
        job["Key"],
        10,
    )
    assert str(raised.value) == (
        f"job {job['Key']} is still Pending after waiting 10 s (timeout 10 s)"
    )


def test_start_by_key_with_a_count_starts_that_many(uipath_client: UiPathClient) -> None:
    """A release key and `jobs_count=2` start two jobs of one batch, both listed by key."""
    jobs = uipath_client.processes.start(INVOICE_PROCESSING_KEY, folder="Finance", jobs_count=2)
    keys = sorted(job["Key"] for job in jobs)
    assert len(set(keys)) == 2
    assert len({job["BatchExecutionKey"] for job in jobs}) == 1
    listed = uipath_client.jobs.list(filter=f"Key in ('{keys[0]}','{keys[1]}')", orderby="Key")
    assert [job["Key"] for job in listed.items] == keys


def test_an_unknown_release_is_not_found(uipath_client: UiPathClient) -> None:
    """A release the folder lacks (HelloWorld is in Shared): `NotFoundError`, 404, 1002."""
    with pytest.raises(NotFoundError) as raised:
        uipath_client.processes.start(HELLO_WORLD, folder="Finance")
    assert (raised.value.status, raised.value.error_code) == (404, 1002)


def test_get_finds_the_folder_itself(uipath_client: UiPathClient) -> None:
    """`get` by key alone, by Id alone, and by key in its folder answer the same job, as
    `get_by_id` does; another folder or an unknown key is `NotFoundError`."""
    job = start_one(uipath_client, HELLO_WORLD, "Shared", Name="Bo")
    by_key = uipath_client.jobs.get(job["Key"])
    by_id = uipath_client.jobs.get(job["Id"])
    in_folder = uipath_client.jobs.get(job["Key"], folder="Shared")
    assert by_key == by_id == in_folder
    entity = uipath_client.jobs.get_by_id(job["Id"], folder="Shared")  # Jobs({Id})
    assert (entity["Key"], entity["State"]) == (job["Key"], by_key["State"])
    assert by_key["InputArguments"] == '{"Name": "Bo"}'  # GetByKey fills what listings null
    with pytest.raises(NotFoundError):
        uipath_client.jobs.get(job["Key"], folder="Finance")
    with pytest.raises(NotFoundError):
        uipath_client.jobs.get(UNKNOWN_KEY)


def test_soft_stop_then_stopped(uipath_emulator: Emulator, uipath_client: UiPathClient) -> None:
    """SoftStop of a running job by its key: Stopping, then Stopped once 2 s have passed."""
    job = start_one(uipath_client, INVOICE_PROCESSING, "Finance")
    uipath_emulator.clock.advance(2)
    uipath_client.jobs.stop(job["Key"])
    assert uipath_client.jobs.get(job)["State"] == "Stopping"
    done = uipath_client.jobs.wait(job, timeout=60)
    assert (done["State"], done["StopStrategy"]) == ("Stopped", "SoftStop")


def test_kill_stops_several_jobs_of_two_folders_at_once(
    uipath_emulator: Emulator, uipath_client: UiPathClient
) -> None:
    """Kill of jobs named by Id and by dict, in two folders: each is Stopped at once."""
    finance = start_one(uipath_client, INVOICE_PROCESSING, "Finance")
    shared = start_one(uipath_client, HELLO_WORLD, "Shared")
    uipath_emulator.clock.advance(2)
    uipath_client.jobs.stop([finance["Id"], shared], strategy="Kill")
    states = {
        job["State"] for job in (uipath_client.jobs.get(finance), uipath_client.jobs.get(shared))
    }
    assert states == {"Stopped"}


def test_stopping_an_ended_job_is_a_bad_request(uipath_client: UiPathClient) -> None:
    """A job that has ended cannot be stopped: `BadRequestError`, 400."""
    done = uipath_client.jobs.wait(start_one(uipath_client, ALWAYS_FAILS, "Shared"), timeout=60)
    with pytest.raises(BadRequestError) as raised:
        uipath_client.jobs.stop(done)
    assert raised.value.status == 400


def test_stop_of_an_unknown_key_is_not_found_and_sends_no_stop(
    uipath_emulator: Emulator, uipath_client: UiPathClient
) -> None:
    """A key no job has: `NotFoundError` naming it, and no StopJobs request is sent."""
    with pytest.raises(NotFoundError) as raised:
        uipath_client.jobs.stop([UNKNOWN_KEY])
    assert UNKNOWN_KEY in str(raised.value)
    assert not [e for e in uipath_emulator.requests.entries() if e.path.endswith("StopJobs")]


def test_restart_of_an_ended_job_starts_a_new_one(uipath_client: UiPathClient) -> None:
    """An unfinished job is refused (400); once Faulted, `restart` answers a new Pending job of
    the same release and inputs."""
    job = start_one(uipath_client, ALWAYS_FAILS, "Shared", Attempt=1)
    with pytest.raises(BadRequestError):
        uipath_client.jobs.restart(job)
    uipath_client.jobs.wait(job, timeout=60)
    again = uipath_client.jobs.restart(job["Key"])
    assert again["Key"] != job["Key"]
    assert (again["State"], again["ReleaseName"]) == ("Pending", ALWAYS_FAILS)
    assert uipath_client.jobs.get(again)["InputArguments"] == job["InputArguments"]


SEEDED_JOBS = 3
"""The well-known world's ended jobs (Ids 1 to 3)."""
SHARED_SEEDED_JOBS = 2


def test_list_filters_orders_and_pages(
    uipath_emulator: Emulator, uipath_client: UiPathClient
) -> None:
    """`list` applies `filter`, `orderby`, `top` and `count`; listings null the arguments."""
    started = []
    for release in (HELLO_WORLD, ALWAYS_FAILS, HELLO_WORLD):
        started.append(start_one(uipath_client, release, "Shared", Name="X"))
        uipath_emulator.clock.advance(1)
    uipath_emulator.clock.advance(10)
    own = f"Id gt {SEEDED_JOBS}"
    faulted = uipath_client.jobs.list(filter=f"State eq 'Faulted' and {own}", count=True)
    assert [job["Key"] for job in faulted.items] == [started[1]["Key"]]
    assert faulted.count == 1
    newest = uipath_client.jobs.list(orderby="CreationTime desc", top=2).items
    assert [job["Key"] for job in newest] == [started[2]["Key"], started[1]["Key"]]
    assert {job["InputArguments"] for job in newest} == {None}
    walked = [job["Key"] for job in uipath_client.jobs.iter(folder="Shared", page_size=2)]
    assert walked[-3:] == [job["Key"] for job in started]
    assert len(walked) == 3 + SHARED_SEEDED_JOBS


def test_processes_list_across_folders_and_in_one(uipath_client: UiPathClient) -> None:
    """Without a folder every usable folder's processes are listed; with one, only its own."""
    every = uipath_client.processes.list(orderby="Name", count=True)
    assert [p["Name"] for p in every.items] == [ALWAYS_FAILS, HELLO_WORLD, INVOICE_PROCESSING]
    assert every.count == 3
    assert [p["Name"] for p in uipath_client.processes.list(folder="Finance").items] == [
        INVOICE_PROCESSING
    ]
