"""The emulator's clock: wall time by default, and frozen, set or advanced by tests."""

import math
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime

EARLIEST = 0.0
LATEST = datetime(9000, 1, 1, tzinfo=UTC).timestamp()
"""The clock's range: from the Unix epoch to the year 9000, which leaves a running clock and
token lifetimes far from the end of what dates can hold (the year 9999)."""


def check_instant(timestamp: float) -> None:
    """Raise `ValueError` unless `timestamp` is finite and between 1970 and the year 9000."""
    if not math.isfinite(timestamp):
        raise ValueError(f"{timestamp} is not a finite number of seconds")
    if not EARLIEST <= timestamp < LATEST:
        raise ValueError(f"{timestamp} is outside 1970-01-01 to 9000-01-01")


class Clock:
    """A clock that follows a time source plus an offset, or stands still while frozen.

    Every timestamp the emulator produces or checks (token `iat`/`nbf`/`exp`, expiry checks,
    journal entries) comes from one `Clock`, so a test moves time for all of them at once.
    """

    def __init__(self, source: Callable[[], float] = time.time) -> None:
        self._source = source
        self._lock = threading.Lock()
        self._offset = 0.0
        self._frozen_at: float | None = None

    def now(self) -> float:
        """The current emulator time in seconds since the Unix epoch."""
        frozen_at = self._frozen_at
        if frozen_at is not None:
            return frozen_at
        return self._source() + self._offset

    def now_datetime(self) -> datetime:
        """The current emulator time as an aware UTC datetime."""
        return datetime.fromtimestamp(self.now(), tz=UTC)

    @property
    def frozen(self) -> bool:
        """Whether time stands still until advanced, set or unfrozen."""
        return self._frozen_at is not None

    def advance(self, seconds: float) -> None:
        """Move emulator time forward (or back, with a negative value) by `seconds`.

        Raises `ValueError`, changing nothing, when the result is not a representable instant.
        """
        with self._lock:
            check_instant(self.now() + seconds)
            if self._frozen_at is not None:
                self._frozen_at += seconds
            else:
                self._offset += seconds

    def set(self, timestamp: float) -> None:
        """Jump to `timestamp` (Unix seconds); a frozen clock stays frozen there.

        Raises `ValueError`, changing nothing, when it is not a representable instant.
        """
        check_instant(timestamp)
        with self._lock:
            if self._frozen_at is not None:
                self._frozen_at = timestamp
            else:
                self._offset = timestamp - self._source()

    def freeze(self) -> None:
        """Stop time at the current instant."""
        with self._lock:
            if self._frozen_at is None:
                self._frozen_at = self._source() + self._offset

    def unfreeze(self) -> None:
        """Let time run again from the instant it was frozen at."""
        with self._lock:
            if self._frozen_at is not None:
                self._offset = self._frozen_at - self._source()
                self._frozen_at = None

    def reset(self) -> None:
        """Back to following the time source exactly, not frozen."""
        with self._lock:
            self._offset = 0.0
            self._frozen_at = None

    def __repr__(self) -> str:
        state = "frozen" if self.frozen else "running"
        return f"<Clock {state} at {self.now_datetime().isoformat()}>"
