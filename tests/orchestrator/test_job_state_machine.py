"""Jobs under random sequences of starts, stops, kills, restarts, suspends, resumes and clock
moves, checked against a model written here.

The model (`ModelJob`) knows only the rules of orchestrator-core-facts section 4.3 and the
issue: a job starts 1 s after StartJobs, runs its release's time, then ends as the release says;
SoftStop makes a running job `Stopping`, then `Stopped` 2 s later; Kill, or any stop of a
pending or suspended job, makes it `Stopped` at once; only an ended job restarts (a new job),
only a running one is suspended, only a suspended one resumed (for the run time it had left); a
refused call changes nothing. No job ever leaves a final state. It does not import the
product's job code.
"""

import dataclasses
from datetime import UTC, datetime
from typing import Any

from flask.testing import FlaskClient
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from tests.orchestrator.helpers import bearer, token_for
from uipath_emulator.mock_server import Emulator
from uipath_emulator.mock_server.orchestrator.timestamps import parse_time
from uipath_emulator.mock_server.well_known import ORGANIZATION, TENANT

ODATA = f"/{ORGANIZATION}/{TENANT}/orchestrator_/odata"
SERVICE = "UiPath.Server.Configuration.OData"
SHARED = {"X-UIPATH-FolderPath": "Shared"}
RUN_STARTS_AT = datetime(2030, 1, 1, tzinfo=UTC).timestamp()
RELEASES = {"HelloWorld": (5.0, "Successful"), "AlwaysFails": (2.0, "Faulted")}
"""The well-known releases of Shared: run time and outcome."""
START_AFTER = 1.0
SOFT_STOP = 2.0
FINAL = frozenset({"Successful", "Faulted", "Stopped"})
ADVANCES = (0.5, 1.0, 1.5, 2.0, 3.0, 5.0, 30.0)
RUNS = settings(max_examples=100, stateful_step_count=30, deadline=None)


@dataclasses.dataclass
class ModelJob:
    """A job as the rules say it is."""

    release: str
    state: str
    starts_at: float
    ends_at: float | None = None
    stops_at: float | None = None
    remaining: float | None = None
    start_time: float | None = None
    end_time: float | None = None

    def at(self, now: float) -> None:
        """Let time pass to `now`."""
        run, outcome = RELEASES[self.release]
        if self.state == "Pending" and now >= self.starts_at:
            self.state, self.ends_at = "Running", self.starts_at + run
            self.start_time = self.starts_at
        if self.state == "Running" and self.ends_at is not None and now >= self.ends_at:
            self.state, self.end_time = outcome, self.ends_at
        if self.state == "Stopping" and self.stops_at is not None and now >= self.stops_at:
            self.state, self.end_time = "Stopped", self.stops_at

    def stopped_now(self, now: float) -> None:
        """Stopped at once."""
        self.state, self.end_time = "Stopped", now

    @property
    def shown(self) -> tuple[str, float | None, float | None]:
        """State, start and end time, as a listing shows them."""
        rounded = (None if t is None else round(t, 3) for t in (self.start_time, self.end_time))
        return (self.state, *rounded)  # type: ignore[return-value]


class JobMachine(RuleBasedStateMachine):
    """Drives the API and the model side by side."""

    @initialize()
    def start_emulator(self) -> None:
        """A fresh emulator, its clock frozen at a fixed instant."""
        self.emulator = Emulator()
        self.emulator.clock.freeze()
        self.emulator.clock.set(RUN_STARTS_AT)
        jobs = self.emulator.entities(ORGANIZATION, TENANT, "Jobs")
        for job in jobs.list():  # the world's ended jobs: the model starts from none
            jobs.remove(job["Id"])
        self.http: FlaskClient = self.emulator.app.test_client()
        self.headers = {**bearer(token_for(self.http)), **SHARED}
        self.model: dict[int, ModelJob] = {}
        self.ended: dict[int, str] = {}

    @property
    def now(self) -> float:
        """The emulator's (frozen) clock."""
        return self.emulator.clock.now()

    def post(self, action: str, body: dict[str, Any], on: str = "Jobs") -> Any:
        """POST an action of Jobs with the app's token in Shared."""
        return self.http.post(f"{ODATA}/{on}/{SERVICE}.{action}", json=body, headers=self.headers)

    @rule(release=st.sampled_from(sorted(RELEASES)))
    def start(self, release: str) -> None:
        """StartJobs: one Pending job."""
        response = self.post("StartJobs", {"startInfo": {"ReleaseName": release}})
        assert response.status_code == 201
        (job,) = response.get_json()["value"]
        assert job["State"] == "Pending"
        self.model[job["Id"]] = ModelJob(release, "Pending", self.now + START_AFTER)

    @rule(seconds=st.sampled_from(ADVANCES))
    def advance(self, seconds: float) -> None:
        """The clock moves."""
        self.emulator.clock.advance(seconds)
        for job in self.model.values():
            job.at(self.now)

    @precondition(lambda self: bool(self.model))
    @rule(data=st.data(), strategy=st.sampled_from(["SoftStop", "Kill"]))
    def stop(self, data: st.DataObject, strategy: str) -> None:
        """StopJobs of one job: refused (400) for an ended job."""
        job_id = data.draw(st.sampled_from(sorted(self.model)))
        job = self.model[job_id]
        response = self.post("StopJobs", {"jobIds": [job_id], "strategy": strategy})
        if job.state in FINAL:
            assert response.status_code == 400
            return
        assert response.status_code == 200
        if job.state == "Running" and strategy == "SoftStop":
            job.state, job.stops_at = "Stopping", self.now + SOFT_STOP
        elif not (job.state == "Stopping" and strategy == "SoftStop"):
            job.stopped_now(self.now)

    @precondition(lambda self: bool(self.model))
    @rule(data=st.data())
    def restart(self, data: st.DataObject) -> None:
        """RestartJob: a new Pending job of the same release, only for an ended job."""
        job_id = data.draw(st.sampled_from(sorted(self.model)))
        job = self.model[job_id]
        response = self.post("RestartJob", {"jobId": job_id})
        if job.state not in FINAL:
            assert response.status_code == 400
            return
        assert response.status_code == 200
        restarted = response.get_json()
        assert restarted["State"] == "Pending"
        self.model[restarted["Id"]] = ModelJob(job.release, "Pending", self.now + START_AFTER)

    @precondition(lambda self: bool(self.model))
    @rule(data=st.data())
    def suspend(self, data: st.DataObject) -> None:
        """The harness suspends a job: only a running one, keeping the run time left."""
        job_id = data.draw(st.sampled_from(sorted(self.model)))
        job = self.model[job_id]
        response = self.http.post(f"/_emulator/jobs/{ORGANIZATION}/{TENANT}/{job_id}/suspend")
        if job.state != "Running":
            assert response.status_code == 400
            return
        assert response.status_code == 200
        assert job.ends_at is not None
        job.state, job.remaining, job.ends_at = "Suspended", job.ends_at - self.now, None

    @precondition(lambda self: bool(self.model))
    @rule(data=st.data())
    def resume(self, data: st.DataObject) -> None:
        """ResumeJob: only a suspended job, answered `Resumed`, then running its time left."""
        job_id = data.draw(st.sampled_from(sorted(self.model)))
        job = self.model[job_id]
        key = self.emulator.jobs().get(job_id)["Key"]
        response = self.post("ResumeJob", {"jobKey": key})
        if job.state != "Suspended":
            assert response.status_code == 400
            return
        assert response.status_code == 200
        assert response.get_json()["State"] == "Resumed"
        assert job.remaining is not None
        job.state, job.ends_at = "Running", self.now + job.remaining
        job.at(self.now)

    @invariant()
    def states_are_those_of_the_model(self) -> None:
        """Every job's state, start and end time, as listed, are the model's; an ended job
        never changes."""
        if not hasattr(self, "model"):
            return
        query = "$select=Id,State,StartTime,EndTime"
        response = self.http.get(f"{ODATA}/Jobs?{query}", headers=self.headers)
        listed = {
            row["Id"]: (row["State"], moment(row["StartTime"]), moment(row["EndTime"]))
            for row in response.get_json()["value"]
        }
        assert listed == {job_id: job.shown for job_id, job in self.model.items()}
        for job_id, (state, _start, _end) in listed.items():
            if job_id in self.ended:
                assert state == self.ended[job_id]
            elif state in FINAL:
                self.ended[job_id] = state


def moment(text: str | None) -> float | None:
    """A wire time as seconds since the epoch (to the millisecond), or None."""
    return None if text is None else round(parse_time(text), 3)


def test_jobs_follow_the_model() -> None:
    """Random start/stop/kill/restart/suspend/resume/clock sequences leave jobs as modelled."""
    run_state_machine_as_test(JobMachine, settings=RUNS)
