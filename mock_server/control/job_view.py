"""What the dashboard shows of jobs: each tenant's newest jobs as they are now on the emulator
clock (process, folder, state, times, Info), and which of them a button may complete or fault.
Arguments are never shown: they may hold what a process was given to work on.
"""

from collections.abc import Mapping
from typing import Any

from uipath_emulator.mock_server.orchestrator.entities.jobs import JOBS, refresh
from uipath_emulator.mock_server.world import World

JOBS_SHOWN = 50
"""Jobs listed per tenant, newest first; the rest are counted."""
CHANGEABLE = frozenset({"Pending", "Running"})
"""States in which the dashboard offers to complete or fault a job (as a robot would)."""
FINAL = ("Successful", "Faulted", "Stopped")
"""States a job never leaves: the page stops reloading jobs when it shows only these."""
FAULT_INFO = "Faulted from the dashboard"
"""The `Info` of a job the dashboard's Fault button ends."""


def _job_row(job: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "id": job.get("Id"),
        "key": job.get("Key"),
        "release": job.get("ReleaseName"),
        "folder": job.get("OrganizationUnitFullyQualifiedName") or "",
        "state": job.get("State"),
        "created": job.get("CreationTime"),
        "started": job.get("StartTime"),
        "ended": job.get("EndTime"),
        "info": job.get("Info"),
        "changeable": job.get("State") in CHANGEABLE,
    }


def job_view(world: World, now: float) -> list[dict[str, Any]]:
    """Each tenant holding jobs: its newest `JOBS_SHOWN` jobs, brought up to date at `now`."""
    tenants = []
    for organization in world.organizations:
        for tenant in organization.tenants:
            if JOBS not in tenant.entities:
                continue
            refresh(tenant.entities, now)
            jobs = tenant.store(JOBS).snapshot()  # by ascending Id
            newest = jobs[: -JOBS_SHOWN - 1 : -1]
            tenants.append(
                {
                    "organization": organization.name,
                    "tenant": tenant.name,
                    "count": len(jobs),
                    "jobs": [_job_row(job) for job in newest],
                }
            )
    return tenants
