"""The dashboard's jobs: each tenant's newest jobs with their states on the emulator clock, and
Complete and Fault buttons on pending and running jobs."""

import json
import re
from typing import TYPE_CHECKING, Any

import requests
from flask.testing import FlaskClient

from tests.browser.conftest import Screenshot
from tests.browser.test_dashboard import HTTP_TIMEOUT, fetch_token
from tests.orchestrator.helpers import call
from uipath_emulator.mock_server import Emulator
from uipath_emulator.mock_server.control.job_view import FAULT_INFO, JOBS_SHOWN
from uipath_emulator.mock_server.transports.server import EmulatorServer
from uipath_emulator.mock_server.well_known import ORGANIZATION, TENANT

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

DASHBOARD = "/_emulator/"
START_JOBS = (
    f"/{ORGANIZATION}/{TENANT}/orchestrator_/odata/Jobs/UiPath.Server.Configuration.OData.StartJobs"
)


def start_info(release: str, **fields: Any) -> dict[str, Any]:
    """A StartJobs body for the release, with more `startInfo` members."""
    return {"startInfo": {"ReleaseName": release, **fields}}


def start(http: FlaskClient, release: str, folder: str, **fields: Any) -> list[dict[str, Any]]:
    """The jobs StartJobs answers for `release` of `folder`."""
    response = call(
        http,
        "POST",
        START_JOBS,
        json=start_info(release, **fields),
        headers={"X-UIPATH-FolderPath": folder},
    )
    assert response.status_code == 201, response.data
    return list(response.get_json()["value"])


def default_tenant_jobs(http: FlaskClient) -> dict[str, Any]:
    """`/_emulator/jobs`' entry for acme/DefaultTenant."""
    tenants = http.get("/_emulator/jobs").get_json()["tenants"]
    (default,) = [t for t in tenants if (t["organization"], t["tenant"]) == (ORGANIZATION, TENANT)]
    return dict(default)


def rendered_row(page: str, key: str) -> str:
    """The rendered table row of the job with this key."""
    found = re.search(rf'<tr data-job="{key}">.*?</tr>', page, re.S)
    assert found is not None, f"no row for {key}"
    return found.group(0)


def test_page_shows_each_job_state_and_buttons_only_on_unfinished_ones(
    emulator: Emulator, http: FlaskClient
) -> None:
    """After 10 s HelloWorld (Shared) is Successful with no buttons; InvoiceProcessing
    (Finance) is Running with Complete and Fault; tenants without jobs say so."""
    (hello,) = start(http, "HelloWorld", "Shared", InputArguments='{"Name": "Ada"}')
    (invoices,) = start(http, "InvoiceProcessing", "Finance")
    emulator.clock.advance(10)
    page = http.get(DASHBOARD).get_data(as_text=True)
    section = page.split('<section id="jobs">', 1)[1].split("</section>", 1)[0]
    done = rendered_row(section, hello["Key"])
    running = rendered_row(section, invoices["Key"])
    assert '<td>HelloWorld</td><td class="mono">Shared</td>' in done
    assert '<td class="state" data-state="Successful">Successful</td>' in done
    assert "<button" not in done
    assert '<td class="state" data-state="Running">Running</td>' in running
    assert re.findall(r'data-change="(\w+)"', running) == ["complete", "fault"]
    assert section.index(invoices["Key"]) < section.index(hello["Key"])  # newest first
    assert section.count("No jobs.") == 2  # acme/QA and globex
    assert "Ada" not in section  # arguments are never shown


SEEDED_JOBS = 3
"""The well-known world's ended jobs."""


def test_jobs_json_follows_the_clock(emulator: Emulator, http: FlaskClient) -> None:
    """`/_emulator/jobs` shows a job Pending, then Running with its start time, then Faulted
    with its end time and Info, as the emulator clock moves; arguments never appear."""
    (job,) = start(http, "AlwaysFails", "Shared", InputArguments='{"Secret": "s3cret-input"}')
    rows = []
    for seconds in (0, 1.5, 5):
        emulator.clock.advance(seconds)
        response = http.get("/_emulator/jobs")
        assert "s3cret-input" not in response.get_data(as_text=True)
        newest = default_tenant_jobs(http)["jobs"][0]  # the world's ended jobs are older
        rows.append(newest)
    assert [row["state"] for row in rows] == ["Pending", "Running", "Faulted"]
    assert [row["changeable"] for row in rows] == [True, True, False]
    assert (rows[0]["started"], rows[1]["ended"]) == (None, None)
    assert rows[1]["started"] is not None
    assert rows[2]["started"] == rows[1]["started"]  # set once, when the job started
    assert rows[2]["ended"] is not None
    assert (rows[2]["key"], rows[2]["release"], rows[2]["info"]) == (
        job["Key"],
        "AlwaysFails",
        "Simulated failure",
    )


def test_jobs_json_lists_the_newest_and_counts_all(http: FlaskClient) -> None:
    """With more jobs than are shown: the newest `JOBS_SHOWN` by Id descending, and the count."""
    started = start(http, "HelloWorld", "Shared", Strategy="ModernJobsCount", JobsCount=55)
    listed = default_tenant_jobs(http)
    ids = sorted((job["Id"] for job in started), reverse=True)
    assert listed["count"] == 55 + SEEDED_JOBS
    assert [row["id"] for row in listed["jobs"]] == ids[:JOBS_SHOWN]


def test_jobs_json_needs_the_header_token() -> None:
    """`/_emulator/jobs` refuses `?token=` and answers with the control token's header."""
    http = Emulator(control_token="s3cret").app.test_client()
    assert http.get("/_emulator/jobs?token=s3cret").status_code == 401
    assert http.get("/_emulator/jobs", headers={"Authorization": "Bearer s3cret"}).status_code == (
        200
    )


def served_start(served: EmulatorServer, release: str, folder: str) -> dict[str, Any]:
    """One job of `release` started over HTTP on the served emulator."""
    response = requests.post(
        f"{served.base_url}{START_JOBS}",
        data=json.dumps(start_info(release)),
        headers={
            "Authorization": f"Bearer {fetch_token(served.base_url)}",
            "Content-Type": "application/json",
            "X-UIPATH-FolderPath": folder,
        },
        timeout=HTTP_TIMEOUT,
    )
    assert response.status_code == 201, response.text
    return dict(response.json()["value"][0])


def job_row(page: "Page", key: str) -> "Locator":
    """The live page's row of the job with this key."""
    return page.locator(f'#jobs tr[data-job="{key}"]')


def test_live_page_follows_jobs_and_its_buttons_end_them(
    page: "Page", served: EmulatorServer, screenshot: Screenshot
) -> None:
    """Jobs started after the page opened appear, move to Running with the clock, and the
    Complete and Fault buttons end them Successful and Faulted, without reloading the page."""
    from playwright.sync_api import expect

    page.goto(f"{served.base_url}{DASHBOARD}")
    expect(page.locator("#live")).to_contain_text("live, updated")
    page.evaluate("window.sameDocument = true")
    completed = served_start(served, "InvoiceProcessing", "Finance")
    faulted = served_start(served, "InvoiceProcessing", "Finance")
    expect(job_row(page, completed["Key"]).locator("td.state")).to_have_text("Pending")
    served.emulator.clock.advance(2)
    expect(job_row(page, faulted["Key"]).locator("td.state")).to_have_text("Running")
    job_row(page, completed["Key"]).get_by_role("button", name="Complete").click()
    expect(job_row(page, completed["Key"]).locator("td.state")).to_have_text("Successful")
    job_row(page, faulted["Key"]).get_by_role("button", name="Fault").click()
    expect(job_row(page, faulted["Key"]).locator("td.state")).to_have_text("Faulted")
    expect(job_row(page, faulted["Key"])).to_contain_text(FAULT_INFO)
    expect(job_row(page, completed["Key"]).locator("button")).to_have_count(0)
    jobs = served.emulator.jobs()
    assert (jobs.get(completed["Key"])["State"], jobs.get(faulted["Key"])["Info"]) == (
        "Successful",
        FAULT_INFO,
    )
    assert page.evaluate("window.sameDocument") is True
    page.locator("#jobs").scroll_into_view_if_needed()
    screenshot(page, "dashboard-jobs.png")
