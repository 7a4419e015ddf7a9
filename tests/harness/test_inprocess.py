"""In-process mode: `intercept()` answers `requests` calls through `responses`, nothing else."""

import re

import httpx
import pytest
import requests
import responses
import respx

from uipath_emulator.mock_server import Emulator
from uipath_emulator.mock_server.transports.server import EmulatorServer
from uipath_emulator.mock_server.well_known import (
    DEFAULT_TENANT_MACHINES,
    FULL,
    ORGANIZATION,
    TENANT,
)

CLOUD = "https://cloud.uipath.com"
MACHINES_PATH = f"/{ORGANIZATION}/{TENANT}/orchestrator_/odata/Machines"
PER_REQUEST_HEADERS = {"Date", "X-Correlation-Id"}
FORM = {"grant_type": "client_credentials", "client_id": FULL.client_id}


def get_token(base_url: str = CLOUD) -> str:
    """A token for the full app from the emulator at `base_url`."""
    form = {**FORM, "client_secret": str(FULL.client_secret)}
    response = requests.post(
        f"{base_url}/{ORGANIZATION}/identity_/connect/token", data=form, timeout=10
    )
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])


def test_intercept_answers_requests_without_a_server() -> None:
    """Inside `intercept()` the emulator answers the guide's two requests to the cloud URL."""
    emulator = Emulator()
    with emulator.intercept():
        token = get_token()
        response = requests.get(
            f"{CLOUD}{MACHINES_PATH}", headers={"Authorization": f"Bearer {token}"}, timeout=10
        )
    assert response.status_code == 200
    assert response.json()["@odata.count"] == DEFAULT_TENANT_MACHINES
    assert [entry.path for entry in emulator.requests] == [
        f"/{ORGANIZATION}/identity_/connect/token",
        MACHINES_PATH,
    ]


def test_decorator_form() -> None:
    """`@emulator.intercept()` works as a decorator too."""
    emulator = Emulator()

    @emulator.intercept()
    def fetch() -> int:
        return requests.get(f"{CLOUD}{MACHINES_PATH}", timeout=10).status_code

    assert fetch() == 401
    assert len(emulator.requests) == 1


def test_other_base_urls_can_be_intercepted() -> None:
    """`intercept(url)` serves the emulator at any base URL, e.g. a staging host."""
    emulator = Emulator()
    with emulator.intercept("https://staging.uipath.com"):
        assert get_token("https://staging.uipath.com")


def test_user_stub_for_another_host_works_inside_intercept() -> None:
    """A user's `responses` mock started first keeps answering its own hosts inside the block."""
    with responses.RequestsMock() as user_mock:
        user_mock.get("https://api.example.com/thing", json={"ok": True})
        with Emulator().intercept():
            assert requests.get("https://api.example.com/thing", timeout=10).json() == {"ok": True}
            assert get_token()


def test_user_stub_started_inside_intercept_works() -> None:
    """A user's mock started inside the block answers its hosts, and the emulator once told to."""
    with Emulator().intercept() as interceptor, responses.RequestsMock() as user_mock:
        user_mock.get("https://api.example.com/thing", json={"ok": True})
        assert requests.get("https://api.example.com/thing", timeout=10).json() == {"ok": True}
        with pytest.raises(requests.ConnectionError, match="Connection refused by Responses"):
            get_token()
        interceptor.register(user_mock)
        assert get_token()


def test_other_real_http_is_not_swallowed(uipath_server: EmulatorServer) -> None:
    """A request to a URL outside the intercepted base goes out for real (here, to loopback)."""
    with Emulator().intercept():
        response = requests.get(f"{uipath_server.base_url}/_emulator/health", timeout=10)
    assert response.json() == {"status": "ok"}
    assert response.headers["Server"] == "uipath-mock"


def test_unreachable_host_still_fails_inside_intercept() -> None:
    """A host that does not answer fails as it would without the emulator: nothing fakes it."""
    with Emulator().intercept(), pytest.raises(requests.ConnectionError):
        requests.get("http://127.0.0.1:9/nothing-listens-here", timeout=2)


def comparable(response: requests.Response) -> tuple[int, dict[str, str], bytes]:
    """Status, headers and body with the per-request values blanked."""
    headers = {k: v for k, v in response.headers.items() if k not in PER_REQUEST_HEADERS}
    body = re.sub(
        rb'"traceId":"00-[0-9a-f]{32}-[0-9a-f]{16}-00"', b'"traceId":""', response.content
    )
    return response.status_code, headers, body


@pytest.mark.parametrize(
    ("method", "path", "query"),
    [
        ("GET", MACHINES_PATH, ""),
        ("GET", MACHINES_PATH, "?$top=2&$select=Name,Id"),
        ("GET", f"{MACHINES_PATH}(3)", ""),
        ("GET", f"{MACHINES_PATH}(999)", ""),
        ("GET", "/nope", ""),
        ("DELETE", f"{MACHINES_PATH}(4)", ""),
    ],
)
def test_same_bytes_in_process_and_over_http(
    uipath_server: EmulatorServer, method: str, path: str, query: str
) -> None:
    """In-process answers equal the server's byte for byte, but for dates and trace ids."""
    emulator = Emulator()
    server_token = get_token(uipath_server.base_url)
    over_http = requests.request(
        method,
        f"{uipath_server.base_url}{path}{query}",
        headers={"Authorization": f"Bearer {server_token}", "Host": "cloud.uipath.com"},
        timeout=10,
    )
    with emulator.intercept("http://cloud.uipath.com"):
        token = get_token("http://cloud.uipath.com")
        in_process = requests.request(
            method,
            f"http://cloud.uipath.com{path}{query}",
            headers={"Authorization": f"Bearer {token}"},
            timeout=10,
        )
    assert comparable(in_process) == comparable(over_http)
    assert list(in_process.headers) == list(over_http.headers)


def test_dropped_connection_in_process_is_a_connection_error() -> None:
    """A `drop` fault surfaces in-process as `requests.ConnectionError`."""
    emulator = Emulator()
    emulator.faults.add(path="Machines", drop=True)
    with emulator.intercept(), pytest.raises(requests.ConnectionError):
        requests.get(f"{CLOUD}{MACHINES_PATH}", timeout=10)
    assert [entry.fault for entry in emulator.requests] == [True]


def test_dropped_connection_over_http_is_a_connection_error(uipath_server: EmulatorServer) -> None:
    """A `drop` fault resets the TCP connection, which `requests` reports as ConnectionError."""
    uipath_server.emulator.faults.add(path="Machines", drop=True)
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{uipath_server.base_url}{MACHINES_PATH}", timeout=10)
    assert requests.get(f"{uipath_server.base_url}{MACHINES_PATH}", timeout=10).status_code == 401


def test_httpx_is_intercepted_too() -> None:
    """httpx calls (UiPath's SDK uses httpx) under the base URL reach the emulator in-process."""
    emulator = Emulator()
    form = {**FORM, "client_secret": str(FULL.client_secret)}
    with emulator.intercept():
        response = httpx.post(f"{CLOUD}/{ORGANIZATION}/identity_/connect/token", data=form)
    assert response.status_code == 200
    assert response.json()["token_type"] == "Bearer"
    assert len(emulator.requests) == 1


def test_httpx_drop_is_a_transport_error() -> None:
    """A `drop` fault surfaces in httpx as a transport error, as a closed connection would."""
    emulator = Emulator()
    emulator.faults.add(path="Machines", drop=True)
    with emulator.intercept(), pytest.raises(httpx.TransportError):
        httpx.get(f"{CLOUD}{MACHINES_PATH}")


def test_user_respx_mock_started_before_keeps_its_hosts() -> None:
    """A user's respx mock started first answers its hosts; the cloud URL reaches the emulator."""
    with respx.mock(assert_all_called=False) as user_mock:
        user_mock.get("https://api.example.com/thing").mock(
            return_value=httpx.Response(200, json={"ok": True})
        )
        emulator = Emulator()
        with emulator.intercept():
            assert httpx.get("https://api.example.com/thing").json() == {"ok": True}
            assert httpx.get(f"{CLOUD}{MACHINES_PATH}").status_code == 401
    assert len(emulator.requests) == 1


def test_user_respx_mock_started_inside_keeps_its_hosts() -> None:
    """A user's respx mock started inside the block answers its hosts; ours still reach us."""
    emulator = Emulator()
    with emulator.intercept(), respx.mock(assert_all_called=False) as user_mock:
        user_mock.get("https://api.example.com/thing").mock(
            return_value=httpx.Response(200, json={"ok": True})
        )
        assert httpx.get("https://api.example.com/thing").json() == {"ok": True}
        assert httpx.get(f"{CLOUD}{MACHINES_PATH}").status_code == 401
    assert len(emulator.requests) == 1


def test_httpx_interception_ends_with_the_block() -> None:
    """After the block, httpx's transports are as before: a cloud URL is no longer answered."""
    before = httpx.HTTPTransport.handle_request
    with Emulator().intercept():
        assert httpx.HTTPTransport.handle_request is not before
    assert httpx.HTTPTransport.handle_request is before


def test_httpx_other_urls_pass_through(uipath_server: EmulatorServer) -> None:
    """httpx calls to other URLs go out for real (here, to a loopback server)."""
    with Emulator().intercept():
        response = httpx.get(f"{uipath_server.base_url}/_emulator/health")
    assert response.json() == {"status": "ok"}
