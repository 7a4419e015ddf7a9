"""Pre-signed blob URIs through the HTTPS proxy: a client that reaches https://cloud.uipath.com
through `uipath-mock --proxy-port` gets URIs on that host, and moves bytes through them."""

from collections.abc import Iterator

import pytest
import requests

from tests.proxy.helpers import CLOUD, TIMEOUT, TOKEN_FORM, TOKEN_URL, proxied_session
from uipath_emulator.mock_server.transports.proxy import ProxyServer
from uipath_emulator.mock_server.well_known import ORGANIZATION, TENANT

BUCKET = f"{CLOUD}/{ORGANIZATION}/{TENANT}/orchestrator_/odata/Buckets(1)"
FUNCTIONS = f"{BUCKET}/UiPath.Server.Configuration.OData"


@pytest.fixture
def session(uipath_proxy: ProxyServer) -> Iterator[requests.Session]:
    """A `requests` session through the test's proxy."""
    with proxied_session(uipath_proxy) as session:
        yield session


def test_upload_and_download_through_the_proxy(session: requests.Session) -> None:
    """GetWriteUri answers an https://cloud.uipath.com URI; PUT then GET through the proxy
    move the same bytes, no bearer token sent with either."""
    form = {**TOKEN_FORM, "scope": "OR.Buckets"}
    token = session.post(TOKEN_URL, data=form, timeout=TIMEOUT).json()["access_token"]
    api = {"Authorization": f"Bearer {token}", "X-UIPATH-FolderPath": "Shared"}

    def uri(function: str) -> str:
        answer = session.get(
            f"{FUNCTIONS}.{function}", params={"path": "proxied.bin"}, headers=api, timeout=TIMEOUT
        )
        assert answer.status_code == 200, answer.text
        return str(answer.json()["Uri"])

    write_uri = uri("GetWriteUri")
    assert write_uri.startswith(f"{CLOUD}/_blob/")
    data = bytes(range(256)) * 64
    assert session.put(write_uri, data=data, timeout=TIMEOUT).status_code == 201
    assert session.get(uri("GetReadUri"), timeout=TIMEOUT).content == data
