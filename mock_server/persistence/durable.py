"""The state file, its journal, and how they are written so that nothing acknowledged is lost.

Files, beside each other: `FILE` (a world document, the last snapshot), `FILE.journal` (one
JSON line per commit since), and, while a snapshot is being written, `FILE.journal.old` (the
lines that snapshot folds in). Writing a snapshot goes to `.FILE.tmp-PID-N`, is flushed, then
renamed over `FILE`; such temporary files left by a crash are removed at the next start.

- `append(commit)` writes a line and `fsync`s it before returning: an acknowledged write
  survives the process being killed (and the machine losing power). A failed write (a full
  disk) is cut back off the journal and raises `PersistenceError`, so the change is refused.
- `snapshot(document)` replaces `FILE` atomically.
- `recover()` reads `FILE` and replays `FILE.journal.old` then `FILE.journal` onto it
  (idempotent: see `replay`), giving the last acknowledged state.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import threading
import time
from pathlib import Path
from typing import Any

import orjson

from uipath_emulator.mock_server.persistence.replay import (
    JournalError,
    commit_line,
    read_lines,
    replay,
)
from uipath_emulator.mock_server.world.files import read_world_document
from uipath_emulator.mock_server.world.loader import WorldError, migrate
from uipath_emulator.mock_server.world.store import Commit

COMPACT_AFTER_BYTES = 4 * 1024 * 1024
"""A journal this long is folded into a new snapshot (in the background)."""


class PersistenceError(Exception):
    """The state could not be saved; the change was not made."""


def _fsync_directory(directory: Path) -> None:
    if not hasattr(os, "O_DIRECTORY"):  # Windows: a rename is durable without it
        return
    handle = os.open(directory, os.O_DIRECTORY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


class DurableState:
    """The world's state on disk: snapshot `path`, its journal, and their status."""

    def __init__(self, path: str | Path, *, compact_after: int = COMPACT_AFTER_BYTES) -> None:
        self.path = Path(path)
        self.journal_path = self.path.with_name(self.path.name + ".journal")
        self.old_journal_path = self.path.with_name(self.path.name + ".journal.old")
        self.compact_after = compact_after
        self._lock = threading.Lock()
        self._journal: int | None = None
        self._journal_bytes = 0
        self._counter = itertools.count()
        self.last_error: str | None = None
        self.last_snapshot: float | None = None
        self.snapshots = 0
        self.commits = 0

    def exists(self) -> bool:
        """Whether there is a saved state to start from."""
        return self.path.exists()

    def status(self) -> dict[str, Any]:
        """What `/_emulator/health` shows of the state file."""
        return {
            "file": str(self.path),
            "state": "failing" if self.last_error else "ok",
            "last_error": self.last_error,
            "journal_bytes": self._journal_bytes,
            "commits_since_snapshot": self.commits,
            "snapshots_written": self.snapshots,
        }

    def remove_stale_temporary_files(self) -> list[Path]:
        """Delete snapshot temporaries an earlier process left (crash, full disk)."""
        removed = []
        directory = self.path.parent
        patterns = (f".{self.path.name}.tmp-*", f".{self.path.name}.*.tmp")
        for pattern in patterns:
            for stale in directory.glob(pattern):
                stale.unlink(missing_ok=True)
                removed.append(stale)
        return removed

    def recover(self) -> dict[str, Any] | None:
        """The last acknowledged state (snapshot plus journals), or None when there is none."""
        if not self.path.exists():
            return None
        document = read_world_document(self.path)
        if not isinstance(document, dict):
            return document
        document, _ = migrate(document)
        for journal in (self.old_journal_path, self.journal_path):
            if journal.exists():
                try:
                    replay(document, read_lines(journal.read_bytes(), str(journal)))
                except JournalError as error:
                    raise WorldError(str(error)) from None
        return document

    def snapshot(self, document: dict[str, Any] | bytes) -> None:
        """Replace the snapshot with `document`, atomically; the journals are not touched.

        Raises `PersistenceError` (the old snapshot stays) when it cannot be written.
        """
        data = document if isinstance(document, bytes) else orjson.dumps(document)
        temporary = self.path.with_name(
            f".{self.path.name}.tmp-{os.getpid()}-{next(self._counter)}"
        )
        try:
            with temporary.open("wb") as stream:
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
            os.replace(temporary, self.path)
            _fsync_directory(self.path.parent)
        except OSError as error:
            temporary.unlink(missing_ok=True)
            self.last_error = f"cannot write {self.path}: {error.strerror or error}"
            raise PersistenceError(self.last_error) from None
        self.last_snapshot = time.time()
        self.snapshots += 1

    def start_journal(self) -> None:
        """Open (creating it) the journal that commits are appended to."""
        with self._lock:
            if self._journal is not None:
                os.close(self._journal)
            flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | getattr(os, "O_BINARY", 0)
            self._journal = os.open(self.journal_path, flags, 0o644)
            self._journal_bytes = os.fstat(self._journal).st_size

    def append(self, commit: Commit) -> bool:
        """Make `commit` durable; True when the journal is now long enough to fold.

        Raises `PersistenceError`, leaving the journal as it was, when it cannot be written.
        """
        line = commit_line(commit)
        with self._lock:
            if self._journal is None:
                raise PersistenceError("the state file's journal is not open")
            start = self._journal_bytes
            try:
                view = memoryview(line)
                while view:
                    written = os.write(self._journal, view)
                    view = view[written:]
                os.fsync(self._journal)
            except OSError as error:
                self.last_error = f"cannot write {self.journal_path}: {error.strerror or error}"
                # The partial line is dropped at the next start if this fails too.
                with contextlib.suppress(OSError):
                    os.ftruncate(self._journal, start)
                raise PersistenceError(self.last_error) from None
            self._journal_bytes = start + len(line)
            self.commits += 1
            self.last_error = None
            return self._journal_bytes >= self.compact_after

    def rotate(self) -> None:
        """Move the journal aside (it becomes what the next snapshot folds) and start a new one.

        Called with every writer stopped. An old journal still there (a snapshot that failed)
        keeps its lines: the current journal is added to its end.
        """
        with self._lock:
            if self._journal is not None:
                os.close(self._journal)
                self._journal = None
            if self.journal_path.exists():
                if self.old_journal_path.exists():
                    with self.old_journal_path.open("ab") as old:
                        old.write(self.journal_path.read_bytes())
                        old.flush()
                        os.fsync(old.fileno())
                    self.journal_path.unlink()
                else:
                    os.replace(self.journal_path, self.old_journal_path)
        self.start_journal()

    def folded(self) -> None:
        """The snapshot holding the old journal's lines is written: drop that journal."""
        self.old_journal_path.unlink(missing_ok=True)
        self.commits = 0
        self.last_error = None

    def close(self) -> None:
        """Close the journal file."""
        with self._lock:
            if self._journal is not None:
                os.close(self._journal)
                self._journal = None

    def __repr__(self) -> str:
        return f"<DurableState {self.path}>"
