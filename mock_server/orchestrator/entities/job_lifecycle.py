"""A job's states on the emulator clock, without HTTP and without threads or sleeps.

A new job carries a `Plan` drawn from its release's `JobBehavior`: when it starts, how long it
runs, how it ends. `settled(job, now)` brings a job to the state it has at `now`, so moving the
clock and reading the job is all it takes to finish it. The transitions
(orchestrator-core-facts section 4.3):

- `Pending` -> `Running` (at `StartsAt`) -> `Successful` | `Faulted` (at `EndsAt`);
- a stop: `Pending` or `Suspended` -> `Stopped` at once; `Running` -> `Stopping` ->
  `Stopped` after `SOFT_STOP_SECONDS` (SoftStop), or -> `Stopped` at once (Kill);
- `Running` -> `Suspended` (the harness) -> `Resumed` (ResumeJob) -> `Running`, for the run
  time it had left;
- `Successful`, `Faulted` and `Stopped` are final: nothing changes a final job.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from typing import Any

from uipath_emulator.mock_server.orchestrator.timestamps import orchestrator_time, parse_time

Record = dict[str, Any]

FINAL = frozenset({"Successful", "Faulted", "Stopped"})
STOPPABLE = frozenset({"Pending", "Running", "Stopping", "Suspended", "Resumed"})
OUTCOMES = ("Successful", "Faulted")
DEFAULT_START_AFTER_SECONDS = 1.0
DEFAULT_RUN_SECONDS = 10.0
SOFT_STOP_SECONDS = 2.0
"""How long a soft-stopped job stays `Stopping` (the robot finishing its current activity)."""
SUCCESS_INFO = "Job completed"
FAULT_INFO = "Job faulted"
HOST_MACHINE = "EMULATOR-HOST"
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


class JobStateError(ValueError):
    """A change the job's state does not allow (a stop of a final job, a resume of a job that
    is not suspended)."""


def behavior(release: Mapping[str, Any]) -> dict[str, Any]:
    """The release's `JobBehavior` with its defaults filled in."""
    given = release.get("JobBehavior") or {}
    return {
        "StartAfterSeconds": given.get("StartAfterSeconds", DEFAULT_START_AFTER_SECONDS),
        "RunSeconds": given.get("RunSeconds", DEFAULT_RUN_SECONDS),
        "Outcome": given.get("Outcome", "Successful"),
        "Info": given.get("Info"),
        "Output": given.get("Output"),
    }


def render_output(template: Any, inputs: Mapping[str, Any]) -> str | None:
    """The output arguments (a JSON string) from the release's `Output` and the job's inputs:
    a value `"{Name}"` is input `Name` as it is, `"Hello, {Name}"` has it written in."""
    if template is None:
        return None

    def value(node: Any) -> Any:
        if isinstance(node, dict):
            return {name: value(member) for name, member in node.items()}
        if isinstance(node, list):
            return [value(member) for member in node]
        if not isinstance(node, str):
            return node
        whole = _PLACEHOLDER.fullmatch(node)
        if whole is not None:
            return inputs.get(whole.group(1))
        return _PLACEHOLDER.sub(lambda match: _text(inputs.get(match.group(1))), node)

    return json.dumps(value(template), separators=(",", ":"), ensure_ascii=False)


def _text(value: Any) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def plan(release: Mapping[str, Any], inputs: Mapping[str, Any], now: float) -> dict[str, Any]:
    """A new job's plan from its release's behaviour, started at `now`."""
    rules = behavior(release)
    start_after = rules["StartAfterSeconds"]
    outcome = rules["Outcome"]
    return {
        "StartsAt": None if start_after is None else now + start_after,
        "RunSeconds": rules["RunSeconds"],
        "EndsAt": None,
        "Outcome": outcome,
        "Info": rules["Info"],
        "OutputArguments": render_output(rules["Output"], inputs)
        if outcome == "Successful"
        else None,
        "StopsAt": None,
    }


def next_event(job: Mapping[str, Any]) -> float | None:
    """When the job next changes by itself (None: not until a call changes it)."""
    plan_ = job.get("Plan") or {}
    state = job.get("State")
    if state == "Pending":
        return plan_.get("StartsAt")
    if state == "Running":
        return plan_.get("EndsAt")
    if state == "Stopping":
        return plan_.get("StopsAt")
    if state == "Resumed":
        return -math.inf
    return None


def _stamped(job: Mapping[str, Any], at: float, **changes: Any) -> Record:
    return {**job, **changes, "LastModificationTime": orchestrator_time(at)}


def _started(job: Record, at: float) -> Record:
    plan_ = dict(job.get("Plan") or {})
    run = plan_.get("RunSeconds")
    plan_["EndsAt"] = None if run is None else at + run
    return _stamped(
        job,
        at,
        State="Running",
        StartTime=job.get("StartTime") or orchestrator_time(at),
        HostMachineName=HOST_MACHINE,
        Plan=plan_,
    )


def ended(
    job: Mapping[str, Any],
    at: float,
    outcome: str,
    info: str | None = None,
    output: str | None = None,
) -> Record:
    """The job ended at `at`: `Successful` (with its output), `Faulted` or `Stopped`."""
    default_info = {"Successful": SUCCESS_INFO, "Faulted": FAULT_INFO}.get(outcome)
    return _stamped(
        job,
        at,
        State=outcome,
        EndTime=orchestrator_time(at),
        Info=info if info is not None else default_info,
        OutputArguments=output if outcome == "Successful" else None,
        StartTime=job.get("StartTime") if job.get("State") != "Pending" else None,
    )


def settled(job: Record, now: float) -> Record:
    """The job as it is at `now` (the same object when nothing has happened since)."""
    current = job
    for _ in range(4):  # Pending -> Running -> ended, or Resumed -> Running -> ended
        event = next_event(current)
        if event is None or event > now:
            return current
        state = current["State"]
        plan_ = current.get("Plan") or {}
        if state == "Pending":
            current = _started(current, event)
        elif state == "Resumed":
            current = _started(current, now)
        elif state == "Running":
            outcome = plan_.get("Outcome") or "Successful"
            current = ended(
                current, event, outcome, plan_.get("Info"), plan_.get("OutputArguments")
            )
        else:  # Stopping
            current = ended(current, event, "Stopped")
    return current


def not_before_its_history(job: Mapping[str, Any], now: float) -> float:
    """`now`, or the job's last change when the clock was moved back before it: a job's own
    times stay in order."""
    last = job.get("LastModificationTime")
    if not isinstance(last, str):
        return now
    try:
        return max(now, parse_time(last))
    except ValueError:
        return now


def stopped(job: Record, strategy: str, now: float) -> Record:
    """The job after a stop with `strategy` (`SoftStop` or `Kill`); raises `JobStateError`
    for a final job."""
    now = not_before_its_history(job, now)
    state = job["State"]
    if state not in STOPPABLE:
        raise JobStateError(f"The job cannot be stopped: it is {state}.")
    if state == "Running" and strategy == "SoftStop":
        plan_ = {**(job.get("Plan") or {}), "StopsAt": now + SOFT_STOP_SECONDS}
        return _stamped(job, now, State="Stopping", StopStrategy="SoftStop", Plan=plan_)
    if state == "Stopping" and strategy == "SoftStop":
        return job
    return {**ended(job, now, "Stopped"), "StopStrategy": strategy}


def suspended(job: Record, now: float) -> Record:
    """A running job suspended (waiting for a trigger), keeping the run time it has left."""
    if job["State"] != "Running":
        raise JobStateError(f"Only a running job can be suspended; this one is {job['State']}.")
    now = not_before_its_history(job, now)
    plan_ = dict(job.get("Plan") or {})
    ends = plan_.get("EndsAt")
    plan_["RunSeconds"] = None if ends is None else max(ends - now, 0.0)
    plan_["EndsAt"] = None
    return _stamped(job, now, State="Suspended", Plan=plan_)


def resumed(job: Record, now: float) -> Record:
    """A suspended job resumed: `Resumed`, then `Running` at once for the time it had left."""
    if job["State"] != "Suspended":
        raise JobStateError(f"Only a suspended job can be resumed; this one is {job['State']}.")
    now = not_before_its_history(job, now)
    return _stamped(job, now, State="Resumed", ResumeTime=orchestrator_time(now))


def held(job: Record) -> Record:
    """The job stays in its state until a call changes it (no start, no end)."""
    if job["State"] in FINAL:
        raise JobStateError(f"The job has ended ({job['State']}).")
    plan_ = {**(job.get("Plan") or {}), "StartsAt": None, "EndsAt": None, "RunSeconds": None}
    if job["State"] == "Stopping":
        plan_["StopsAt"] = None
    return {**job, "Plan": plan_}


def finished(job: Record, now: float, outcome: str, info: str | None, output: str | None) -> Record:
    """The harness ends an unfinished job now, `Successful` or `Faulted`."""
    if job["State"] in FINAL:
        raise JobStateError(f"The job has already ended ({job['State']}).")
    if outcome not in OUTCOMES:
        raise JobStateError(f"A job ends Successful or Faulted, not {outcome!r}.")
    now = not_before_its_history(job, now)
    started = job if job["State"] != "Pending" else _started(job, now)
    return ended(started, now, outcome, info, output)
