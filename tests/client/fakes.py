"""Fakes and constants shared by the client tests."""

from __future__ import annotations

import threading
from types import TracebackType
from typing import Any

import responses

from uipath_emulator.client import RetryPolicy, UiPathClient

BASE_URL = "https://cloud.uipath.com"
ORGANIZATION = "acme"
TENANT = "DefaultTenant"
TENANT_URL = f"{BASE_URL}/{ORGANIZATION}/{TENANT}"
TOKEN_URL = f"{BASE_URL}/{ORGANIZATION}/identity_/connect/token"
MACHINES_URL = f"{TENANT_URL}/orchestrator_/odata/Machines"
CLIENT_ID = "full-app-client-id"
CLIENT_SECRET = "full-app-S3CRET-do-not-leak"
TOKEN_VALUES = tuple(f"eyJ.token-{number}-DO-NOT-LEAK.sig" for number in range(1, 4))
TRACE_ID = "00-5c0b7e2a9d4f4c1e8b3a6f7d2e1c0b9a-7a6b5c4d3e2f1a0b-00"
JITTER = 0.5
START_TIME = 1_750_000_000.0


class FakeClock:
    """A clock that stands still until a test moves it."""

    def __init__(self, now: float = START_TIME) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def make_client(*, clock: FakeClock, sleeps: list[float], **overrides: Any) -> UiPathClient:
    """A client for the test tenant whose clock is `clock` and whose sleeps land in `sleeps`."""
    settings: dict[str, Any] = {
        "organization": ORGANIZATION,
        "tenant": TENANT,
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "retry": RetryPolicy(),
        "clock": clock,
        "sleep": sleeps.append,
        "jitter": lambda: JITTER,
    }
    return UiPathClient(BASE_URL, **{**settings, **overrides})


def token_body(
    value: str = TOKEN_VALUES[0], *, expires_in: int = 3600, scope: str = "OR.Machines"
) -> dict[str, Any]:
    """A token endpoint success body, as UiPath documents it."""
    return {"access_token": value, "expires_in": expires_in, "token_type": "Bearer", "scope": scope}


def add_tokens(rsps: responses.RequestsMock, *values: str, expires_in: int = 3600) -> None:
    """Serve these token values, one per token request (the last one repeats)."""
    for value in values or TOKEN_VALUES[:1]:
        rsps.post(TOKEN_URL, json=token_body(value, expires_in=expires_in))


def orchestrator_error(status: int, message: str, error_code: int = 0) -> dict[str, Any]:
    """Keyword arguments for `rsps.add` serving an Orchestrator error body."""
    return {
        "status": status,
        "json": {"message": message, "errorCode": error_code, "traceId": TRACE_ID},
    }


def machine(machine_id: int, name: str | None = None) -> dict[str, Any]:
    """A machine as Orchestrator sends it, including fields the client knows nothing about."""
    return {
        "@odata.type": "#UiPath.Server.Configuration.OData.ExtendedMachineDto",
        "Name": name or f"MACHINE-{machine_id:03d}",
        "Type": "Standard",
        "Scope": "Default",
        "UnattendedSlots": 1,
        "FieldFromTheFuture": {"nested": [machine_id]},
        "Id": machine_id,
    }


def list_body(items: list[dict[str, Any]], count: int | None = None) -> dict[str, Any]:
    """An OData list envelope around `items`."""
    body: dict[str, Any] = {
        "@odata.context": f"{TENANT_URL}/orchestrator_/odata/$metadata#Machines"
    }
    if count is not None:
        body["@odata.count"] = count
    body["value"] = items
    return body


def calls_to(rsps: responses.RequestsMock, url_prefix: str) -> list[responses.Call]:
    """The recorded calls whose URL starts with `url_prefix`."""
    return [call for call in rsps.calls if str(call.request.url).startswith(url_prefix)]


def assert_no_secrets(text: str) -> None:
    """Fail when `text` holds the client secret or any token value."""
    assert CLIENT_SECRET not in text
    for value in TOKEN_VALUES:
        assert value not in text


class ContendedLock:
    """A lock that counts the threads that had to wait for it, so a test can wait for them."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._changed = threading.Condition()
        self.waiters = 0

    def __enter__(self) -> ContendedLock:
        if not self._lock.acquire(blocking=False):
            with self._changed:
                self.waiters += 1
                self._changed.notify_all()
            self._lock.acquire()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._lock.release()

    def wait_for_waiters(self, count: int, timeout: float) -> bool:
        """Block until `count` threads are waiting (True) or `timeout` seconds passed (False)."""
        with self._changed:
            return self._changed.wait_for(lambda: self.waiters >= count, timeout)
