"""Swagger UI in a real browser: load, Authorize with client credentials, Try it out."""

from typing import TYPE_CHECKING

from tests.browser.conftest import FULL_SECRET, Screenshot
from tests.openapi.helpers import SWAGGER_UI
from uipath_emulator.mock_server.transports.server import EmulatorServer
from uipath_emulator.mock_server.well_known import FULL

if TYPE_CHECKING:
    from playwright.sync_api import Page


def test_authorize_then_try_it_out_lists_machines(
    page: "Page", served: EmulatorServer, screenshot: Screenshot
) -> None:
    """Swagger UI loads, Authorize with the `full` app succeeds, and GET Machines answers 200."""
    from playwright.sync_api import expect

    page.goto(served.base_url + SWAGGER_UI)
    expect(page.locator(".information-container .title")).to_contain_text(
        "Orchestrator and Identity"
    )

    page.locator(".auth-wrapper .authorize").click()
    dialog = page.locator(".dialog-ux")
    dialog.locator("#client_id").fill(FULL.client_id)
    dialog.locator("#client_secret").fill(FULL_SECRET)
    dialog.get_by_role("button", name="Authorize", exact=True).click()
    expect(dialog.get_by_role("button", name="Logout")).to_be_visible()
    expect(dialog).not_to_contain_text("Auth Error")
    dialog.get_by_role("button", name="Close").click()
    expect(dialog).to_be_hidden()
    screenshot(page, "swagger-ui.png")

    operation = page.locator("#operations-Machines-Machines_Get")
    operation.locator(".opblock-summary").click()
    operation.get_by_role("button", name="Try it out").click()
    operation.get_by_role("button", name="Execute").click()
    answer = operation.locator(".live-responses-table tbody tr.response").first
    expect(answer.locator(".response-col_status")).to_have_text("200")
    expect(answer.locator(".response-col_description")).to_contain_text("BUILD-AGENT-01")

    journal = [(e.method, e.path, e.status) for e in served.emulator.requests.entries()]
    assert ("POST", "/identity_/connect/token", 200) in journal
    assert ("GET", "/acme/DefaultTenant/orchestrator_/odata/Machines", 200) in journal

    operation.locator(".request-url").evaluate(
        "element => { element.scrollIntoView(); window.scrollBy(0, -200); }"
    )
    screenshot(page, "swagger-ui-try-it-out.png")
