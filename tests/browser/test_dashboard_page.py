"""The dashboard's server side (no browser needed): content, masking, headers, access rules."""

import re

import pytest
from flask.testing import FlaskClient

from tests.orchestrator.helpers import MACHINES, call
from uipath_emulator.mock_server import Emulator
from uipath_emulator.mock_server.control.summary import SECRET_MASK
from uipath_emulator.mock_server.web.dashboard import REQUESTS_SHOWN

DASHBOARD = "/_emulator/"


def page_text(
    http: FlaskClient, url: str = DASHBOARD, headers: dict[str, str] | None = None
) -> str:
    """The dashboard's HTML, asserting a 200."""
    response = http.get(url, headers=headers or {})
    assert response.status_code == 200, response.data
    assert response.mimetype == "text/html"
    return response.get_data(as_text=True)


def test_dashboard_shows_world_with_secrets_masked(emulator: Emulator, http: FlaskClient) -> None:
    """Organizations, apps and tenants are listed with each set's count, no app secret appears,
    and the first tenant's machines fill the records table."""
    page = page_text(http)
    state = emulator.state()
    for organization in state["organizations"]:
        assert organization["name"] in page
        for app in organization["apps"]:
            assert app["client_id"] in page
            if app["client_secret"] is not None:
                assert app["client_secret"] not in page
        for tenant in organization["tenants"]:
            assert f"/{organization['name']}/{tenant['name']}/orchestrator_/swagger/" in page
            count = len(tenant["entities"]["Machines"])
            assert f'data-set="Machines">Machines ({count})</button>' in page
    first = state["organizations"][0]["tenants"][0]["entities"]["Machines"]
    for machine in first:
        assert f"<td>{machine['Name']}</td>".replace("'", "&#39;") in page
    assert SECRET_MASK in page


def test_dashboard_pages_through_the_records_of_a_set(
    emulator: Emulator, http: FlaskClient
) -> None:
    """`/_emulator/entities/...` answers one page of records and the count, as the page asks."""
    page = http.get("/_emulator/entities/acme/DefaultTenant/Machines?skip=2&top=3").get_json()
    assert page["count"] == 8
    assert [record["Id"] for record in page["value"]] == [3, 4, 5]
    summary = http.get("/_emulator/summary").get_json()
    tenant = summary["organizations"][0]["tenants"][0]
    assert tenant["entities"]["Machines"]["count"] == 8
    assert "records" not in str(summary)


def test_dashboard_lists_latest_requests_newest_first(http: FlaskClient) -> None:
    """The journal is shown newest first, at most `REQUESTS_SHOWN` entries, tokens redacted."""
    call(http, "GET", path=f"{MACHINES}(1)")
    for _ in range(REQUESTS_SHOWN):
        call(http, "GET", path=f"{MACHINES}(2)", token="not-a-token")
    page = page_text(http)
    assert f"{MACHINES}(1)" not in page  # pushed out by the newer ones
    rows = re.findall(r"<tr><td class=\"mono\">[^<]+</td><td>GET</td>", page)
    assert len(rows) == REQUESTS_SHOWN
    assert "not-a-token" not in page
    assert "Bearer ***" in page


def test_dashboard_escapes_world_text(emulator: Emulator, http: FlaskClient) -> None:
    """A machine name with markup is shown as text, not interpreted as HTML."""
    assert call(http, "POST", json={"Name": "<script>alert(1)</script>"}).status_code == 201
    page = page_text(http)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)</script>" not in page


def test_dashboard_script_runs_under_a_nonce_only_policy(http: FlaskClient) -> None:
    """The page forbids framing and any script but its own, whose nonce the policy names."""
    response = http.get(DASHBOARD)
    policy = response.headers["Content-Security-Policy"]
    nonce = re.search(r"script-src 'nonce-([^']+)'", policy)
    assert nonce is not None
    assert f'<script nonce="{nonce.group(1)}">' in response.get_data(as_text=True)
    assert "frame-ancestors 'none'" in policy
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"


def test_dashboard_needs_the_control_token() -> None:
    """With a control token the page needs it, as the header or once as `?token=`."""
    http = Emulator(control_token="s3cret").app.test_client()
    assert http.get(DASHBOARD).status_code == 401
    assert http.get(f"{DASHBOARD}?token=wrong").status_code == 401
    page_text(http, f"{DASHBOARD}?token=s3cret")
    page_text(http, headers={"Authorization": "Bearer s3cret"})


@pytest.mark.parametrize("path", ["state", "requests", "clock", "faults", "openapi.json"])
def test_query_token_opens_only_the_page(path: str) -> None:
    """`?token=` is accepted by the dashboard page alone; the JSON routes need the header."""
    http = Emulator(control_token="s3cret").app.test_client()
    assert http.get(f"/_emulator/{path}?token=s3cret").status_code == 401


def test_dashboard_is_off_with_the_control_plane() -> None:
    """With the control plane turned off, the dashboard is a 404 like the rest of it."""
    http = Emulator(control_enabled=False).app.test_client()
    response = http.get(DASHBOARD)
    assert response.status_code == 404
    assert response.get_json() == {"message": "The control plane is turned off."}


def test_favicon_is_served_without_a_token() -> None:
    """The dashboard's icon is an SVG served even where the control plane needs a token."""
    http = Emulator(control_token="s3cret").app.test_client()
    response = http.get("/_emulator/favicon.svg")
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    assert response.get_data(as_text=True).startswith("<svg")
    page = Emulator().app.test_client().get(DASHBOARD).get_data(as_text=True)
    assert '<link rel="icon" type="image/svg+xml" href="/_emulator/favicon.svg">' in page


def test_browser_without_the_control_token_gets_a_page_saying_how_to_open_it() -> None:
    """With --control-token, a browser asking for the dashboard gets HTML naming ?token=."""
    http = Emulator(control_token="s3cret").app.test_client()
    browser = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
    response = http.get(DASHBOARD, headers=browser)
    assert response.status_code == 401
    assert response.mimetype == "text/html"
    assert "/_emulator/?token=TOKEN" in response.get_data(as_text=True)
    assert "s3cret" not in response.get_data(as_text=True)
    api = http.get("/_emulator/state", headers={"Accept": "application/json"})
    assert api.status_code == 401
    assert api.get_json() == {"message": "The control plane needs 'Authorization: Bearer <token>'."}


def test_long_paths_are_cut_in_the_cell_and_whole_in_its_title(http: FlaskClient) -> None:
    """A long request path is shown in an ellipsised cell whose title holds all of it."""
    long_path = "/acme/DefaultTenant/orchestrator_/odata/" + "Z" * 400
    http.get(long_path)
    page = page_text(http)
    assert f'<td class="mono path" title="{long_path}">{long_path}</td>' in page
