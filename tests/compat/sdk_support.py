"""Driving UiPath's Python SDK, unchanged, at the emulator: where it points, its token, closing.

The SDK is configured as documented: `UIPATH_URL` and `UIPATH_ACCESS_TOKEN` (a token the SDK's
own `IdentityService` takes, as `UiPath(client_id=...)` does), plus `UIPATH_ROBOT_KEY` for the
robot paths. Every SDK service owns a sync and an async httpx client; `closing` closes both.
"""

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Protocol, TypeVar

import pytest
from uipath.platform import UiPath
from uipath.platform.identity import IdentityService

from uipath_emulator.mock_server import Emulator
from uipath_emulator.mock_server.control.journal import JournalEntry
from uipath_emulator.mock_server.well_known import (
    FINANCE_ROBOT,
    ORGANIZATION,
    TENANT,
    WellKnownApp,
)

CLOUD = "https://cloud.uipath.com"
ROBOT_SCOPE = "OR.Default OR.Folders OR.Assets"
"""What `finance-robot` asks for: its folder roles (OR.Default) and the two services used."""
SDK_ENVIRONMENT = (
    "UIPATH_URL",
    "UIPATH_ACCESS_TOKEN",
    "UNATTENDED_USER_ACCESS_TOKEN",
    "UIPATH_ROBOT_KEY",
    "UIPATH_FOLDER_PATH",
    "UIPATH_FOLDER_KEY",
)


class Closable(Protocol):
    """An SDK service: it owns a sync and an async httpx client."""

    async def aclose(self) -> None: ...


Service = TypeVar("Service", bound=Closable)


@dataclass
class Cloud:
    """Where the SDK is pointed: the emulator in-process, or a server on loopback."""

    host: str
    emulator: Emulator

    @property
    def url(self) -> str:
        """`UIPATH_URL`: the tenant's URL."""
        return f"{self.host}/{ORGANIZATION}/{TENANT}"

    def token(self, app: WellKnownApp, scope: str) -> str:
        """A token from the SDK's `IdentityService` (the request `UiPath(client_id=)` sends)."""
        identity = IdentityService(self.host)
        return identity.get_client_credentials_token(
            app.client_id, str(app.client_secret), scope=scope
        ).access_token

    def calls(self, path: str) -> list[JournalEntry]:
        """The emulator's journal entries for one tenant-relative path."""
        full = f"/{ORGANIZATION}/{TENANT}{path}"
        return [entry for entry in self.emulator.requests if entry.path == full]


def configure(
    cloud: Cloud,
    monkeypatch: pytest.MonkeyPatch,
    *,
    app: WellKnownApp = FINANCE_ROBOT,
    scope: str = ROBOT_SCOPE,
    robot_key: str | None = None,
) -> UiPath:
    """`UiPath()` from the documented variables, with a token of `app`."""
    monkeypatch.setenv("UIPATH_URL", cloud.url)
    monkeypatch.setenv("UIPATH_ACCESS_TOKEN", cloud.token(app, scope))
    if robot_key is not None:
        monkeypatch.setenv("UIPATH_ROBOT_KEY", robot_key)
    return UiPath()


@contextmanager
def closing(service: Service) -> Iterator[Service]:
    """Use an SDK service, then close its two httpx clients."""
    try:
        yield service
    finally:
        asyncio.run(service.aclose())
