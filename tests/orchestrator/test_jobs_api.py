"""Jobs: StartJobs, the job lifecycle on the emulator clock, stops, restarts, resumes, reads."""

import json
from typing import Any

import pytest
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.identity.helpers import credentials_form, post_token
from tests.orchestrator.helpers import (
    assert_not_authorized,
    assert_orchestrator_error,
    call,
    token_for,
)
from uipath_emulator.mock_server import Emulator
from uipath_emulator.mock_server.orchestrator.timestamps import parse_time
from uipath_emulator.mock_server.well_known import (
    FINANCE_ROBOT,
    FULL,
    ORGANIZATION,
    READONLY,
    TENANT,
)

ODATA = f"/{ORGANIZATION}/{TENANT}/orchestrator_/odata"
JOBS = f"{ODATA}/Jobs"
SERVICE = "UiPath.Server.Configuration.OData"
START = f"{JOBS}/{SERVICE}.StartJobs"
STOP = f"{JOBS}/{SERVICE}.StopJobs"
RESTART = f"{JOBS}/{SERVICE}.RestartJob"
RESUME = f"{JOBS}/{SERVICE}.ResumeJob"
SHARED = {"X-UIPATH-FolderPath": "Shared"}
FINANCE = {"X-UIPATH-FolderPath": "Finance"}
INVOICE_RELEASE_KEY = "9b1f6c2e-3d4a-4e5b-8c6d-7e8f9a0b1c2d"
ARGUMENT_MEMBERS = ("InputArguments", "InputFile", "OutputArguments", "OutputFile")


def by_key(key: str) -> str:
    """The GetByKey function of one job."""
    return f"{JOBS}/{SERVICE}.GetByKey(identifier={key})"


def start(
    http: FlaskClient, folder: dict[str, str] = SHARED, token: str | None = None, **info: Any
) -> TestResponse:
    """StartJobs with this startInfo in this folder."""
    return call(http, "POST", START, token, json={"startInfo": info}, headers=folder)


def started(http: FlaskClient, folder: dict[str, str] = SHARED, **info: Any) -> dict[str, Any]:
    """The one job StartJobs answers."""
    response = start(http, folder, **info)
    assert response.status_code == 201, response.data
    (job,) = response.get_json()["value"]
    return dict(job)


def read(http: FlaskClient, key: str, folder: dict[str, str] = SHARED) -> dict[str, Any]:
    """The job as GetByKey answers it."""
    response = call(http, "GET", by_key(key), headers=folder)
    assert response.status_code == 200, response.data
    return dict(response.get_json())


SEEDED = 3
"""Jobs of the well-known world (Ids 1 to 3, all ended); a test's own jobs come after."""
OWN = f"$filter=Id gt {SEEDED}"


def job_count(emulator: Emulator) -> int:
    """How many jobs the tenant holds."""
    return emulator.entities(ORGANIZATION, TENANT, "Jobs").count()


def test_minimal_start_answers_one_pending_job(http: FlaskClient) -> None:
    """The SDK's body (ReleaseName, InputArguments, Source) starts exactly one Pending job,
    answered 201 as an OData collection with the inputs and the source echoed."""
    response = start(
        http, ReleaseName="HelloWorld", InputArguments='{"Name":"Ada"}', Source="AgentService"
    )
    assert response.status_code == 201
    body = response.get_json()
    assert body["@odata.context"].endswith("/odata/$metadata#Jobs")
    (job,) = body["value"]
    assert job["State"] == "Pending"
    assert (job["StartTime"], job["EndTime"]) == (None, None)
    assert (job["Source"], job["SourceType"]) == ("AgentService", "AgentService")
    assert job["InputArguments"] == '{"Name":"Ada"}'
    assert job["ReleaseName"] == "HelloWorld"
    assert job["OrganizationUnitFullyQualifiedName"] == "Shared"
    assert isinstance(job["Id"], int)
    assert len(job["Key"]) == 36
    assert "Plan" not in job
    assert "ReleaseId" not in job


def test_full_body_starts_jobs_count_jobs_of_the_release_key(http: FlaskClient) -> None:
    """ReleaseKey with ModernJobsCount and JobsCount 3 starts three jobs of one batch."""
    response = start(
        http,
        FINANCE,
        ReleaseKey=INVOICE_RELEASE_KEY,
        Strategy="ModernJobsCount",
        JobsCount=3,
        InputArguments="{}",
    )
    assert response.status_code == 201
    jobs = response.get_json()["value"]
    assert [job["ReleaseName"] for job in jobs] == ["InvoiceProcessing"] * 3
    assert len({job["Key"] for job in jobs}) == 3
    assert len({job["BatchExecutionKey"] for job in jobs}) == 1


def test_specific_strategy_starts_one_job_per_robot(http: FlaskClient, emulator: Emulator) -> None:
    """Strategy Specific with RobotIds starts one job per robot, each naming its robot."""
    (robot,) = emulator.entities(ORGANIZATION, TENANT, "Robots").list()
    response = start(
        http, FINANCE, ReleaseName="InvoiceProcessing", Strategy="Specific", RobotIds=[robot["Id"]]
    )
    assert response.status_code == 201
    (job,) = response.get_json()["value"]
    assert job["Robot"]["Name"] == robot["Name"]


@pytest.mark.parametrize(
    ("info", "status", "code"),
    [
        ({}, 400, 1000),
        ({"ReleaseName": "NoSuchProcess"}, 404, 1002),
        ({"ReleaseKey": "0f0e0d0c-0b0a-4909-8807-060504030201"}, 404, 1002),
        ({"ReleaseName": "InvoiceProcessing"}, 404, 1002),  # in Finance, not Shared
        ({"ReleaseName": "HelloWorld", "InputArguments": "not json"}, 400, 1000),
        ({"ReleaseName": "HelloWorld", "InputArguments": "[1, 2]"}, 400, 1000),
        (
            {"ReleaseName": "HelloWorld", "InputArguments": json.dumps({"x": "y" * 10_000})},
            400,
            1000,
        ),
        ({"ReleaseName": "HelloWorld", "Source": "Carrier pigeon"}, 400, 1000),
        ({"ReleaseName": "HelloWorld", "Strategy": "All"}, 400, 1000),
        ({"ReleaseName": "HelloWorld", "Strategy": "ModernJobsCount", "JobsCount": 0}, 400, 1000),
        ({"ReleaseName": "HelloWorld", "Strategy": "Specific"}, 400, 1000),
        ({"ReleaseName": "HelloWorld", "Strategy": "Specific", "RobotIds": [999]}, 404, 1002),
    ],
)
def test_bad_starts_are_refused_and_start_nothing(
    http: FlaskClient, emulator: Emulator, info: dict[str, Any], status: int, code: int
) -> None:
    """A start without a release, of an unknown release (also one of another folder), with bad
    InputArguments, an unknown Source, a classic strategy, a bad count or unknown robots is
    refused in Orchestrator's error shape, and no job is stored."""
    assert_orchestrator_error(start(http, **info), status, code)
    assert job_count(emulator) == SEEDED


def test_start_without_start_info_or_folder_is_refused(http: FlaskClient) -> None:
    """A body without `startInfo` is 400; StartJobs without a folder header is 400/1101."""
    no_info = call(http, "POST", START, json={"ReleaseName": "HelloWorld"}, headers=SHARED)
    assert_orchestrator_error(no_info, 400, 1000)
    no_folder = call(http, "POST", START, json={"startInfo": {"ReleaseName": "HelloWorld"}})
    assert_orchestrator_error(no_folder, 400, 1101)


def test_job_runs_on_the_clock_to_its_output(http: FlaskClient, emulator: Emulator) -> None:
    """A HelloWorld job is Pending, Running after 1 s, Successful 5 s later with the greeting
    computed from its input; its times are those of the clock."""
    job = started(http, ReleaseName="HelloWorld", InputArguments='{"Name":"Ada"}')
    assert read(http, job["Key"])["State"] == "Pending"
    emulator.clock.advance(1)
    running = read(http, job["Key"])
    assert running["State"] == "Running"
    assert running["EndTime"] is None
    emulator.clock.advance(5)
    done = read(http, job["Key"])
    assert done["State"] == "Successful"
    assert json.loads(done["OutputArguments"]) == {"Greeting": "Hello, Ada"}
    assert done["Info"] == "Job completed"
    assert parse_time(done["StartTime"]) - parse_time(job["CreationTime"]) == pytest.approx(1)
    assert parse_time(done["EndTime"]) - parse_time(done["StartTime"]) == pytest.approx(5)


def test_failing_release_faults_with_its_info(http: FlaskClient, emulator: Emulator) -> None:
    """An AlwaysFails job is Faulted after 3 s with Info "Simulated failure" and no output."""
    job = started(http, ReleaseName="AlwaysFails")
    emulator.clock.advance(3)
    faulted = read(http, job["Key"])
    assert (faulted["State"], faulted["Info"]) == ("Faulted", "Simulated failure")
    assert faulted["OutputArguments"] is None


def test_listing_nulls_arguments_that_reads_by_key_and_id_answer(
    http: FlaskClient, emulator: Emulator
) -> None:
    """GET Jobs answers the four argument members null, as the cloud's getAll does, while
    GetByKey and Jobs({Id}) answer them; GetByKey agrees with Jobs({Id})."""
    job = started(http, ReleaseName="HelloWorld", InputArguments='{"Name":"Bo"}')
    emulator.clock.advance(10)
    (listed,) = call(http, "GET", f"{JOBS}?{OWN}").get_json()["value"]
    assert all(listed[member] is None for member in ARGUMENT_MEMBERS)
    keyed = read(http, job["Key"])
    by_id = call(http, "GET", f"{JOBS}({job['Id']})", headers=SHARED).get_json()
    assert keyed["InputArguments"] == '{"Name":"Bo"}'
    assert json.loads(keyed["OutputArguments"]) == {"Greeting": "Hello, Bo"}
    assert {**keyed, "@odata.context": ""} == {**by_id, "@odata.context": ""}
    assert {name: value for name, value in listed.items() if name not in ARGUMENT_MEMBERS} == {
        name: value
        for name, value in keyed.items()
        if name not in ARGUMENT_MEMBERS and name != "@odata.context"
    }


def test_key_in_filter_finds_exactly_those_jobs(http: FlaskClient) -> None:
    """`Key in ('k1','k2')` with `$select=Id,Key`, as the SDK resolves keys, answers exactly
    those jobs, whatever the case of the keys."""
    first = started(http, ReleaseName="HelloWorld")
    started(http, ReleaseName="HelloWorld")
    third = started(http, ReleaseName="HelloWorld")
    keys = f"'{first['Key']}','{third['Key'].upper()}'"
    response = call(http, "GET", f"{JOBS}?$filter=Key in ({keys})&$select=Id,Key&$top=2")
    assert [row["Id"] for row in response.get_json()["value"]] == [first["Id"], third["Id"]]


def test_get_by_key_needs_the_job_folder(http: FlaskClient) -> None:
    """GetByKey without a folder header is 400/1101, in another folder 404/1002, and with a
    key that is no GUID 400."""
    job = started(http, ReleaseName="HelloWorld")
    assert_orchestrator_error(call(http, "GET", by_key(job["Key"])), 400, 1101)
    assert_orchestrator_error(call(http, "GET", by_key(job["Key"]), headers=FINANCE), 404, 1002)
    assert_orchestrator_error(call(http, "GET", by_key("job-1"), headers=SHARED), 400, 1000)


def test_soft_stop_then_stopped_and_kill_at_once(http: FlaskClient, emulator: Emulator) -> None:
    """SoftStop makes a running job Stopping, then Stopped 2 s later; Kill (also as "2") makes
    it Stopped at once; a Pending job stops at once with no start time."""
    soft, kill, pending = (started(http, FINANCE, ReleaseName="InvoiceProcessing") for _ in "abc")
    emulator.jobs().hold(pending["Key"])
    emulator.clock.advance(2)
    ids = [soft["Id"], kill["Id"], pending["Id"]]
    response = call(
        http, "POST", STOP, json={"jobIds": ids[:1], "strategy": "SoftStop"}, headers=FINANCE
    )
    assert response.status_code == 200
    assert response.data == b""
    call(http, "POST", STOP, json={"jobIds": ids[1:], "strategy": "2"}, headers=FINANCE)
    assert read(http, soft["Key"], FINANCE)["State"] == "Stopping"
    killed = read(http, kill["Key"], FINANCE)
    assert (killed["State"], killed["StopStrategy"]) == ("Stopped", "Kill")
    never_ran = read(http, pending["Key"], FINANCE)
    assert (never_ran["State"], never_ran["StartTime"]) == ("Stopped", None)
    emulator.clock.advance(2)
    assert read(http, soft["Key"], FINANCE)["State"] == "Stopped"


def test_stop_job_on_the_entity(http: FlaskClient, emulator: Emulator) -> None:
    """`Jobs({Id})/StopJob` with `{"strategy": "Kill"}` stops that job."""
    job = started(http, FINANCE, ReleaseName="InvoiceProcessing")
    emulator.clock.advance(2)
    path = f"{JOBS}({job['Id']})/{SERVICE}.StopJob"
    assert call(http, "POST", path, json={"strategy": "Kill"}, headers=FINANCE).status_code == 200
    assert read(http, job["Key"], FINANCE)["State"] == "Stopped"


def test_stop_is_all_or_nothing(http: FlaskClient, emulator: Emulator) -> None:
    """StopJobs naming an unknown job is 404, one that has ended 400, and without a strategy
    400; none of the named jobs is stopped."""
    running = started(http, FINANCE, ReleaseName="InvoiceProcessing")
    ended = started(
        http,
        ReleaseName="AlwaysFails",
    )
    emulator.clock.advance(5)
    unknown = call(
        http,
        "POST",
        STOP,
        json={"jobIds": [running["Id"], 999], "strategy": "Kill"},
        headers=FINANCE,
    )
    assert_orchestrator_error(unknown, 404, 1002)
    final = call(
        http, "POST", STOP, json={"jobIds": [ended["Id"]], "strategy": "Kill"}, headers=SHARED
    )
    assert_orchestrator_error(final, 400, 1000)
    no_strategy = call(http, "POST", STOP, json={"jobIds": [running["Id"]]}, headers=FINANCE)
    assert_orchestrator_error(no_strategy, 400, 1000)
    assert read(http, running["Key"], FINANCE)["State"] == "Running"
    assert read(http, ended["Key"])["State"] == "Faulted"


def test_restart_only_ended_jobs(http: FlaskClient, emulator: Emulator) -> None:
    """RestartJob of a running job is 400; of an ended one, a new Pending job of the same
    release and inputs, answered 200 as a single entity."""
    job = started(http, ReleaseName="HelloWorld", InputArguments='{"Name":"Cy"}')
    emulator.clock.advance(2)
    refused = call(http, "POST", RESTART, json={"jobId": job["Id"]}, headers=SHARED)
    assert_orchestrator_error(refused, 400, 1000)
    emulator.clock.advance(10)
    response = call(http, "POST", RESTART, json={"jobId": job["Id"]}, headers=SHARED)
    assert response.status_code == 200
    restarted = response.get_json()
    assert restarted["@odata.context"].endswith("/odata/$metadata#Jobs/$entity")
    assert (restarted["State"], restarted["ReleaseName"]) == ("Pending", "HelloWorld")
    assert restarted["InputArguments"] == '{"Name":"Cy"}'
    assert restarted["Id"] != job["Id"]


def test_suspended_job_resumes_for_the_time_it_had_left(
    http: FlaskClient, emulator: Emulator
) -> None:
    """A job suspended by the harness 2 s into a 5 s run stays Suspended; ResumeJob answers it
    Resumed; it runs the 3 s it had left, then succeeds. Resuming a running job is 400."""
    job = started(http, ReleaseName="HelloWorld")
    emulator.clock.advance(3)
    emulator.jobs().suspend(job["Key"])
    emulator.clock.advance(100)
    assert read(http, job["Key"])["State"] == "Suspended"
    response = call(http, "POST", RESUME, json={"jobKey": job["Key"]}, headers=SHARED)
    assert response.get_json()["State"] == "Resumed"
    again = call(http, "POST", RESUME, json={"jobKey": job["Key"]}, headers=SHARED)
    assert_orchestrator_error(again, 400, 1000)
    emulator.clock.advance(2.5)
    assert read(http, job["Key"])["State"] == "Running"
    emulator.clock.advance(1)
    assert read(http, job["Key"])["State"] == "Successful"


def test_harness_completes_faults_and_holds(http: FlaskClient, emulator: Emulator) -> None:
    """The harness ends a job Successful with its output or Faulted with its Info, holds one
    Pending however far the clock moves, and may not change an ended job."""
    done, failed, held = (started(http, ReleaseName="HelloWorld") for _ in "abc")
    emulator.jobs().complete(done["Key"], output={"Total": 3})
    emulator.jobs().fault(failed["Id"], info="Robot crashed")
    emulator.jobs().hold(held["Key"])
    emulator.clock.advance(3600)
    assert json.loads(read(http, done["Key"])["OutputArguments"]) == {"Total": 3}
    assert read(http, failed["Key"])["Info"] == "Robot crashed"
    assert read(http, held["Key"])["State"] == "Pending"
    response = http.post(f"/_emulator/jobs/{ORGANIZATION}/{TENANT}/{done['Key']}/fault")
    assert response.status_code == 400
    assert read(http, done["Key"])["State"] == "Successful"


def test_control_plane_completes_a_job(http: FlaskClient) -> None:
    """POST /_emulator/jobs/{org}/{tenant}/{key}/complete ends the job with the given output;
    an unknown change is 404."""
    job = started(http, ReleaseName="HelloWorld")
    path = f"/_emulator/jobs/{ORGANIZATION}/{TENANT}/{job['Key']}"
    response = http.post(f"{path}/complete", json={"output": {"Greeting": "hi"}})
    assert response.status_code == 200
    assert response.get_json()["State"] == "Successful"
    assert json.loads(read(http, job["Key"])["OutputArguments"]) == {"Greeting": "hi"}
    assert http.post(f"{path}/explode").status_code == 404


def test_read_scope_lists_but_cannot_start(http: FlaskClient) -> None:
    """A token with OR.Jobs.Read only lists jobs but gets 403 on StartJobs."""
    token = token_for(http, READONLY)
    assert call(http, "GET", JOBS, token).status_code == 200
    assert_not_authorized(start(http, SHARED, token, ReleaseName="HelloWorld"))


def test_listing_without_folder_covers_the_caller_folders(
    http: FlaskClient, emulator: Emulator
) -> None:
    """Without a folder header, finance-robot (in Shared and Finance) lists the jobs of those
    folders only; the full app, whose scopes act tenant-wide, lists HR's too."""
    emulator.entities(ORGANIZATION, TENANT, "Releases").add(
        {
            "Name": "Payroll",
            "ProcessKey": "HelloWorld",
            "ProcessVersion": "1.0.0",
            "OrganizationUnitId": 4,
        }
    )
    shared = started(http, ReleaseName="HelloWorld")
    started(http, {"X-UIPATH-FolderPath": "HR"}, ReleaseName="Payroll")
    robot = call(http, "GET", f"{JOBS}?{OWN}", token_for(http, FINANCE_ROBOT)).get_json()["value"]
    assert [job["Id"] for job in robot] == [shared["Id"]]
    assert call(http, "GET", f"{JOBS}?{OWN}").get_json()["@odata.count"] == 2


def test_robot_token_starts_in_its_folders(http: FlaskClient) -> None:
    """finance-robot (Automation User of Shared and Finance) starts jobs there."""
    token = token_for(http, FINANCE_ROBOT)
    assert start(http, FINANCE, token, ReleaseName="InvoiceProcessing").status_code == 201


def test_odata_orders_and_selects_case_insensitively(http: FlaskClient) -> None:
    """`$orderby=creationTime desc` and `$select=key,releaseName,state` work, as live."""
    for name in ("HelloWorld", "AlwaysFails"):
        started(http, ReleaseName=name)
    response = call(
        http,
        "GET",
        f"{JOBS}?$orderby=creationTime desc,Id desc&$select=key,releaseName,state&{OWN}",
    )
    rows = response.get_json()["value"]
    assert [row["ReleaseName"] for row in rows] == ["AlwaysFails", "HelloWorld"]
    assert all(set(row) == {"Key", "ReleaseName", "State"} for row in rows)
    expanded = call(http, "GET", f"{JOBS}?$expand=robot,machine")
    assert expanded.status_code == 200
    assert_orchestrator_error(call(http, "GET", f"{JOBS}?$select=processName"), 400, 1000)


@pytest.mark.parametrize(("skip", "top"), [(0, 2), (1, 3), (4, 10), (9, 1)])
def test_folder_pages_count_and_order_like_a_full_pass(
    http: FlaskClient, emulator: Emulator, skip: int, top: int
) -> None:
    """A page of the jobs of some folders (no `$filter`, no `$orderby`) holds the right jobs in
    key order and counts all of them, as a pass over every job would."""
    folders = [SHARED, FINANCE, SHARED, SHARED, FINANCE, SHARED, FINANCE, FINANCE]
    releases = {"Shared": "HelloWorld", "Finance": "InvoiceProcessing"}
    ids = [
        started(http, folder, ReleaseName=releases[folder["X-UIPATH-FolderPath"]])["Id"]
        for folder in folders
    ]
    seeded = emulator.jobs().list()[:SEEDED]
    names = {1: "Shared", 2: "Finance"}
    everything = [*(job["Id"] for job in seeded), *ids]
    in_folder = {
        **{job["Id"]: names[job["OrganizationUnitId"]] for job in seeded},
        **{
            job_id: folder["X-UIPATH-FolderPath"]
            for job_id, folder in zip(ids, folders, strict=True)
        },
    }
    shared = [job_id for job_id in everything if in_folder[job_id] == "Shared"]
    body = call(http, "GET", f"{JOBS}?$skip={skip}&$top={top}", headers=SHARED).get_json()
    assert [row["Id"] for row in body["value"]] == shared[skip : skip + top]
    assert body["@odata.count"] == len(shared)
    everywhere = call(http, "GET", f"{JOBS}?$skip={skip}&$top={top}").get_json()
    assert [row["Id"] for row in everywhere["value"]] == everything[skip : skip + top]
    assert everywhere["@odata.count"] == len(everything)


@pytest.mark.parametrize(
    ("scope", "status"), [("OR.Jobs.Read", 200), ("OR.Jobs", 200), ("OR.Jobs.Write", 403)]
)
def test_get_by_key_follows_the_listing_rules(http: FlaskClient, scope: str, status: int) -> None:
    """GetByKey, which 20.0 lacks, takes the scopes of `GET Jobs` (a read scope, not Write)."""
    job = started(http, ReleaseName="HelloWorld")
    form = credentials_form(FULL, scope=scope)
    token = post_token(http, form).get_json()["access_token"]
    response = call(http, "GET", by_key(job["Key"]), token, headers=SHARED)
    assert response.status_code == status, response.data


def test_restart_applies_select_and_refuses_a_bad_one_before_restarting(
    http: FlaskClient, emulator: Emulator
) -> None:
    """RestartJob answers the new job with `$select`; a bad `$select` is 400 and restarts
    nothing."""
    job = started(http, ReleaseName="AlwaysFails")
    emulator.clock.advance(10)
    before = job_count(emulator)
    bad = call(http, "POST", f"{RESTART}?$select=Nope", json={"jobId": job["Id"]}, headers=SHARED)
    assert_orchestrator_error(bad, 400, 1000)
    assert job_count(emulator) == before
    response = call(
        http, "POST", f"{RESTART}?$select=Id,State", json={"jobId": job["Id"]}, headers=SHARED
    )
    body = response.get_json()
    assert {name for name in body if not name.startswith("@")} == {"Id", "State"}
    assert body["@odata.context"].endswith("#Jobs(Id,State)/$entity")
