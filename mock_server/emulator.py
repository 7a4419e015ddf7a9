"""`Emulator`: one emulated cloud (world, clock, key, faults, journal, state) and its web app."""

from __future__ import annotations

import contextlib
import logging
import threading
import time
import weakref
from collections.abc import Callable, Iterator, Mapping
from functools import cache, cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from uipath_emulator.mock_server.clock import Clock
from uipath_emulator.mock_server.control.faults import FaultList
from uipath_emulator.mock_server.control.journal import RequestJournal
from uipath_emulator.mock_server.identity.tokens import (
    ORCHESTRATOR_AUDIENCE,
    SigningKey,
    process_signing_key,
)
from uipath_emulator.mock_server.identity.verification import TokenVerifier
from uipath_emulator.mock_server.jsonio import json_copy
from uipath_emulator.mock_server.orchestrator.entities.catalog import default_registry
from uipath_emulator.mock_server.orchestrator.entities.handle import EntityHandle
from uipath_emulator.mock_server.orchestrator.entities.registry import Registry
from uipath_emulator.mock_server.orchestrator.storage.signing import UriSigner
from uipath_emulator.mock_server.persistence import DurableState, PersistenceError
from uipath_emulator.mock_server.resources import default_world_path
from uipath_emulator.mock_server.well_known import ORGANIZATION, TENANT
from uipath_emulator.mock_server.world import World, WorldError, dump_world, load_world
from uipath_emulator.mock_server.world.files import read_world_document
from uipath_emulator.mock_server.world.store import Commit

if TYPE_CHECKING:
    from uipath_emulator.mock_server.orchestrator.entities.job_control import JobControl
    from uipath_emulator.mock_server.transports.inprocess import Interceptor
    from uipath_emulator.mock_server.web.app import EmulatorApp

_log = logging.getLogger("uipath_emulator")

DEFAULT_TOKEN_LIFETIME = 3600
DEFAULT_BASE_URL = "https://cloud.uipath.com"

WorldSource = str | Path | Mapping[str, Any] | None


@cache
def _default_world_document(registry: Registry) -> dict[str, Any]:
    """The packaged default world, checked once per process (and registry)."""
    document = read_world_document(default_world_path())
    load_world(document, registry)
    return document


class Emulator:
    """An emulated UiPath Automation Cloud: world, clock, signing key, faults, journal, web app.

    Nothing is shared between two emulators but the process-wide signing key (generating one
    takes about 50 ms), so a test can build a fresh emulator for itself in a few milliseconds.
    The server (`uipath-mock`) and the in-process mode (`intercept()`) both serve `self.app`.

    With `state_file`, every acknowledged write is durable (see `persistence`): the emulator
    starts from the file when it exists, and a write that cannot be saved is refused (503).
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
        registry: Registry | None = None,
    ) -> None:
        if token_lifetime <= 0:
            raise ValueError("token_lifetime must be a positive number of seconds")
        self.registry = registry or default_registry()
        self._durable = DurableState(state_file) if state_file is not None else None
        if self._durable is not None:
            weakref.finalize(self, self._durable.close)  # a dropped emulator frees its file
        self._initial_document, initial_checked = self._initial(world)
        self._compacting = threading.Lock()
        """Held while the journal is folded, and by `reset`/`load`: one at a time."""
        try:
            self.world: World = self._start_world(world, initial_checked)
        except BaseException:
            if self._durable is not None:
                self._durable.close()  # a failed start leaves the state file free
            raise
        self.token_lifetime = token_lifetime
        self.signing_key = signing_key or process_signing_key()
        self.clock = clock or Clock()
        self.uri_signer = UriSigner()
        """Signs the pre-signed blob URIs of buckets (a key of this instance only)."""
        self.upload_lock = threading.Lock()
        """Held while a file upload checks the emulator's storage limit and writes."""
        self.verifier = TokenVerifier(
            self.signing_key, audience=ORCHESTRATOR_AUDIENCE, leeway=leeway
        )
        self.faults = FaultList()
        self.requests = RequestJournal()
        self.control_enabled = control_enabled
        self.control_token = control_token
        self.sleep = sleep
        self._attach(self.world)

    def _start_world(self, world: WorldSource, initial_checked: bool) -> World:
        """The world to start with: the saved state, else the initial world (then saved)."""
        recovered = self._recover()
        try:
            if recovered is not None:
                started = load_world(recovered, self.registry, owned=True)
            else:
                started = load_world(self._initial_document, self.registry, checked=initial_checked)
        except WorldError as error:
            source = self._durable.path if recovered is not None and self._durable else world
            if isinstance(source, str | Path):
                raise WorldError(f"{source}: {error}") from None
            raise
        if self._durable is not None:
            self._durable.snapshot(orjson.dumps(_capture(started)))
            self._durable.rotate()
            self._durable.folded()
        return started

    def _initial(self, world: WorldSource) -> tuple[dict[str, Any], bool]:
        """The document `reset()` returns to, and whether it is already checked."""
        if world is None:
            return _default_world_document(self.registry), True
        if isinstance(world, str | Path):
            return read_world_document(world), False
        return json_copy(dict(world)), False

    def _recover(self) -> dict[str, Any] | None:
        if self._durable is None:
            return None
        self._durable.acquire()  # before anything is touched: another emulator may use it
        self._durable.remove_stale_temporary_files()
        try:
            return self._durable.recover()
        except OSError as error:
            raise WorldError(
                f"{self._durable.path}: cannot read the saved state: {error}"
            ) from None

    @cached_property
    def app(self) -> EmulatorApp:
        """The WSGI app serving this emulator (the process's Flask app, built on first use)."""
        from uipath_emulator.mock_server.web.app import create_app

        return create_app(self)

    def _attach(self, world: World) -> None:
        """Make every tenant of `world` commit through this emulator's persistence."""
        committer = self._commit if self._durable is not None else None
        for tenant in world.tenants():
            tenant.entities.committer = committer

    def _commit(self, commit: Commit) -> None:
        durable = self._durable
        if durable is None:
            return
        if durable.append(commit):
            self._compact_in_background()

    def _compact_in_background(self) -> None:
        if self._compacting.locked():
            return
        threading.Thread(target=self.compact, name="uipath-mock-compact", daemon=True).start()

    @contextlib.contextmanager
    def _all_tenants_locked(self, world: World) -> Iterator[None]:
        with contextlib.ExitStack() as stack:
            for tenant in sorted(world.tenants(), key=lambda t: t.id):
                stack.enter_context(tenant.entities.lock)
            yield

    def compact(self) -> None:
        """Fold the journal into a new snapshot (no-op without a state file).

        A failure is logged, not raised: the journals keep every change, and the next
        compaction (or start) folds them.
        """
        durable = self._durable
        if durable is None:
            return
        with self._compacting:
            world = self.world
            try:
                with self._all_tenants_locked(world):
                    durable.rotate()
                    captured = _capture(world)
                durable.snapshot(orjson.dumps(captured))
                durable.folded()
            except PersistenceError as error:
                _log.error("uipath-mock: %s (the journal keeps every change)", error)

    def state(self) -> dict[str, Any]:
        """The whole world as a world document (the format of world files)."""
        return dump_world(self.world)

    def persistence_status(self) -> dict[str, Any] | None:
        """The state file's status for `/_emulator/health`; None without a state file."""
        return None if self._durable is None else self._durable.status()

    def load(self, document: Mapping[str, Any]) -> None:
        """Replace the world with `document`; a rejected or unsavable document changes nothing."""
        self._replace(load_world(dict(document), self.registry))

    def reset(self) -> None:
        """Back to the world loaded at start; clock, faults and journal cleared."""
        self._replace(load_world(self._initial_document, self.registry, checked=True))
        self.clock.reset()
        self.faults.clear()
        self.requests.clear()

    def _replace(self, world: World) -> None:
        durable = self._durable
        old = self.world
        with self._compacting, self._all_tenants_locked(old):
            if durable is not None:
                if durable.has_unfolded_changes():
                    # Fold the journals into a snapshot of the current world first: were they
                    # still there under the new world's snapshot, a crash right after it
                    # would replay the old world's changes onto the new one.
                    durable.rotate()
                    durable.snapshot(orjson.dumps(_capture(old)))
                    durable.folded()
                durable.snapshot(orjson.dumps(dump_world(world)))
            self._attach(world)
            self.uri_signer = UriSigner()  # a URI of the old world grants nothing in the new
            for tenant in old.tenants():
                tenant.entities.retire()
            self.world = world

    def entities(self, organization: str, tenant: str, entity_set: str) -> EntityHandle:
        """Read and change one entity set of one tenant, as the API would, without a token.

        `emulator.entities("acme", "DefaultTenant", "Machines").add({"Name": "X"})`.
        """
        return EntityHandle(self, organization, tenant, entity_set)

    def jobs(self, organization: str = ORGANIZATION, tenant: str = TENANT) -> JobControl:
        """End, fault, hold or suspend a tenant's jobs from a test, as a robot would.

        `emulator.jobs().complete(job_key, output={"Total": 3})`; see `JobControl`.
        """
        from uipath_emulator.mock_server.orchestrator.entities.job_control import JobControl

        handle = self.entities(organization, tenant, "Jobs")
        return JobControl(lambda: handle.stores, self.clock.now)

    def close(self) -> None:
        """Release the state file (a later emulator may open it); later writes answer 503."""
        if self._durable is not None:
            with self._compacting:  # a compaction under way finishes first
                self._durable.close()

    def intercept(self, *base_urls: str) -> Interceptor:
        """Route `requests` calls to these base URLs (default the cloud's) into this emulator.

        Use it as a context manager or a decorator; see `mock_server.inprocess.Interceptor`.
        """
        from uipath_emulator.mock_server.transports.inprocess import Interceptor

        return Interceptor(self, base_urls or (DEFAULT_BASE_URL,))

    def __repr__(self) -> str:
        return f"<Emulator {self.world!r} clock={self.clock!r}>"


def _capture(world: World) -> dict[str, Any]:
    """The world as a document that shares its (never mutated) records with the stores."""
    document = dump_world(world, copy_records=False)
    return document
