"""The state file, its journal, and how they are written so that nothing acknowledged is lost.

Files, beside each other: `FILE` (a world document, the last snapshot), `FILE.journal` (one
JSON line per commit since), while a snapshot is being written `FILE.journal.old` (the lines
that snapshot folds in), and `FILE.lock`, which the emulator using FILE holds locked (a second
emulator on FILE is refused: its start would fold away the journal the first one writes to).
Writing a snapshot goes to `.FILE.tmp-PID-N`, is flushed, then renamed over `FILE`; such
temporary files left by a crash are removed at the next start.

- `append(commit)` writes a line and `fsync`s it before returning: an acknowledged write
  survives the process being killed (and the machine losing power). A failed write (a full
  disk) is cut back off the journal and raises `PersistenceError`, so the change is refused.
- `snapshot(document)` replaces `FILE` atomically.
- `recover()` reads `FILE` and replays `FILE.journal.old` then `FILE.journal` onto it
  (idempotent: see `replay`), giving the last acknowledged state.

Every file operation goes through `os` (not `open()` or `pathlib`), so each one can fail, and
the tests make each one fail.
"""

from __future__ import annotations

import contextlib
import gc
import itertools
import os
import sys
import threading
import time
import weakref
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

if sys.platform == "win32":
    import msvcrt
else:
    import fcntl

COMPACT_AFTER_BYTES = 4 * 1024 * 1024
"""A journal this long is folded into a new snapshot (in the background)."""
_BINARY = getattr(os, "O_BINARY", 0)


class PersistenceError(Exception):
    """The state could not be saved; the change was not made."""


def _write_all(handle: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(handle, view)
        view = view[written:]


def _fsync_directory(directory: Path) -> None:
    if not hasattr(os, "O_DIRECTORY"):  # Windows: a rename is durable without it
        return
    handle = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def _try_lock(handle: int) -> bool:
    """Lock the open file exclusively, without waiting; False when another holder has it."""
    try:
        if sys.platform == "win32":
            msvcrt.locking(handle, msvcrt.LK_NBLCK, 1)
        else:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _holder(path: Path) -> str:
    """` (process PID)` from a lock file, or nothing when it cannot be read."""
    try:
        text = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return ""
    return f" (process {text})" if text.isdigit() else ""


class _Handles:
    """The descriptors a `DurableState` holds; closed when it is collected, if not before."""

    def __init__(self) -> None:
        self.journal: int | None = None
        self.lock: int | None = None

    def close_journal(self) -> None:
        handle, self.journal = self.journal, None
        if handle is not None:
            with contextlib.suppress(OSError):
                os.close(handle)

    def close(self) -> None:
        self.close_journal()
        handle, self.lock = self.lock, None
        if handle is not None:
            with contextlib.suppress(OSError):
                os.close(handle)  # releases the lock


def _try_lock_after_collecting(handle: int) -> bool:
    """Retry once an unreachable emulator of this process has let go of the file.

    An `Emulator` and its web app refer to each other, so one a test dropped without `close()`
    holds the lock until the garbage collector runs; its finalizer then closes the state.
    """
    gc.collect()
    return _try_lock(handle)


class DurableState:
    """The world's state on disk: snapshot `path`, its journal, and their status."""

    def __init__(self, path: str | Path, *, compact_after: int = COMPACT_AFTER_BYTES) -> None:
        self.path = Path(path)
        self.journal_path = self.path.with_name(self.path.name + ".journal")
        self.old_journal_path = self.path.with_name(self.path.name + ".journal.old")
        self.lock_path = self.path.with_name(self.path.name + ".lock")
        self.compact_after = compact_after
        self._lock = threading.Lock()
        self._handles = _Handles()
        weakref.finalize(self, self._handles.close)
        self._journal_bytes = 0
        """The journal's length up to its last acknowledged line."""
        self._torn = False
        """A failed append left bytes after `_journal_bytes` that could not be cut yet."""
        self._closed = False
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

    def _failed(self, file: Path, error: OSError) -> PersistenceError:
        self.last_error = f"cannot write {file}: {error.strerror or error}"
        return PersistenceError(self.last_error)

    def acquire(self) -> None:
        """Hold `FILE.lock` for this object; `PersistenceError` when another emulator has it."""
        if self._handles.lock is not None:
            return
        try:
            handle = os.open(self.lock_path, os.O_RDWR | os.O_CREAT | _BINARY, 0o644)
        except OSError as error:
            raise self._failed(self.lock_path, error) from None
        if not _try_lock(handle) and not _try_lock_after_collecting(handle):
            os.close(handle)
            raise PersistenceError(
                f"{self.path} is in use by another emulator{_holder(self.lock_path)}; "
                "stop it (in-process: close() it) first"
            )
        self._handles.lock = handle
        with contextlib.suppress(OSError):  # who holds it: for the message above only
            os.ftruncate(handle, 0)
            os.write(handle, f"{os.getpid()}\n".encode("ascii"))

    def remove_stale_temporary_files(self) -> list[Path]:
        """Delete snapshot temporaries an earlier process left (crash, full disk)."""
        removed = []
        directory = self.path.parent
        patterns = (f".{self.path.name}.tmp-*", f".{self.path.name}.*.tmp")
        for pattern in patterns:
            for stale in directory.glob(pattern):
                try:
                    os.unlink(stale)
                except FileNotFoundError:
                    pass
                except OSError:
                    continue  # left for a later start; a snapshot never reads it
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

    def _check_open(self) -> None:
        if self._closed:
            raise PersistenceError(f"{self.path} was closed by this emulator")

    def snapshot(self, document: dict[str, Any] | bytes) -> None:
        """Replace the snapshot with `document`, atomically; the journals are not touched.

        Raises `PersistenceError` (the old snapshot stays) when it cannot be written. Once the
        new snapshot is renamed into place it counts as written, even should flushing the
        directory fail (then `last_error` says so): it is what a restart reads.
        """
        self._check_open()
        data = document if isinstance(document, bytes) else orjson.dumps(document)
        temporary = self.path.with_name(
            f".{self.path.name}.tmp-{os.getpid()}-{next(self._counter)}"
        )
        try:
            handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _BINARY, 0o666)
            try:
                _write_all(handle, data)
                os.fsync(handle)
            finally:
                os.close(handle)
            os.replace(temporary, self.path)
        except OSError as error:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise self._failed(self.path, error) from None
        self.last_snapshot = time.time()
        self.snapshots += 1
        self.last_error = None
        try:
            _fsync_directory(self.path.parent)
        except OSError as error:
            self._failed(self.path.parent, error)

    def start_journal(self) -> None:
        """Open (creating it) the journal that commits are appended to."""
        with self._lock:
            self._handles.close_journal()
            self._journal()

    def _journal(self) -> int:
        """The open journal, opened first if need be (the lock is held)."""
        self._check_open()
        if self._handles.journal is None:
            flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | _BINARY
            try:
                handle = os.open(self.journal_path, flags, 0o644)
            except OSError as error:
                raise self._failed(self.journal_path, error) from None
            self._handles.journal = handle
            if not self._torn:  # else `_journal_bytes` ends its last whole line
                self._journal_bytes = os.fstat(handle).st_size
        return self._handles.journal

    def append(self, commit: Commit) -> bool:
        """Make `commit` durable; True when the journal is now long enough to fold.

        Raises `PersistenceError`, leaving the journal as it was, when it cannot be written.
        """
        line = commit_line(commit)
        with self._lock:
            handle = self._journal()
            start = self._journal_bytes
            try:
                if self._torn:  # what an earlier failed append left: cut it first
                    os.ftruncate(handle, start)
                    self._torn = False
                _write_all(handle, line)
                os.fsync(handle)
            except OSError as error:
                try:
                    os.ftruncate(handle, start)
                except OSError:
                    self._torn = True  # cut before the next line is written
                raise self._failed(self.journal_path, error) from None
            self._journal_bytes = start + len(line)
            self.commits += 1
            self.last_error = None
            return self._journal_bytes >= self.compact_after

    def has_unfolded_changes(self) -> bool:
        """Whether the journals hold lines the snapshot does not."""
        return self._journal_bytes > 0 or self._torn or self.old_journal_path.exists()

    def rotate(self) -> None:
        """Move the journal aside (it becomes what the next snapshot folds) and start a new one.

        Called with every writer stopped. An old journal still there (a snapshot that failed)
        keeps its lines: the current journal is added to its end. Raises `PersistenceError`
        (both journals as they were) when the journal cannot be moved.
        """
        with self._lock:
            self._check_open()
            self._handles.close_journal()
            try:
                if self.journal_path.exists():
                    if self.old_journal_path.exists():
                        self._add_to_old_journal()
                        os.unlink(self.journal_path)
                    else:
                        os.replace(self.journal_path, self.old_journal_path)
                self._journal_bytes = 0
                self._torn = False
            except OSError as error:
                raise self._failed(self.journal_path, error) from None
            finally:
                with contextlib.suppress(PersistenceError):
                    self._journal()  # else the next append opens it

    def _add_to_old_journal(self) -> None:
        """Append the journal's whole lines to the old journal (cut back on failure)."""
        lines = self.journal_path.read_bytes()
        lines = lines[: lines.rfind(b"\n") + 1]
        keep = self.old_journal_path.read_bytes()
        keep_bytes = keep.rfind(b"\n") + 1  # a line cut short by a crash is dropped
        handle = os.open(self.old_journal_path, os.O_WRONLY | _BINARY)
        try:
            try:
                if keep_bytes != len(keep):
                    os.ftruncate(handle, keep_bytes)
                os.lseek(handle, keep_bytes, os.SEEK_SET)
                _write_all(handle, lines)
                os.fsync(handle)
            except OSError:
                with contextlib.suppress(OSError):
                    os.ftruncate(handle, keep_bytes)
                raise
        finally:
            os.close(handle)

    def folded(self) -> None:
        """The snapshot holding the old journal's lines is written: drop that journal.

        Raises `PersistenceError` when it cannot be removed (it is then replayed again, which
        changes nothing, until a later fold removes it).
        """
        try:
            os.unlink(self.old_journal_path)
        except FileNotFoundError:
            pass
        except OSError as error:
            raise self._failed(self.old_journal_path, error) from None
        self.commits = 0
        self.last_error = None

    def close(self) -> None:
        """Close the journal and release the state file (a later emulator may open it)."""
        with self._lock:
            self._closed = True
            self._handles.close()

    def __repr__(self) -> str:
        return f"<DurableState {self.path}>"
