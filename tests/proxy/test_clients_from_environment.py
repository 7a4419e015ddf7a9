"""Clients configured by the proxy's environment variables alone (as the README's table says):
`requests` (through the bundled client) reads `HTTPS_PROXY` and `REQUESTS_CA_BUNDLE`, httpx
reads `HTTPS_PROXY` and `SSL_CERT_FILE`."""

import httpx
import pytest

from tests.proxy.helpers import TOKEN_FORM, TOKEN_URL
from uipath_emulator.client import UiPathClient
from uipath_emulator.mock_server.transports.proxy import ProxyServer
from uipath_emulator.mock_server.well_known import (
    DEFAULT_TENANT_MACHINES,
    FULL,
    ORGANIZATION,
    TENANT,
)


@pytest.fixture
def proxy_environment(uipath_proxy: ProxyServer, monkeypatch: pytest.MonkeyPatch) -> None:
    """This process's environment set as the banner says, and nothing else proxy-related."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    for name, value in uipath_proxy.environment().items():
        monkeypatch.setenv(name, value)


@pytest.mark.usefixtures("proxy_environment")
def test_bundled_requests_client_on_the_cloud_url_reaches_the_emulator() -> None:
    """`UiPathClient("https://cloud.uipath.com", ...)` lists the machines through the proxy."""
    with UiPathClient(
        "https://cloud.uipath.com",
        organization=ORGANIZATION,
        tenant=TENANT,
        client_id=FULL.client_id,
        client_secret=str(FULL.client_secret),
    ) as client:
        assert len(client.machines.list().items) == DEFAULT_TENANT_MACHINES


@pytest.mark.usefixtures("proxy_environment")
def test_httpx_with_its_defaults_reaches_the_emulator() -> None:
    """A default `httpx.Client()` (trust_env) gets a token from https://cloud.uipath.com."""
    with httpx.Client() as client:
        answer = client.post(TOKEN_URL, data=TOKEN_FORM)
    assert answer.status_code == 200, answer.text
    assert answer.json()["token_type"] == "Bearer"
