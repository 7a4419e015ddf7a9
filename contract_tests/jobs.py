"""Jobs to run job properties on, taken from the target's own listing.

The emulator's world starts with no job, so on an emulator three are started first (the test
resets it afterwards); on the cloud the app may lack `OR.Jobs.Read`, or the tenant may list no
job: the test is then skipped, saying which.
"""

import re
from datetime import UTC, datetime
from typing import Any

import pytest

from uipath_emulator.client import APIError, UiPathClient
from uipath_emulator.contract_tests.folders import skip_unless_granted
from uipath_emulator.contract_tests.targets import Target

JOBS_READ = 20
"""How many of the newest jobs the read properties draw from."""
FINAL_STATES = frozenset({"Successful", "Faulted", "Stopped"})
_FRACTION = re.compile(r"\.(\d+)")


def instant(text: str) -> datetime:
    """An Orchestrator timestamp (`2026-01-05T10:13:20.1234567Z`, any number of fraction
    digits) as an aware datetime."""
    trimmed = _FRACTION.sub(lambda match: "." + match.group(1)[:6].ljust(6, "0"), text)
    parsed = datetime.fromisoformat(trimmed.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def newest_jobs(target: Target, api: UiPathClient) -> list[dict[str, Any]]:
    """Up to `JOBS_READ` of the newest jobs of every folder the app may use (the emulator's
    world has three that have ended); skipped on the cloud when there is none."""
    try:
        jobs = api.jobs.list(orderby="CreationTime desc", top=JOBS_READ).items
    except APIError as error:
        skip_unless_granted(target, error, "OR.Jobs.Read")
    if not jobs:
        assert not target.is_emulator, "the emulator lists no job after starting three"
        pytest.skip("the tenant lists no job to this app: run a process in one of its folders")
    return jobs
