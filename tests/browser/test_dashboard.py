"""The `/_emulator/` dashboard in a real browser: live journal, clock buttons, control token."""

from typing import TYPE_CHECKING

import requests

from tests.browser.conftest import FULL_SECRET, Screenshot, Serve
from uipath_emulator.mock_server import Emulator
from uipath_emulator.mock_server.transports.server import EmulatorServer
from uipath_emulator.mock_server.well_known import FULL, ORGANIZATION, TENANT

if TYPE_CHECKING:
    from playwright.sync_api import Page

MACHINES = f"/{ORGANIZATION}/{TENANT}/orchestrator_/odata/Machines"
HTTP_TIMEOUT = 10


def fetch_token(base_url: str) -> str:
    """A token of the well-known `full` app from the served emulator."""
    response = requests.post(
        f"{base_url}/identity_/connect/token",
        data={
            "grant_type": "client_credentials",
            "client_id": FULL.client_id,
            "client_secret": FULL_SECRET,
        },
        timeout=HTTP_TIMEOUT,
    )
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])


def list_machines(base_url: str, token: str, query: str = "") -> requests.Response:
    """`GET .../odata/Machines` with the token."""
    return requests.get(
        f"{base_url}{MACHINES}{query}",
        headers={"Authorization": f"Bearer {token}"},
        timeout=HTTP_TIMEOUT,
    )


def test_dashboard_shows_a_new_request_without_reloading(
    page: "Page", served: EmulatorServer, screenshot: Screenshot
) -> None:
    """A request made after the page opened appears in its journal, with no page reload."""
    from playwright.sync_api import expect

    page.goto(f"{served.base_url}/_emulator/")
    expect(page.locator("#live")).to_contain_text("live, updated")
    page.evaluate("window.sameDocument = true")

    token = fetch_token(served.base_url)
    assert list_machines(served.base_url, token, "?$top=1").status_code == 200

    row = page.locator("#requests tbody tr", has_text=f"{MACHINES}?$top=1")
    expect(row).to_contain_text("200")
    expect(row).to_contain_text("Bearer ***")
    assert page.evaluate("window.sameDocument") is True
    expect(page.locator("#records")).to_contain_text("BUILD-AGENT-01")
    expect(page.locator("body")).not_to_contain_text(FULL_SECRET)
    screenshot(page, "dashboard.png")


def test_advance_clock_button_expires_a_valid_token(page: "Page", served: EmulatorServer) -> None:
    """Clicking "Advance clock" by 3601 s makes a token that just worked get 401."""
    from playwright.sync_api import expect

    token = fetch_token(served.base_url)
    assert list_machines(served.base_url, token).status_code == 200

    page.goto(f"{served.base_url}/_emulator/")
    page.locator("#advance-seconds").fill("3601")
    with page.expect_response(
        lambda r: r.url.endswith("/_emulator/clock") and r.request.method == "POST"
    ) as posted:
        page.get_by_role("button", name="Advance clock").click()
    assert posted.value.status == 200

    assert list_machines(served.base_url, token).status_code == 401
    newest = page.locator("#requests tbody tr").first
    expect(newest).to_contain_text(MACHINES)
    expect(newest).to_contain_text("401")


def test_dashboard_with_a_control_token_keeps_it_for_polling(page: "Page", serve: Serve) -> None:
    """Opened as `?token=`, the page drops the token from its URL yet keeps refreshing with it."""
    from playwright.sync_api import expect

    server = serve(Emulator(control_token="s3cret-control"))
    refused = page.goto(f"{server.base_url}/_emulator/")
    assert refused is not None
    assert refused.status == 401

    page.goto(f"{server.base_url}/_emulator/?token=s3cret-control")
    expect(page).to_have_url(f"{server.base_url}/_emulator/")
    expect(page.locator("#live")).to_contain_text("live, updated")
    token = fetch_token(server.base_url)
    assert list_machines(server.base_url, token, "?$top=2").status_code == 200
    expect(page.locator("#requests tbody tr", has_text=f"{MACHINES}?$top=2")).to_contain_text("200")


def test_long_paths_do_not_widen_the_page(page: "Page", served: EmulatorServer) -> None:
    """At 1280 px a 1,650-character path is cut in its cell (whole on hover), no sideways scroll."""
    from playwright.sync_api import expect

    long_path = f"{MACHINES}/" + "segment-" * 200
    assert requests.get(served.base_url + long_path, timeout=HTTP_TIMEOUT).status_code == 404
    page.goto(f"{served.base_url}/_emulator/")
    cell = page.locator("#requests td.path", has_text="segment-segment-").first
    expect(cell).to_have_attribute("title", long_path)
    expect(page.locator("#live")).to_contain_text("live, updated")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0


def test_folder_tree_shows_a_new_asset_without_reloading(
    page: "Page", served: EmulatorServer, screenshot: Screenshot
) -> None:
    """An asset created after the page opened appears under its folder; no secret is shown."""
    from playwright.sync_api import expect

    page.goto(f"{served.base_url}/_emulator/")
    expect(page.locator("#live")).to_contain_text("live, updated")
    page.evaluate("window.sameDocument = true")
    created = requests.post(
        f"{served.base_url}/{ORGANIZATION}/{TENANT}/orchestrator_/odata/Assets",
        json={
            "Name": "LiveCredential",
            "ValueScope": "Global",
            "ValueType": "Credential",
            "CredentialUsername": "live-user",
            "CredentialPassword": "live-password-DO-NOT-SHOW",
        },
        headers={
            "Authorization": f"Bearer {fetch_token(served.base_url)}",
            "X-UIPATH-FolderPath": "Finance/Invoices",
        },
        timeout=HTTP_TIMEOUT,
    )
    assert created.status_code == 201, created.text
    tree = page.locator(
        f'#folders .folder-tree[data-organization="{ORGANIZATION}"][data-tenant="{TENANT}"]'
    )
    invoices = tree.locator("details.folder", has_text="Finance/Invoices")
    expect(invoices).to_contain_text("1 asset(s)")
    invoices.locator("summary").click()
    expect(invoices.locator("tbody tr")).to_contain_text("live-user")
    tree.locator('details.folder[data-folder="1"] summary').click()
    assert page.evaluate("window.sameDocument") is True
    body = page.locator("body")
    for secret in ("live-password-DO-NOT-SHOW", "emulator-credential-password"):
        expect(body).not_to_contain_text(secret)
    screenshot(page, "dashboard-folders.png")
