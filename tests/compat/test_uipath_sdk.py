"""UiPath's official Python SDK (PyPI `uipath-platform`, package `uipath.platform`) on the emulator.

The SDK's own client-credentials entry points (`UiPath(client_id=..., client_secret=...)`,
`uipath auth --client-id`) always post to https://cloud.uipath.com/identity_/connect/token,
whatever `UIPATH_URL` says, so they reach an emulator server only through a token taken
separately: these tests take it with the SDK's `IdentityService` pointed at the emulator (the
same org-less request), then use the SDK as documented for a given token (`UIPATH_URL` +
`UIPATH_ACCESS_TOKEN`). In-process, `intercept()` routes the SDK's httpx calls to
https://cloud.uipath.com into the emulator, so its own login works unchanged.
"""

import asyncio
from collections.abc import Iterator

import httpx
import jwt
import pytest
from uipath.platform import UiPath
from uipath.platform.common import ApiClient
from uipath.platform.errors import EnrichedException
from uipath.platform.identity import IdentityService

from uipath_emulator.mock_server import Emulator
from uipath_emulator.mock_server.transports.server import EmulatorServer
from uipath_emulator.mock_server.well_known import (
    FULL,
    ORGANIZATION,
    ORGANIZATION_ID,
    READONLY,
    TENANT,
)

MACHINES = "/orchestrator_/odata/Machines"


@pytest.fixture(autouse=True)
def _loopback_without_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    """httpx honours proxy variables: keep 127.0.0.1 direct."""
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")


@pytest.fixture
def access_token(uipath_server: EmulatorServer) -> str:
    """A token for the full app, from the SDK's IdentityService at the emulator's host."""
    token = IdentityService(uipath_server.base_url).get_client_credentials_token(
        FULL.client_id, str(FULL.client_secret), scope="OR.Machines"
    )
    return token.access_token


@pytest.fixture
def api_client(
    uipath_server: EmulatorServer, access_token: str, monkeypatch: pytest.MonkeyPatch
) -> Iterator[ApiClient]:
    """`UiPath().api_client`, configured from the environment variables the SDK's docs name."""
    monkeypatch.setenv("UIPATH_URL", f"{uipath_server.base_url}/{ORGANIZATION}/{TENANT}")
    monkeypatch.setenv("UIPATH_ACCESS_TOKEN", access_token)
    monkeypatch.delenv("UNATTENDED_USER_ACCESS_TOKEN", raising=False)
    client = UiPath().api_client
    yield client
    asyncio.run(client.aclose())


def test_token_claims_the_sdk_reads(access_token: str) -> None:
    """The org-less token the SDK asks for carries `prt_id`, `client_id`, `sub` and `exp`."""
    claims = jwt.decode(access_token, options={"verify_signature": False})
    assert claims["prt_id"] == ORGANIZATION_ID
    assert claims["client_id"] == claims["sub"] == FULL.client_id
    assert isinstance(claims["exp"], int)


def test_sdk_default_scope_is_refused_as_the_cloud_would(uipath_server: EmulatorServer) -> None:
    """The SDK's default scope `OR.Execution`, not granted to the app (the read-only app has
    only `OR.Execution.Read`), gives 400 invalid_scope."""
    identity = IdentityService(uipath_server.base_url)
    with pytest.raises(httpx.HTTPStatusError) as raised:
        identity.get_client_credentials_token(READONLY.client_id, str(READONLY.client_secret))
    assert raised.value.response.status_code == 400
    assert raised.value.response.json() == {"error": "invalid_scope"}


def test_list_machines_through_api_client(api_client: ApiClient) -> None:
    """`api_client.request` lists machines with OData options under `{UIPATH_URL}`."""
    response = api_client.request(
        "GET",
        MACHINES,
        params={"$filter": "Type eq 'Standard'", "$select": "Id,Name", "$top": 2, "$count": "true"},
    )
    assert response.status_code == 200
    body = response.json()
    assert body["@odata.count"] >= len(body["value"]) > 0
    assert all(set(row) == {"@odata.type", "Id", "Name"} for row in body["value"])


def test_write_round_trip_through_api_client(api_client: ApiClient) -> None:
    """POST, PATCH and DELETE of a machine through the SDK's api_client answer 201, 200, 204."""
    client = api_client
    created = client.request("POST", MACHINES, json={"Name": "SDK-RUNNER", "Type": "Standard"})
    assert created.status_code == 201
    key = created.json()["Id"]
    assert created.headers["Location"].endswith(f"{MACHINES}({key})")
    patched = client.request("PATCH", f"{MACHINES}({key})", json={"Description": "from the SDK"})
    assert patched.status_code == 200
    assert client.request("GET", f"{MACHINES}({key})").json()["Description"] == "from the SDK"
    assert client.request("DELETE", f"{MACHINES}({key})").status_code == 204


def test_async_request(access_token: str, uipath_server: EmulatorServer) -> None:
    """`api_client.request_async` reaches the emulator too."""
    base_url = f"{uipath_server.base_url}/{ORGANIZATION}/{TENANT}"

    async def list_one() -> httpx.Response:
        client = UiPath(base_url=base_url, secret=access_token).api_client
        try:
            return await client.request_async("GET", MACHINES, params={"$top": 1})
        finally:
            await client.aclose()

    response = asyncio.run(list_one())
    assert response.status_code == 200
    assert len(response.json()["value"]) == 1


@pytest.mark.parametrize(
    ("path", "params", "status", "error_code"),
    [
        (f"{MACHINES}(999999)", None, 404, "1002"),
        (MACHINES, {"$top": "5000"}, 400, "1000"),
    ],
    ids=["unknown-id", "top-over-limit"],
)
def test_errors_are_enriched(
    api_client: ApiClient, path: str, params: dict[str, str] | None, status: int, error_code: str
) -> None:
    """Emulator errors become `EnrichedException` whose extractor reads message, code, traceId."""
    with pytest.raises(EnrichedException) as raised:
        api_client.request("GET", path, params=params)
    assert raised.value.status_code == status
    info = raised.value.error_info
    assert info is not None
    assert info.error_code == error_code
    assert info.message
    assert info.trace_id is not None
    assert info.trace_id.startswith("00-")


def test_bad_token_is_401_with_orchestrator_body(uipath_server: EmulatorServer) -> None:
    """A forged token gives 401 with the SDK-readable `You are not authenticated!` body."""
    client = UiPath(
        base_url=f"{uipath_server.base_url}/{ORGANIZATION}/{TENANT}", secret="forged"
    ).api_client
    try:
        with pytest.raises(EnrichedException) as raised:
            client.request("GET", MACHINES)
    finally:
        asyncio.run(client.aclose())
    assert raised.value.status_code == 401
    assert raised.value.error_info is not None
    assert raised.value.error_info.message == "You are not authenticated!"


def test_sdk_client_credentials_login_in_process(uipath_emulator: Emulator) -> None:
    """In-process (httpx through respx), the SDK's own client-credentials login and calls work."""
    sdk = UiPath(
        base_url=f"https://cloud.uipath.com/{ORGANIZATION}/{TENANT}",
        client_id=FULL.client_id,
        client_secret=str(FULL.client_secret),
        scope="OR.Machines.Read",
    )
    response = sdk.api_client.request("GET", MACHINES, params={"$top": "2"})
    assert response.status_code == 200
    assert len(response.json()["value"]) == 2
    token_calls = [e for e in uipath_emulator.requests if e.path == "/identity_/connect/token"]
    assert [e.status for e in token_calls] == [200]
