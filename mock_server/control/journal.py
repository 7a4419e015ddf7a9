"""The request journal: what arrived and what was answered, with secrets redacted."""

import threading
from collections import deque
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from typing import Any
from urllib.parse import parse_qsl

REDACTED = "***"
SECRET_PARAMETERS = frozenset(
    {"client_secret", "access_token", "refresh_token", "id_token", "token", "code", "password"}
)


@dataclass(frozen=True)
class JournalEntry:
    """One request: when, what, who asked (scheme only), and the answer's status and duration."""

    time: str
    method: str
    path: str
    query: dict[str, str]
    authorization: str | None
    status: int
    duration_ms: float
    fault: bool

    def as_dict(self) -> dict[str, Any]:
        """The entry as the control plane shows it."""
        return asdict(self)


def redact_query(query_string: str) -> dict[str, str]:
    """The query parameters, with the value of any secret-bearing one replaced."""
    pairs = parse_qsl(query_string, keep_blank_values=True)
    return {name: REDACTED if name.lower() in SECRET_PARAMETERS else value for name, value in pairs}


def redact_authorization(value: str | None) -> str | None:
    """`Bearer ***` / `Basic ***`: the scheme is useful in a journal, the credential never is."""
    if not value:
        return None
    scheme = value.strip().split(" ", 1)[0]
    return f"{scheme} {REDACTED}"


class RequestJournal:
    """The latest requests, oldest first, bounded so that a long test run cannot fill memory."""

    def __init__(self, capacity: int = 1000) -> None:
        self._entries: deque[JournalEntry] = deque(maxlen=capacity)
        self._lock = threading.Lock()

    def record(self, entry: JournalEntry) -> None:
        """Append an entry, dropping the oldest when full."""
        with self._lock:
            self._entries.append(entry)

    def entries(self) -> list[JournalEntry]:
        """A copy of the journal, oldest first."""
        with self._lock:
            return list(self._entries)

    def clear(self) -> None:
        """Forget every entry."""
        with self._lock:
            self._entries.clear()

    def __iter__(self) -> Iterator[JournalEntry]:
        return iter(self.entries())

    def __len__(self) -> int:
        return len(self._entries)
