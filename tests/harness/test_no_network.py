"""`intercept()` never lets a call under the emulated base URL reach the network (or DNS)."""

import ipaddress
import socket
from typing import Any

import httpx
import pytest
import requests

from uipath_emulator.mock_server import Emulator
from uipath_emulator.mock_server.well_known import FULL

CLOUD = "https://cloud.uipath.com"
TOKEN_FORM = {
    "grant_type": "client_credentials",
    "client_id": FULL.client_id,
    "client_secret": str(FULL.client_secret),
}


def _is_loopback(host: Any) -> bool:
    try:
        return ipaddress.ip_address(str(host)).is_loopback
    except ValueError:
        return str(host) == "localhost"


@pytest.fixture
def outbound(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every non-loopback connect or name lookup attempted, refused and recorded."""
    attempts: list[str] = []
    real_connect = socket.socket.connect
    real_getaddrinfo = socket.getaddrinfo

    def connect(self: socket.socket, address: Any) -> Any:
        host = address[0] if isinstance(address, tuple) else address
        if not _is_loopback(host):
            attempts.append(f"connect {address}")
            raise OSError("test: no network beyond loopback")
        return real_connect(self, address)

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if not _is_loopback(host):
            attempts.append(f"getaddrinfo {host}")
            raise socket.gaierror("test: no name lookups")
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return attempts


def test_requests_and_httpx_under_the_cloud_url_stay_in_process(outbound: list[str]) -> None:
    """Token, API, unknown paths and the org-less token URL, with both libraries: no socket."""
    with Emulator().intercept():
        token = requests.post(f"{CLOUD}/acme/identity_/connect/token", data=TOKEN_FORM, timeout=5)
        bearer = {"Authorization": f"Bearer {token.json()['access_token']}"}
        machines = requests.get(
            f"{CLOUD}/acme/DefaultTenant/orchestrator_/odata/Machines", headers=bearer, timeout=5
        )
        unknown = requests.get(f"{CLOUD}/nothing/here", timeout=5)
        with httpx.Client() as client:
            sdk_token = client.post(f"{CLOUD}/identity_/connect/token", data=TOKEN_FORM)
            sdk_machines = client.get(
                f"{CLOUD}/acme/DefaultTenant/orchestrator_/odata/Machines", headers=bearer
            )
            sdk_unknown = client.get(f"{CLOUD}/nothing/here")
    assert [token.status_code, machines.status_code, unknown.status_code] == [200, 200, 404]
    assert [sdk_token.status_code, sdk_machines.status_code, sdk_unknown.status_code] == [
        200,
        200,
        404,
    ]
    assert outbound == []


async def _async_call() -> int:
    async with httpx.AsyncClient() as client:
        response = await client.get(f"{CLOUD}/_emulator/health")
    return response.status_code


def test_async_httpx_stays_in_process(outbound: list[str]) -> None:
    """httpx's async client (what async SDK calls use) is answered in-process too."""
    import asyncio

    with Emulator().intercept():
        status = asyncio.run(_async_call())
    assert status == 200
    assert outbound == []
