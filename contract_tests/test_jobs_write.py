"""Contract: a job's life (start, stop, restart) for the process the target names (write tests).

On an emulator: the well-known `InvoiceProcessing` of `Finance` (it runs 30 s). On the cloud:
`UIPATH_CONTRACT_PROCESS` in `UIPATH_CONTRACT_PROCESS_FOLDER`, a process that needs no input;
every job a test starts is killed afterwards if it has not ended, even when the test fails.
"""

import contextlib
from collections.abc import Iterator
from typing import Any

import pytest

from uipath_emulator.client import APIError, BadRequestError, UiPathClient
from uipath_emulator.contract_tests.jobs import FINAL_STATES
from uipath_emulator.contract_tests.targets import PROCESS, PROCESS_FOLDER, Target

pytestmark = pytest.mark.writes

WAIT_SECONDS = 300
"""How long a stopped job may take to end (a robot ends a soft-stopped job at its next step)."""


class Starter:
    """Starts jobs of the target's process and remembers them, to kill those left running."""

    def __init__(self, api: UiPathClient, name: str, folder: str) -> None:
        self.api = api
        self.name = name
        self.folder = folder
        self.started: list[dict[str, Any]] = []

    def start(self) -> dict[str, Any]:
        """One new job of the process."""
        (job,) = self.api.processes.start(self.name, folder=self.folder)
        self.started.append(job)
        return job

    def remember(self, job: dict[str, Any]) -> dict[str, Any]:
        """Kill `job` too at the end (a restarted job)."""
        self.started.append(job)
        return job

    def kill_unfinished(self) -> None:
        """Kill each started job that has not ended (errors ignored: it may end meanwhile)."""
        for job in self.started:
            with contextlib.suppress(APIError):
                if self.api.jobs.get(job, folder=self.folder)["State"] not in FINAL_STATES:
                    self.api.jobs.stop(job, strategy="Kill", folder=self.folder)


@pytest.fixture
def jobs(target: Target, api: UiPathClient) -> Iterator[Starter]:
    """Starts jobs of the target's process; skipped when the target names none."""
    if target.process is None:
        pytest.skip(f"set {PROCESS} and {PROCESS_FOLDER} to a process that needs no input")
    starter = Starter(api, *target.process)
    yield starter
    starter.kill_unfinished()


def test_a_started_job_is_pending_and_found_by_its_key(api: UiPathClient, jobs: Starter) -> None:
    """StartJobs answers one job of the process, not yet ended; GetByKey in its folder and a
    `Key in (...)` listing find it."""
    job = jobs.start()
    assert job["ReleaseName"] == jobs.name
    assert job["State"] in ("Pending", "Running")
    found = api.jobs.get(job["Key"], folder=jobs.folder)
    assert (found["Id"], found["ReleaseName"]) == (job["Id"], jobs.name)
    listed = api.jobs.list(filter=f"Key in ('{job['Key']}')").items
    assert [item["Id"] for item in listed] == [job["Id"]]


@pytest.mark.parametrize("strategy", ["SoftStop", "Kill"])
def test_a_stopped_job_ends_stopped(api: UiPathClient, jobs: Starter, strategy: Any) -> None:
    """A job stopped (SoftStop or Kill) before it ends is `Stopped` once it has ended."""
    job = jobs.start()
    api.jobs.stop(job, strategy=strategy, folder=jobs.folder)
    done = api.jobs.wait(job, folder=jobs.folder, timeout=WAIT_SECONDS)
    assert done["State"] == "Stopped"


def test_stopping_an_ended_job_is_refused(api: UiPathClient, jobs: Starter) -> None:
    """A second stop of a job that has ended Stopped is `BadRequestError`."""
    job = jobs.start()
    api.jobs.stop(job, strategy="Kill", folder=jobs.folder)
    api.jobs.wait(job, folder=jobs.folder, timeout=WAIT_SECONDS)
    with pytest.raises(BadRequestError):
        api.jobs.stop(job, strategy="Kill", folder=jobs.folder)


def test_restart_starts_a_new_job_only_for_an_ended_one(api: UiPathClient, jobs: Starter) -> None:
    """RestartJob of a job that has not ended is refused (400); once it has ended, it answers
    a new job of the same process and folder."""
    job = jobs.start()
    try:
        jobs.remember(api.jobs.restart(job, folder=jobs.folder))
    except BadRequestError:
        pass
    else:  # a fast robot may have ended it already: then the restart was allowed
        assert api.jobs.get(job, folder=jobs.folder)["State"] in FINAL_STATES
    with contextlib.suppress(BadRequestError):  # refused only when it has ended meanwhile
        api.jobs.stop(job, strategy="Kill", folder=jobs.folder)
    api.jobs.wait(job, folder=jobs.folder, timeout=WAIT_SECONDS)
    again = jobs.remember(api.jobs.restart(job, folder=jobs.folder))
    assert again["Key"] != job["Key"]
    assert (again["ReleaseName"], again["OrganizationUnitId"]) == (
        jobs.name,
        job["OrganizationUnitId"],
    )
