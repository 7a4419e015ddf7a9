"""`Emulator`: one emulated cloud (world, clock, key, faults, journal) and the app serving it."""

import copy
import logging
import time
from collections.abc import Callable, Mapping
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flask import Flask

from uipath_emulator.mock_server.clock import Clock
from uipath_emulator.mock_server.control.faults import FaultList
from uipath_emulator.mock_server.control.journal import RequestJournal
from uipath_emulator.mock_server.identity.tokens import (
    ORCHESTRATOR_AUDIENCE,
    SigningKey,
    process_signing_key,
)
from uipath_emulator.mock_server.identity.verification import TokenVerifier
from uipath_emulator.mock_server.jsonio import JSONBodyError, parse_json_body
from uipath_emulator.mock_server.persistence import StateFile
from uipath_emulator.mock_server.resources import default_world_path
from uipath_emulator.mock_server.web.app import create_app
from uipath_emulator.mock_server.world import World, WorldError, dump_world, load_world

if TYPE_CHECKING:
    from uipath_emulator.mock_server.transports.inprocess import Interceptor

_log = logging.getLogger("uipath_emulator")

DEFAULT_TOKEN_LIFETIME = 3600
DEFAULT_BASE_URL = "https://cloud.uipath.com"

WorldSource = str | Path | Mapping[str, Any] | None


@cache
def _default_world_document() -> dict[str, Any]:
    """The packaged default world, checked once per process."""
    document = read_world_document(default_world_path())
    load_world(document)
    return document


def read_world_document(path: str | Path) -> dict[str, Any]:
    """The parsed JSON of a world or state file; `WorldError` naming the file if unreadable."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise WorldError(f"{path}: cannot read world file: {error}") from None
    try:
        document: dict[str, Any] = parse_json_body(data, "the file")
    except JSONBodyError as error:
        raise WorldError(f"{path}: {error} (truncated or corrupt?)") from None
    return document


def _world_document(source: WorldSource) -> dict[str, Any]:
    if source is None:
        return _default_world_document()
    if isinstance(source, str | Path):
        return read_world_document(source)
    return dict(source)


class Emulator:
    """An emulated UiPath Automation Cloud: world, clock, signing key, faults, journal, Flask app.

    Nothing is shared between two emulators but the process-wide signing key (generating one
    takes about 50 ms), so a test can build a fresh emulator for itself in a few milliseconds.
    The server (`uipath-mock`) and the in-process mode (`intercept()`) both serve `self.app`.
    """

    def __init__(
        self,
        world: WorldSource = None,
        *,
        token_lifetime: int = DEFAULT_TOKEN_LIFETIME,
        signing_key: SigningKey | None = None,
        clock: Clock | None = None,
        leeway: int = 0,
        state_file: str | Path | None = None,
        control_enabled: bool = True,
        control_token: str | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if token_lifetime <= 0:
            raise ValueError("token_lifetime must be a positive number of seconds")
        self._state_file = StateFile(state_file) if state_file is not None else None
        source: WorldSource = world
        if self._state_file is not None and self._state_file.exists():
            source = self._state_file.path
        document = _world_document(source)
        try:
            self.world: World = load_world(document, checked=source is None)
        except WorldError as error:
            if isinstance(source, str | Path):
                raise WorldError(f"{source}: {error}") from None
            raise
        # The caller may change its dict later; the cached default world is never changed.
        self._initial_document = document if source is None else copy.deepcopy(document)
        self.token_lifetime = token_lifetime
        self.signing_key = signing_key or process_signing_key()
        self.clock = clock or Clock()
        self.verifier = TokenVerifier(
            self.signing_key, audience=ORCHESTRATOR_AUDIENCE, leeway=leeway
        )
        self.faults = FaultList()
        self.requests = RequestJournal()
        self.control_enabled = control_enabled
        self.control_token = control_token
        self.sleep = sleep
        self.app: Flask = create_app(self)
        self._generation = 0
        self._saved_revision: tuple[int, int] | None = None
        if self._state_file is not None:
            self._state_file.save(self.state)
            self._saved_revision = self._revision()

    def state(self) -> dict[str, Any]:
        """The whole world as a world document (the format of world files)."""
        return dump_world(self.world)

    def load(self, document: Mapping[str, Any]) -> None:
        """Replace the world with `document`; a rejected document changes nothing."""
        self.world = load_world(dict(document))
        self._generation += 1
        self.persist()

    def reset(self) -> None:
        """Back to the world loaded at start; clock, faults and journal cleared."""
        self.world = load_world(self._initial_document, checked=True)
        self._generation += 1
        self.clock.reset()
        self.faults.clear()
        self.requests.clear()
        self.persist()

    def _revision(self) -> tuple[int, int]:
        world = self.world
        writes = sum(t.machines.revision for org in world.organizations for t in org.tenants)
        return self._generation, writes

    def persist(self) -> None:
        """Write the world to the state file, when there is one and it changed since last time.

        A failed write is logged and retried at the next change: the service keeps answering.
        """
        if self._state_file is None:
            return
        revision = self._revision()
        if revision == self._saved_revision:
            return
        try:
            self._state_file.save(self.state)
        except OSError as error:
            _log.error("cannot write the state file %s: %s", self._state_file.path, error)
            return
        self._saved_revision = revision

    def intercept(self, *base_urls: str) -> "Interceptor":
        """Route `requests` calls to these base URLs (default the cloud's) into this emulator.

        Use it as a context manager or a decorator; see `mock_server.inprocess.Interceptor`.
        """
        from uipath_emulator.mock_server.transports.inprocess import Interceptor

        return Interceptor(self, base_urls or (DEFAULT_BASE_URL,))

    def __repr__(self) -> str:
        return f"<Emulator {self.world!r} clock={self.clock!r}>"
