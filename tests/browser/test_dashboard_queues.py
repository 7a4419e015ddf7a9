"""The dashboard's queues: each tenant's queues with item counts per status, following the world."""

import re
from typing import TYPE_CHECKING

import requests
from flask.testing import FlaskClient

from tests.browser.conftest import Screenshot
from tests.browser.test_dashboard import HTTP_TIMEOUT, fetch_token
from tests.orchestrator.helpers import call, token_for
from uipath_emulator.mock_server import Emulator
from uipath_emulator.mock_server.control.queue_view import STATUSES
from uipath_emulator.mock_server.transports.server import EmulatorServer
from uipath_emulator.mock_server.well_known import (
    DEMO_QUEUE,
    FINANCE_ROBOT,
    FINANCE_ROBOT_KEY,
    INVOICE_QUEUE,
    ORGANIZATION,
    TENANT,
)

if TYPE_CHECKING:
    from playwright.sync_api import Page

DASHBOARD = "/_emulator/"
ODATA = f"/{ORGANIZATION}/{TENANT}/orchestrator_/odata"
QUEUES = f"{ODATA}/Queues/UiPathODataSvc."
FINANCE = {"X-UIPATH-FolderPath": "Finance"}


def row_counts(page: str, name: str) -> dict[str, str]:
    """The counts (per status, and Total) of the queue named `name` in the rendered page."""
    found = re.search(rf"<tr data-queue=\"\d+\"><td>{name}</td>.*?</tr>", page, re.S)
    assert found is not None, f"no row for {name}"
    return dict(re.findall(r'data-status="(\w+)">(\d+)</td>', found.group(0)))


def counts_json(http: FlaskClient, name: str) -> dict[str, int]:
    """`/_emulator/queues`' counts for acme/DefaultTenant's queue `name`, with its total."""
    tenants = http.get("/_emulator/queues").get_json()["tenants"]
    (default,) = [t for t in tenants if (t["organization"], t["tenant"]) == (ORGANIZATION, TENANT)]
    (queue,) = [q for q in default["queues"] if q["name"] == name]
    return {**queue["counts"], "Total": queue["total"]}


def test_page_lists_each_queue_with_its_folder_and_counts(http: FlaskClient) -> None:
    """The seeded InvoiceQueue (Finance) shows 3 New, DemoQueue (Shared) none; every status."""
    page = http.get(DASHBOARD).get_data(as_text=True)
    section = page.split('<section id="queues">', 1)[1].split("</section>", 1)[0]
    assert re.search(rf"<td>{INVOICE_QUEUE}</td><td class=\"mono\">Finance</td>", section)
    assert re.search(rf"<td>{DEMO_QUEUE}</td><td class=\"mono\">Shared</td>", section)
    zero = {status: "0" for status in STATUSES}
    assert row_counts(section, INVOICE_QUEUE) == {**zero, "New": "3", "Total": "3"}
    assert row_counts(section, DEMO_QUEUE) == {**zero, "Total": "0"}
    assert "<th>InProgress</th>" in section
    assert section.count("No queues.") == 2  # acme/QA and globex hold none


def test_counts_follow_the_queue_api(http: FlaskClient) -> None:
    """Adding, taking and finishing items moves the counts in the JSON and the reloaded page."""
    robot = token_for(http, FINANCE_ROBOT)
    added = call(
        http,
        "POST",
        f"{QUEUES}AddQueueItem",
        json={"itemData": {"Name": INVOICE_QUEUE}},
        headers=FINANCE,
    )
    assert added.status_code == 201
    start = {"transactionData": {"Name": INVOICE_QUEUE}}
    first = call(http, "POST", f"{QUEUES}StartTransaction", robot, json=start, headers=FINANCE)
    second = call(http, "POST", f"{QUEUES}StartTransaction", robot, json=start, headers=FINANCE)
    done = {"transactionResult": {"IsSuccessful": True}}
    result = f"{ODATA}/Queues({first.get_json()['Id']})/UiPathODataSvc.SetTransactionResult"
    assert call(http, "POST", result, robot, json=done, headers=FINANCE).status_code == 200
    expected = {status: 0 for status in STATUSES}
    expected.update({"New": 2, "InProgress": 1, "Successful": 1, "Total": 4})
    assert counts_json(http, INVOICE_QUEUE) == expected
    assert second.get_json()["Status"] == "InProgress"
    page = http.get(DASHBOARD).get_data(as_text=True)
    assert row_counts(page, INVOICE_QUEUE) == {k: str(v) for k, v in expected.items()}


def test_live_page_shows_a_taken_item_without_reloading(
    page: "Page", served: EmulatorServer, screenshot: Screenshot
) -> None:
    """An item taken after the page opened moves InvoiceQueue's row from New to InProgress."""
    from playwright.sync_api import expect

    page.goto(f"{served.base_url}{DASHBOARD}")
    expect(page.locator("#live")).to_contain_text("live, updated")
    page.evaluate("window.sameDocument = true")
    taken = requests.post(
        f"{served.base_url}{QUEUES}StartTransaction",
        json={"transactionData": {"Name": INVOICE_QUEUE, "RobotIdentifier": FINANCE_ROBOT_KEY}},
        headers={"Authorization": f"Bearer {fetch_token(served.base_url)}", **FINANCE},
        timeout=HTTP_TIMEOUT,
    )
    assert taken.status_code == 200, taken.text
    tenant = page.locator(
        f'#queues .queue-tenant[data-organization="{ORGANIZATION}"][data-tenant="{TENANT}"]'
    )
    invoices = tenant.locator("tr", has_text=INVOICE_QUEUE)
    expect(invoices.locator('td[data-status="InProgress"]')).to_have_text("1")
    expect(invoices.locator('td[data-status="New"]')).to_have_text("2")
    assert page.evaluate("window.sameDocument") is True
    page.locator("#queues").scroll_into_view_if_needed()
    screenshot(page, "dashboard-queues.png")


def test_queues_json_needs_the_header_token() -> None:
    """`/_emulator/queues` refuses `?token=` and answers with the control token's header."""
    http = Emulator(control_token="s3cret").app.test_client()
    assert http.get("/_emulator/queues?token=s3cret").status_code == 401
    assert (
        http.get("/_emulator/queues", headers={"Authorization": "Bearer s3cret"}).status_code == 200
    )
