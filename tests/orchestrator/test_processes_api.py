"""Packages (`Processes`) and processes (`Releases`): the feed, folder processes, ListReleases."""

import json

from flask.testing import FlaskClient

from tests.identity.helpers import credentials_form, post_token
from tests.orchestrator.helpers import assert_orchestrator_error, call
from uipath_emulator.mock_server import Emulator
from uipath_emulator.mock_server.well_known import FULL, ORGANIZATION, TENANT

ODATA = f"/{ORGANIZATION}/{TENANT}/orchestrator_/odata"
SERVICE = "UiPath.Server.Configuration.OData"
PACKAGES = f"{ODATA}/Processes"
RELEASES = f"{ODATA}/Releases"
LIST_RELEASES = f"{RELEASES}/{SERVICE}.ListReleases"
START = f"{ODATA}/Jobs/{SERVICE}.StartJobs"
SHARED = {"X-UIPATH-FolderPath": "Shared"}
HR = {"X-UIPATH-FolderPath": "HR"}
GREETER = {"Name": "Greeter", "ProcessKey": "HelloWorld", "ProcessVersion": "1.0.0"}


def test_feed_lists_the_packages_with_their_keys(http: FlaskClient) -> None:
    """GET Processes (no folder header) lists the feed's packages, `Key` = `Id:Version`."""
    response = call(http, "GET", f"{PACKAGES}?$select=Id,Key,Version")
    assert response.status_code == 200
    rows = response.get_json()["value"]
    assert [row["Key"] for row in rows] == [
        "InvoiceProcessing:1.0.3",
        "HelloWorld:1.0.0",
        "AlwaysFails:1.0.0",
    ]


def test_upload_is_not_emulated(http: FlaskClient) -> None:
    """UploadPackage answers 501 in Orchestrator's error shape, saying how to add packages."""
    response = call(http, "POST", f"{PACKAGES}/{SERVICE}.UploadPackage", json={})
    message = assert_orchestrator_error(response, 501, 0)
    assert "world" in message


def test_deleting_a_package_marks_its_processes(http: FlaskClient) -> None:
    """DELETE Processes('HelloWorld') removes the package and marks the processes that run it
    `IsProcessDeleted`; an unknown package is 404."""
    assert call(http, "DELETE", f"{PACKAGES}('HelloWorld')").status_code == 204
    ids = [row["Id"] for row in call(http, "GET", PACKAGES).get_json()["value"]]
    assert "HelloWorld" not in ids
    hello = call(http, "GET", f"{RELEASES}(2)", headers=SHARED).get_json()
    assert hello["IsProcessDeleted"] is True
    assert_orchestrator_error(call(http, "DELETE", f"{PACKAGES}('HelloWorld')"), 404, 1002)


def test_created_process_gets_folder_key_and_time(http: FlaskClient) -> None:
    """POST Releases answers 201 with a Key, the folder's path and key, and no emulator
    member; its name is then taken in that folder (409/1001) but free in another."""
    response = call(http, "POST", RELEASES, json=GREETER, headers=SHARED)
    assert response.status_code == 201
    created = response.get_json()
    assert created["OrganizationUnitFullyQualifiedName"] == "Shared"
    assert created["FolderKey"] == "5f0c1f8e-1b6a-4f0e-9d8b-2a7c3e4f5a6b"
    assert len(created["Key"]) == 36
    assert created["CreationTime"] is not None
    assert "JobBehavior" not in created
    assert_orchestrator_error(call(http, "POST", RELEASES, json=GREETER, headers=SHARED), 409, 1001)
    assert call(http, "POST", RELEASES, json=GREETER, headers=HR).status_code == 201


def test_process_needs_a_package_version_of_the_feed(http: FlaskClient, emulator: Emulator) -> None:
    """A process of an unknown package or version, or with InputArguments that are no JSON
    object, is 400 and not stored; an older version of the package is accepted."""
    for bad in (
        {**GREETER, "ProcessKey": "NoSuchPackage"},
        {**GREETER, "ProcessVersion": "9.9.9"},
        {**GREETER, "InputArguments": "[1]"},
    ):
        assert_orchestrator_error(call(http, "POST", RELEASES, json=bad, headers=SHARED), 400, 1000)
    assert emulator.entities(ORGANIZATION, TENANT, "Releases").count() == 3
    older = {"Name": "Old", "ProcessKey": "InvoiceProcessing", "ProcessVersion": "1.0.2"}
    response = call(http, "POST", RELEASES, json=older, headers=SHARED)
    assert response.status_code == 201
    assert response.get_json()["IsLatestVersion"] is False


def test_process_with_unfinished_jobs_is_not_deleted(http: FlaskClient, emulator: Emulator) -> None:
    """DELETE of a process with a job that has not ended is 400/1012; once it has, 204."""
    call(http, "POST", START, json={"startInfo": {"ReleaseName": "HelloWorld"}}, headers=SHARED)
    refused = call(http, "DELETE", f"{RELEASES}(2)", headers=SHARED)
    assert_orchestrator_error(refused, 400, 1012)
    emulator.clock.advance(60)
    assert call(http, "DELETE", f"{RELEASES}(2)", headers=SHARED).status_code == 204


def test_list_releases_as_the_cli_calls_it(http: FlaskClient) -> None:
    """ListReleases with the CLI's `$select`, `$top` and `$filter=ProcessKey eq '...'` answers
    the matching processes with Id, Key and ProcessVersion."""
    query = "$select=Id,Key,ProcessVersion&$top=25&$filter=ProcessKey eq 'InvoiceProcessing'"
    response = call(http, "GET", f"{LIST_RELEASES}?{query}")
    assert response.status_code == 200
    assert response.get_json()["value"] == [
        {"Key": "9b1f6c2e-3d4a-4e5b-8c6d-7e8f9a0b1c2d", "ProcessVersion": "1.0.3", "Id": 1}
    ]


def test_job_behavior_set_by_the_harness_drives_new_jobs(
    http: FlaskClient, emulator: Emulator
) -> None:
    """A process added by the harness with a JobBehavior (run 60 s, output echoing `Who`) runs
    its jobs so: Running at 30 s, Successful after 61 s with `{"Echo": <Who>}`."""
    emulator.entities(ORGANIZATION, TENANT, "Releases").add(
        {
            **GREETER,
            "OrganizationUnitId": 1,
            "JobBehavior": {"RunSeconds": 60, "Output": {"Echo": "{Who}"}},
        }
    )
    body = {"startInfo": {"ReleaseName": "Greeter", "InputArguments": '{"Who": [1, 2]}'}}
    (job,) = call(http, "POST", START, json=body, headers=SHARED).get_json()["value"]
    emulator.clock.advance(30)
    assert emulator.jobs().get(job["Key"])["State"] == "Running"
    emulator.clock.advance(31)
    done = emulator.jobs().get(job["Key"])
    assert done["State"] == "Successful"
    assert json.loads(done["OutputArguments"]) == {"Echo": [1, 2]}


def test_bad_job_behavior_is_refused(http: FlaskClient, emulator: Emulator) -> None:
    """A JobBehavior with a negative run time or an unknown outcome is refused by the harness."""
    releases = emulator.entities(ORGANIZATION, TENANT, "Releases")
    for behavior in ({"RunSeconds": -1}, {"Outcome": "Exploded"}):
        response = http.post(
            f"/_emulator/entities/{ORGANIZATION}/{TENANT}/Releases",
            json={**GREETER, "OrganizationUnitId": 1, "JobBehavior": behavior},
        )
        assert response.status_code == 400, response.data
    assert releases.count() == 3


def test_list_releases_takes_the_listing_scopes(http: FlaskClient) -> None:
    """ListReleases, which 20.0 lacks, takes the scopes of `GET Releases`: a write-only token
    gets 403, a read token the processes."""
    for scope, status in (("OR.Execution.Write", 403), ("OR.Execution.Read", 200)):
        form = credentials_form(FULL, scope=scope)
        token = post_token(http, form).get_json()["access_token"]
        assert call(http, "GET", LIST_RELEASES, token).status_code == status


def test_folder_counts_follow_moves_and_deletes(http: FlaskClient, emulator: Emulator) -> None:
    """A folder listing's count (kept per folder by the store) follows records moved to another
    folder and deleted: it always equals a count by `$filter` over every record."""
    releases = emulator.entities(ORGANIZATION, TENANT, "Releases")
    made = [
        releases.add({**GREETER, "Name": f"P{number}", "OrganizationUnitId": 1})
        for number in range(4)
    ]
    releases.update(made[0]["Id"], {"OrganizationUnitId": 4})
    releases.remove(made[1]["Id"])
    for folder, folder_id in ((SHARED, 1), (HR, 4)):
        fast = call(http, "GET", f"{RELEASES}?$top=1", headers=folder).get_json()["@odata.count"]
        query = f"$filter=OrganizationUnitId eq {folder_id}&$top=1"
        full = call(http, "GET", f"{RELEASES}?{query}", headers=folder).get_json()["@odata.count"]
        assert fast == full
    assert call(http, "GET", f"{RELEASES}?$top=1", headers=HR).get_json()["@odata.count"] == 1
