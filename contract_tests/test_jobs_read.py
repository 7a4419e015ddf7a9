"""Contract: reading jobs, as properties that hold on any tenant's jobs."""

import uuid
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from uipath_emulator.client import UiPathClient
from uipath_emulator.contract_tests.jobs import instant, newest_jobs
from uipath_emulator.contract_tests.targets import Target
from uipath_emulator.contract_tests.test_machines_read import budget

STABLE = ("Id", "Key", "ReleaseName", "OrganizationUnitId", "CreationTime")
"""Members a job keeps for life (its State moves while a robot runs it)."""


def test_key_in_lists_exactly_those_keys(target: Target, api: UiPathClient) -> None:
    """`Key in (k1, ..., kn)` lists exactly the jobs with those keys, once each; a key no job
    has adds nothing."""
    keys = [str(job["Key"]) for job in newest_jobs(target, api)]

    @budget(target)
    @given(
        chosen=st.lists(st.sampled_from(keys), min_size=1, max_size=5, unique=True),
        unknown=st.booleans(),
    )
    def check(chosen: list[str], unknown: bool) -> None:
        asked = [*chosen, str(uuid.UUID(int=len(chosen), version=4))] if unknown else chosen
        quoted = ",".join(f"'{key}'" for key in asked)
        listed = api.jobs.list(filter=f"Key in ({quoted})", top=len(asked)).items
        assert sorted(str(job["Key"]).lower() for job in listed) == sorted(
            key.lower() for key in chosen
        )

    check()


def test_get_by_key_agrees_with_the_entity(target: Target, api: UiPathClient) -> None:
    """`GetByKey(identifier=<key>)` and `Jobs(<Id>)`, each in the job's folder, answer the same
    job as the listing (Id, Key, process, folder, creation time)."""
    jobs = newest_jobs(target, api)

    @budget(target)
    @given(job=st.sampled_from(jobs))
    def check(job: dict[str, Any]) -> None:
        folder = int(job["OrganizationUnitId"])
        by_key = api.jobs.get(str(job["Key"]), folder=folder)
        by_id = api.jobs.get_by_id(int(job["Id"]), folder=folder)
        expected = {name: job.get(name) for name in STABLE}
        assert {name: by_key.get(name) for name in STABLE} == expected
        assert {name: by_id.get(name) for name in STABLE} == expected

    check()


def test_creation_time_desc_is_ordered(target: Target, api: UiPathClient) -> None:
    """`$orderby=CreationTime desc` lists the newest job first, and so does `creationTime desc`
    (property names ignore case)."""
    jobs = newest_jobs(target, api)
    times = [instant(str(job["CreationTime"])) for job in jobs]
    assert times == sorted(times, reverse=True)
    lower = api.jobs.list(orderby="creationTime desc", top=len(jobs)).items
    lower_times = [instant(str(job["CreationTime"])) for job in lower]
    assert lower_times == sorted(lower_times, reverse=True)
