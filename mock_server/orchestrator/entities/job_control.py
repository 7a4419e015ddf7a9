"""The harness's hand on jobs: end one now, fault it, hold it where it is, or suspend it.

What a robot would do to a job, done from a test (`emulator.jobs().complete(key, output=...)`)
or over `/_emulator/jobs/{org}/{tenant}/{key}/{change}`. A job is named by its `Key` or `Id`;
the change is refused (400) when its state does not allow it, as the API refuses a stop.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from uipath_emulator.mock_server.orchestrator.entities import job_lifecycle as lifecycle
from uipath_emulator.mock_server.orchestrator.entities.jobs import (
    JOBS,
    JOBS_SET,
    find_job,
    refresh,
)
from uipath_emulator.mock_server.orchestrator.errors import bad_request, not_found
from uipath_emulator.mock_server.world.store import TenantStores

Record = dict[str, Any]
CHANGES = ("complete", "fault", "hold", "suspend")


class JobControl:
    """The jobs of one tenant, as the harness changes them (raises `ApiError` as the API would)."""

    def __init__(self, stores: Callable[[], TenantStores], now: Callable[[], float]) -> None:
        self._stores = stores
        self._now = now

    def get(self, job: str | int) -> Record:
        """The job (by `Key` or `Id`) as it is now on the emulator clock."""
        stores = self._stores()
        refresh(stores, self._now())
        return self._find(stores, job)

    def list(self) -> list[Record]:
        """Every job of the tenant, as it is now, by Id."""
        stores = self._stores()
        refresh(stores, self._now())
        return list(stores[JOBS].snapshot())

    def complete(
        self, job: str | int, output: Mapping[str, Any] | None = None, info: str | None = None
    ) -> Record:
        """End the job now, `Successful`, with these output arguments."""
        text = None if output is None else json.dumps(dict(output), separators=(",", ":"))
        return self._change(
            job, lambda record, now: lifecycle.finished(record, now, "Successful", info, text)
        )

    def fault(self, job: str | int, info: str = lifecycle.FAULT_INFO) -> Record:
        """End the job now, `Faulted`, with this `Info`."""
        return self._change(
            job, lambda record, now: lifecycle.finished(record, now, "Faulted", info, None)
        )

    def hold(self, job: str | int) -> Record:
        """Keep the job in its state (`Pending`, `Running`...) until a call changes it."""
        return self._change(job, lambda record, _now: lifecycle.held(record))

    def suspend(self, job: str | int) -> Record:
        """Suspend a running job (as a robot waiting for a trigger does); `ResumeJob` resumes
        it."""
        return self._change(job, lifecycle.suspended)

    def apply(self, job: str | int, change: str, fields: Mapping[str, Any]) -> Record:
        """One of `CHANGES` by name, with its fields (`output`, `info`), for the control plane."""
        if change == "complete":
            output = fields.get("output")
            if output is not None and not isinstance(output, dict):
                raise bad_request("output must be a JSON object of output arguments.")
            return self.complete(job, output, _info(fields))
        if change == "fault":
            return self.fault(job, _info(fields) or lifecycle.FAULT_INFO)
        if change == "hold":
            return self.hold(job)
        if change == "suspend":
            return self.suspend(job)
        raise not_found(f"No job change '{change}'; changes: {', '.join(CHANGES)}.")

    def _find(self, stores: TenantStores, job: str | int) -> Record:
        store = stores[JOBS]
        if isinstance(job, int) and not isinstance(job, bool):
            try:
                return store.get(job)
            except LookupError:
                raise not_found(JOBS_SET.not_found_message(job)) from None
        found = find_job(stores, job)
        if found is None:
            raise not_found(JOBS_SET.not_found_message(job))
        return found

    def _change(self, job: str | int, change: Callable[[Record, float], Record]) -> Record:
        stores = self._stores()
        now = self._now()
        refresh(stores, now)
        with stores.write() as write:
            record = write.get(JOBS, self._find(stores, job)["Id"])
            try:
                changed = change(lifecycle.settled(record, now), now)
            except lifecycle.JobStateError as error:
                raise bad_request(str(error)) from None
            return write.put(JOBS, changed)


def _info(fields: Mapping[str, Any]) -> str | None:
    info = fields.get("info")
    if info is not None and not isinstance(info, str):
        raise bad_request("info must be a string.")
    return info
