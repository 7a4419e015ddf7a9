"""Processes and jobs under attack: junk bodies, odd identifiers, inconsistent worlds, limits.

Each test pins a bug an adversarial review found in the first version (all fixed).
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.orchestrator.helpers import call
from uipath_emulator.mock_server import Emulator
from uipath_emulator.mock_server.orchestrator.timestamps import parse_time
from uipath_emulator.mock_server.well_known import ORGANIZATION, TENANT
from uipath_emulator.mock_server.world import WorldError

ODATA = f"/{ORGANIZATION}/{TENANT}/orchestrator_/odata"
SERVICE = "UiPath.Server.Configuration.OData"
START = f"{ODATA}/Jobs/{SERVICE}.StartJobs"
STOP = f"{ODATA}/Jobs/{SERVICE}.StopJobs"
SHARED = {"X-UIPATH-FolderPath": "Shared"}
FINANCE = {"X-UIPATH-FolderPath": "Finance"}
CONTROL_JOBS = f"/_emulator/jobs/{ORGANIZATION}/{TENANT}"
DEEP_JSON = "[" * 5000 + "]" * 5000
"""A JSON array nested 5000 deep: exactly 10,000 characters, the InputArguments limit."""


def start(http: FlaskClient, folder: dict[str, str] = SHARED, **info: Any) -> TestResponse:
    """StartJobs with this startInfo in this folder (the full app's token)."""
    return call(http, "POST", START, json={"startInfo": info}, headers=folder)


def by_key(key: str) -> str:
    """The GetByKey function of one job."""
    return f"{ODATA}/Jobs/{SERVICE}.GetByKey(identifier={key})"


def tenant_entities(document: dict[str, Any]) -> dict[str, Any]:
    """The entity lists of acme/DefaultTenant in a world document."""
    entities: dict[str, Any] = document["organizations"][0]["tenants"][0]["entities"]
    return entities


def default_world() -> dict[str, Any]:
    """A copy of the well-known world as a world document."""
    return copy.deepcopy(Emulator().state())


# --- 5xx on junk request bodies -----------------------------------------------------------


@pytest.mark.parametrize("strategy", [["ModernJobsCount"], {"Name": "Specific"}])
def test_start_jobs_with_a_non_string_strategy_is_400_not_500(
    http: FlaskClient, strategy: Any
) -> None:
    """A `Strategy` that is a JSON array or object is refused with 400, not a 500 TypeError."""
    response = start(http, ReleaseName="HelloWorld", Strategy=strategy)
    assert response.status_code == 400, response.data


def test_start_jobs_with_deeply_nested_input_arguments_is_400_not_500(http: FlaskClient) -> None:
    """InputArguments of 10,000 characters nested 5000 deep are refused with 400, not a 500."""
    response = start(http, ReleaseName="HelloWorld", InputArguments=DEEP_JSON)
    assert response.status_code == 400, response.data


def test_release_with_deeply_nested_input_arguments_is_400_not_500(http: FlaskClient) -> None:
    """POST Releases with InputArguments nested 5000 deep is refused with 400, not a 500."""
    body = {
        "Name": "Deep",
        "ProcessKey": "HelloWorld",
        "ProcessVersion": "1.0.0",
        "InputArguments": DEEP_JSON,
    }
    response = call(http, "POST", f"{ODATA}/Releases", json=body, headers=SHARED)
    assert response.status_code == 400, response.data


# --- output arguments that cannot be serialised -------------------------------------------


def test_job_input_with_a_lone_surrogate_is_refused(emulator: Emulator, http: FlaskClient) -> None:
    """InputArguments holding the JSON escape of a lone surrogate are refused (400), as request
    bodies with one are, so no job gets output that cannot be written; nothing is started."""
    jobs = emulator.entities(ORGANIZATION, TENANT, "Jobs")
    before = jobs.count()
    response = start(http, ReleaseName="HelloWorld", InputArguments='{"Name":"\\ud800"}')
    assert response.status_code == 400, response.data
    assert "surrogate" in response.get_json()["message"]
    assert jobs.count() == before


def test_start_with_a_lone_surrogate_input_is_not_500_with_a_state_file(tmp_path: Path) -> None:
    """With a state file, StartJobs of HelloWorld with a lone-surrogate Name is refused (400),
    not a 500 from a planned output the journal cannot write."""
    emulator = Emulator(state_file=tmp_path / "state.json")
    try:
        http = emulator.app.test_client()
        response = start(http, ReleaseName="HelloWorld", InputArguments='{"Name":"\\ud800"}')
        assert response.status_code == 400, response.data
        assert "surrogate" in response.get_json()["message"]
    finally:
        emulator.close()


# --- the harness over HTTP ----------------------------------------------------------------


@pytest.mark.parametrize("job", ["%C2%B2", "9" * 5000], ids=["superscript-two", "5000-digits"])
def test_control_plane_job_name_that_is_no_id_is_404_not_500(http: FlaskClient, job: str) -> None:
    """`/_emulator/jobs/.../{job}/complete` with a name `str.isdigit` accepts but `int` refuses
    ('²', or an id of 5000 digits) answers 404 (no such job), not 500."""
    response = http.post(f"{CONTROL_JOBS}/{job}/complete")
    assert response.status_code == 404, response.data


# --- StartJobs semantics ------------------------------------------------------------------


def test_specific_strategy_starts_one_job_per_robot_not_per_list_entry(http: FlaskClient) -> None:
    """`Strategy: Specific` with the same robot listed three times starts one job for that robot
    (or is refused), not three: a list of 20,000 copies started 20,000 jobs in one request."""
    response = start(http, ReleaseName="HelloWorld", Strategy="Specific", RobotIds=[1, 1, 1])
    if response.status_code == 201:
        robots = [job["Robot"]["Id"] for job in response.get_json()["value"]]
        assert robots == [1], robots
    else:
        assert response.status_code == 400, response.data


def test_specific_strategy_is_capped_like_jobs_count(http: FlaskClient) -> None:
    """`Specific` with 101 RobotIds does not start more jobs than the `JobsCount` cap of 100."""
    response = start(http, ReleaseName="HelloWorld", Strategy="Specific", RobotIds=[1] * 101)
    if response.status_code == 201:
        assert len(response.get_json()["value"]) <= 100
    else:
        assert response.status_code == 400, response.data


def test_specific_priority_value_zero_is_refused_like_other_out_of_range_values(
    http: FlaskClient,
) -> None:
    """`SpecificPriorityValue: 0` (outside 1-100) is refused with 400 as 101 and -5 are, instead
    of being silently replaced by the release's 45 (`info.get(...) or release.get(...)`)."""
    assert start(http, ReleaseName="HelloWorld", SpecificPriorityValue=101).status_code == 400
    response = start(http, ReleaseName="HelloWorld", SpecificPriorityValue=0)
    assert response.status_code == 400, response.data


def test_start_jobs_counts_input_arguments_length_in_utf16_units_as_releases_do(
    http: FlaskClient,
) -> None:
    """InputArguments of 10,002 UTF-16 units (5005 code points, emoji) are refused by StartJobs
    as POST Releases refuses them: .NET string length, StartProcessDto's limit of 10,000."""
    text = '{"a":"' + "\U0001f600" * 4997 + '"}'
    assert len(text.encode("utf-16-le")) // 2 == 10_002
    release = {"Name": "E", "ProcessKey": "HelloWorld", "ProcessVersion": "1.0.0"}
    refused = call(
        http, "POST", f"{ODATA}/Releases", json={**release, "InputArguments": text}, headers=SHARED
    )
    assert refused.status_code == 400, refused.data
    response = start(http, ReleaseName="HelloWorld", InputArguments=text)
    assert response.status_code == 400, response.data


def test_start_jobs_refuses_a_reference_over_128_characters(http: FlaskClient) -> None:
    """StartProcessDto's `Reference` is at most 128 characters (orchestrator-core-facts 4.2);
    one of 129 is refused with 400 instead of starting a job."""
    response = start(http, ReleaseName="HelloWorld", Reference="r" * 129)
    assert response.status_code == 400, response.data


def test_start_jobs_refuses_an_input_file_that_is_no_guid(http: FlaskClient) -> None:
    """StartProcessDto's `InputFile` is a GUID (an attachment id); "notauuid" is refused with 400
    instead of being stored on the job."""
    response = start(http, ReleaseName="HelloWorld", InputFile="notauuid")
    assert response.status_code == 400, response.data


# --- GetByKey identifiers -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("form", "status"), [("braces", 200), ("no-hyphens", 200), ("parentheses", 200), ("urn", 400)]
)
def test_get_by_key_reads_the_guid_forms_dotnet_reads(
    http: FlaskClient, form: str, status: int
) -> None:
    """GetByKey finds the job by any form .NET's `Guid.Parse` takes (B, N, P), and refuses the
    `urn:uuid:` form .NET does not take (400), never calling a valid GUID unknown."""
    response = start(http, ReleaseName="HelloWorld")
    key = response.get_json()["value"][0]["Key"]
    identifier = {
        "braces": "{" + key + "}",
        "no-hyphens": key.replace("-", ""),
        "parentheses": "(" + key + ")",
        "urn": "urn:uuid:" + key,
    }[form]
    read = call(http, "GET", by_key(identifier), headers=SHARED)
    assert read.status_code == status, read.data
    if status == 200:
        assert read.get_json()["Key"] == key


# --- Processes ----------------------------------------------------------------------------


def test_delete_package_with_an_empty_id_does_not_claim_the_operation_is_not_emulated(
    http: FlaskClient,
) -> None:
    """`DELETE Processes('')` is 400 naming the empty key; it must not say
    `Processes_DeleteById` "is not emulated", since it is."""
    response = call(http, "DELETE", f"{ODATA}/Processes('')")
    assert response.status_code == 400, response.data
    assert "empty key" in response.get_json()["message"]
    assert "not emulated" not in response.get_json()["message"]


def test_get_by_key_applies_select_as_jobs_by_id_does(http: FlaskClient) -> None:
    """`GetByKey(...)?$select=Id,State` answers only those members, as `Jobs({Id})?$select=`
    does; it answers every member (and takes `$filter=junk junk` without a 400)."""
    key = start(http, ReleaseName="HelloWorld").get_json()["value"][0]["Key"]
    response = call(http, "GET", f"{by_key(key)}?$select=Id,State", headers=SHARED)
    assert response.status_code == 200, response.data
    members = {name for name in response.get_json() if not name.startswith("@")}
    assert members == {"Id", "State"}, sorted(members)


# --- world files --------------------------------------------------------------------------


def test_world_job_whose_plan_lacks_an_outcome_does_not_break_every_jobs_read() -> None:
    """A world job `Running` with a Plan that has `EndsAt` but no `Outcome` is refused at load
    (WorldError), or at least does not make every Jobs read and StartJobs answer 500."""
    document = default_world()
    tenant_entities(document)["Jobs"] = [
        {
            "Id": 1,
            "Key": "22222222-2222-4222-8222-222222222222",
            "State": "Running",
            "OrganizationUnitId": 1,
            "ReleaseName": "HelloWorld",
            "ReleaseId": 2,
            "Plan": {"EndsAt": 0},
        }
    ]
    try:
        emulator = Emulator(world=document)
    except WorldError:
        return
    http = emulator.app.test_client()
    assert call(http, "GET", f"{ODATA}/Jobs").status_code == 200
    assert start(http, ReleaseName="HelloWorld").status_code == 201


def test_world_release_with_input_arguments_that_are_no_json_is_refused_at_load() -> None:
    """A world release whose InputArguments are not a JSON object is refused at load, as the API
    refuses it (400), instead of failing every later StartJobs with a 400 blaming the caller."""
    document = default_world()
    tenant_entities(document)["Releases"][1]["InputArguments"] = "not json"
    with pytest.raises(WorldError):
        Emulator(world=document)


def test_world_release_with_negative_run_seconds_does_not_end_jobs_before_they_start() -> None:
    """A world release with `JobBehavior.RunSeconds` -100 (the API refuses it: 0 to ten years)
    is refused at load, or at least its jobs never end before they started."""
    document = default_world()
    tenant_entities(document)["Releases"][1]["JobBehavior"] = {"RunSeconds": -100}
    try:
        emulator = Emulator(world=document)
    except WorldError:
        return
    http = emulator.app.test_client()
    key = start(http, ReleaseName="HelloWorld").get_json()["value"][0]["Key"]
    emulator.clock.advance(60)
    job = emulator.jobs().get(key)
    assert job["State"] == "Successful"
    assert parse_time(job["EndTime"]) >= parse_time(job["StartTime"]), job


def test_world_package_without_an_id_is_refused_at_load() -> None:
    """A world package (tenant entity `Processes`) without `Id` is refused at load instead of
    being served with `Id` null and `Key` "None:1"."""
    document = default_world()
    tenant_entities(document)["Processes"].append({"Version": "1.0.0"})
    with pytest.raises(WorldError):
        Emulator(world=document)


# --- the clock moved backwards ------------------------------------------------------------


def test_stop_after_the_clock_moved_back_does_not_end_a_job_before_it_started(
    emulator: Emulator, http: FlaskClient
) -> None:
    """A running job killed after the test moved the clock back an hour does not get an
    `EndTime` before its `StartTime` (a job's own history stays in order)."""
    started_at = emulator.clock.now()
    response = start(http, FINANCE, ReleaseName="InvoiceProcessing")
    job_id = response.get_json()["value"][0]["Id"]
    emulator.clock.advance(5)
    assert emulator.jobs().get(job_id)["State"] == "Running"
    emulator.clock.set(started_at - 3600)
    stopped = call(
        http, "POST", STOP, json={"jobIds": [job_id], "strategy": "Kill"}, headers=FINANCE
    )
    assert stopped.status_code == 200, stopped.data
    job = emulator.jobs().get(job_id)
    assert job["State"] == "Stopped"
    assert parse_time(job["EndTime"]) >= parse_time(job["StartTime"]), job
