"""Fixtures of the SDK compatibility tests: a clean SDK environment and where the SDK points."""

import pytest

from tests.compat.sdk_support import CLOUD, SDK_ENVIRONMENT, Cloud


@pytest.fixture
def sdk_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """No SDK variable leaks in from the shell; httpx keeps 127.0.0.1 off any proxy."""
    for name in SDK_ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")


@pytest.fixture(params=["in-process", "server"])
def cloud(request: pytest.FixtureRequest, sdk_environment: None) -> Cloud:
    """The emulator behind https://cloud.uipath.com in-process, or a `uipath-mock` server."""
    if request.param == "in-process":
        return Cloud(CLOUD, request.getfixturevalue("uipath_emulator"))
    server = request.getfixturevalue("uipath_server")
    return Cloud(server.base_url, server.emulator)
