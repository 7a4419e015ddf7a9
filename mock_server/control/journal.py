"""The request journal: what arrived and what was answered, with secrets redacted."""

import threading
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode

REDACTED = "***"
SECRET_PARAMETERS = frozenset(
    {
        "client_secret",
        "access_token",
        "refresh_token",
        "id_token",
        "token",
        "code",
        "password",
        "sig",
    }
)


@dataclass(frozen=True)
class JournalEntry:
    """One request: when, what, who asked (scheme only), and the answer's status and duration.

    Secrets are redacted when the entry is made; the readable forms (`time`, `query`) are
    built when asked for, so recording costs the request almost nothing.
    """

    timestamp: float
    method: str
    path: str
    query_string: str
    authorization: str | None
    status: int
    duration_ms: float
    fault: bool
    not_emulated: str | None = None
    """The Orchestrator operation the emulator does not serve (`(no such path)` for none)."""

    @property
    def time(self) -> str:
        """When the request arrived, in emulator time, RFC 3339."""
        moment = datetime.fromtimestamp(self.timestamp, tz=UTC)
        return moment.isoformat(timespec="milliseconds")

    @property
    def query(self) -> dict[str, str]:
        """The query parameters (secret ones already redacted)."""
        return dict(parse_qsl(self.query_string, keep_blank_values=True))

    def as_dict(self) -> dict[str, Any]:
        """The entry as the control plane shows it."""
        return {
            "time": self.time,
            "method": self.method,
            "path": self.path,
            "query": self.query,
            "authorization": self.authorization,
            "status": self.status,
            "duration_ms": self.duration_ms,
            "fault": self.fault,
            "not_emulated": self.not_emulated,
        }


MAX_TEXT = 2048
"""Characters of a path or query string the journal keeps; the rest is cut, with a marker."""


def truncated(text: str, limit: int = MAX_TEXT) -> str:
    """`text`, or its first `limit` characters and a marker saying how long it was."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}...[truncated: {len(text)} characters in all]"


def redact_query(query_string: str) -> str:
    """The query string with the value of any secret-bearing parameter replaced."""
    if not query_string:
        return query_string
    pairs = parse_qsl(query_string, keep_blank_values=True)
    if not any(_is_secret(name) for name, _ in pairs):
        return query_string
    return urlencode([(name, REDACTED if _is_secret(name) else value) for name, value in pairs])


def _is_secret(name: str) -> bool:
    return "".join(name.split()).replace("\x00", "").lower() in SECRET_PARAMETERS


def redact_authorization(value: str | None) -> str | None:
    """`Bearer ***` / `Basic ***`: the scheme is useful in a journal, the credential never is.

    A value that does not start with a short scheme word is replaced whole.
    """
    if not value or not value.strip():
        return None
    words = value.split(None, 1)
    scheme = words[0]
    if len(words) == 2 and scheme.isalpha() and len(scheme) <= 20:
        return f"{scheme} {REDACTED}"
    return REDACTED


_ENTRY_OVERHEAD = 400
"""Bytes an entry takes besides its texts (the object, its numbers, method and status)."""


def _size(entry: JournalEntry) -> int:
    return _ENTRY_OVERHEAD + len(entry.path) + len(entry.query_string)


class RequestJournal:
    """The latest requests, oldest first, bounded in count and in bytes.

    Paths and query strings are cut to `MAX_TEXT` characters by the harness before they are
    recorded, and the oldest entries are dropped while the journal holds more than `capacity`
    entries or about `max_bytes` bytes, so no run of requests can make it fill memory.
    """

    def __init__(self, capacity: int = 1000, max_bytes: int = 8 * 1024 * 1024) -> None:
        self._entries: deque[JournalEntry] = deque()
        self._capacity = capacity
        self._max_bytes = max_bytes
        self._bytes = 0
        self._lock = threading.Lock()

    def record(self, entry: JournalEntry) -> None:
        """Append an entry, dropping the oldest ones while the journal is over its bounds."""
        with self._lock:
            self._entries.append(entry)
            self._bytes += _size(entry)
            while len(self._entries) > self._capacity or (
                self._bytes > self._max_bytes and len(self._entries) > 1
            ):
                self._bytes -= _size(self._entries.popleft())

    def entries(self, limit: int | None = None) -> list[JournalEntry]:
        """A copy of the journal, oldest first; with `limit`, only the newest `limit` entries."""
        with self._lock:
            if limit is None or limit >= len(self._entries):
                return list(self._entries)
            return list(self._entries)[len(self._entries) - limit :]

    @property
    def size_bytes(self) -> int:
        """About how many bytes the entries take."""
        return self._bytes

    def clear(self) -> None:
        """Forget every entry."""
        with self._lock:
            self._entries.clear()
            self._bytes = 0

    def __iter__(self) -> Iterator[JournalEntry]:
        return iter(self.entries())

    def __len__(self) -> int:
        return len(self._entries)
