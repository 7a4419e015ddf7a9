"""Injected faults: answer the next matching requests with a chosen status, a delay or a drop."""

import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import regex

HTTP_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
MAX_DELAY_MS = 60_000
MATCH_TIMEOUT_S = 0.05
MAX_PATTERN_LENGTH = 300
MAX_REPEAT_COUNT = 100
MAX_FAULTS = 100
_COUNTED_REPEAT = re.compile(r"\{(\d*)(?:,(\d*))?\}")
_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
_FIELD_VALUE = re.compile(r"[\t\x20-\x7e\x80-\xff]*")
_FRAMING_HEADERS = frozenset(
    {"content-length", "transfer-encoding", "connection", "keep-alive", "upgrade", "te", "trailer"}
)


class FaultSpecError(ValueError):
    """A fault description that cannot be used; the message names the bad member."""


@dataclass
class Fault:
    """Answer the next `times` requests whose method and path match, in one of three ways.

    With `status`, answer it with `headers` and `body` instead of the service; with
    `delay_ms`, wait first (then answer `status`, or let the service answer); with `drop`,
    close the connection without an answer. `times=None` keeps the fault until cleared.
    """

    path: str = ".*"
    method: str | None = None
    times: int | None = 1
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    body: Any = None
    delay_ms: int = 0
    drop: bool = False
    matched: int = 0
    _pattern: Any = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if len(self.path) > MAX_PATTERN_LENGTH:
            raise FaultSpecError(f"path: longer than {MAX_PATTERN_LENGTH} characters")
        # The regex module expands counted repeats when it compiles: a{100000000} would take
        # gigabytes. Paths need no large counts.
        repeats = _COUNTED_REPEAT.findall(self.path)
        counts = [int(bound) for pair in repeats for bound in pair if bound]
        if len(repeats) > 2 or any(count > MAX_REPEAT_COUNT for count in counts):
            raise FaultSpecError(
                f"path: at most two counted repeats {{n}}, each of at most {MAX_REPEAT_COUNT}"
            )
        try:
            self._pattern = regex.compile(self.path)
        except (regex.error, MemoryError, OverflowError) as error:
            raise FaultSpecError(f"path: not a usable regular expression: {error}") from None

    def matches(self, method: str, path: str) -> bool:
        """Whether a request with this method and path is one this fault is for.

        The pattern comes from the test, so matching is bounded in time: a pattern that
        backtracks without end counts as not matching instead of hanging the server.
        """
        if self.method is not None and self.method != method:
            return False
        try:
            return self._pattern.search(path, timeout=MATCH_TIMEOUT_S) is not None
        except TimeoutError:
            return False

    def describe(self) -> dict[str, Any]:
        """The fault as the control plane shows it."""
        return {
            "method": self.method,
            "path": self.path,
            "times": self.times,
            "status": self.status,
            "headers": self.headers,
            "body": self.body,
            "delay_ms": self.delay_ms,
            "drop": self.drop,
            "matched": self.matched,
        }


_SPEC_MEMBERS = {"method", "path", "times", "status", "headers", "body", "delay_ms", "drop"}


def fault_from_spec(spec: Any) -> Fault:
    """A `Fault` from its JSON description (the control plane's `POST /_emulator/faults`)."""
    if not isinstance(spec, Mapping):
        raise FaultSpecError("a fault must be a JSON object")
    unknown = sorted(set(spec) - _SPEC_MEMBERS)
    if unknown:
        raise FaultSpecError(f"unknown member '{unknown[0]}'; use {sorted(_SPEC_MEMBERS)}")
    method = spec.get("method")
    if method is not None and (not isinstance(method, str) or method.upper() not in HTTP_METHODS):
        raise FaultSpecError(f"method: must be one of {sorted(HTTP_METHODS)} or null")
    path = spec.get("path", ".*")
    if not isinstance(path, str):
        raise FaultSpecError("path: must be a regular expression string")
    times = spec.get("times", 1)
    if times is not None and (not _is_int(times) or times < 1):
        raise FaultSpecError("times: must be a positive integer, or null for every request")
    status = spec.get("status")
    if status is not None and (not _is_int(status) or not 200 <= status <= 599):
        raise FaultSpecError("status: must be an HTTP status code from 200 to 599")
    if status in (204, 304) and spec.get("body") is not None:
        raise FaultSpecError(f"body: a {status} answer has no body")
    headers = _headers(spec.get("headers", {}))
    delay_ms = spec.get("delay_ms", 0)
    if not _is_int(delay_ms) or not 0 <= delay_ms <= MAX_DELAY_MS:
        raise FaultSpecError(f"delay_ms: must be an integer from 0 to {MAX_DELAY_MS}")
    drop = spec.get("drop", False)
    if not isinstance(drop, bool):
        raise FaultSpecError("drop: must be true or false")
    if status is None and not drop and not delay_ms:
        raise FaultSpecError("a fault needs a status, a delay_ms or drop: true")
    if drop and status is not None:
        raise FaultSpecError("drop: a dropped connection has no status; give one or the other")
    return Fault(
        path=path,
        method=method.upper() if method else None,
        times=times,
        status=status,
        headers=dict(headers),
        body=spec.get("body"),
        delay_ms=delay_ms,
        drop=drop,
    )


def _headers(headers: Any) -> dict[str, str]:
    if not isinstance(headers, Mapping):
        raise FaultSpecError("headers: must be an object of header names to string values")
    for name, value in headers.items():
        if not isinstance(name, str) or not _TOKEN.fullmatch(name):
            raise FaultSpecError(f"headers: {name!r} is not an HTTP header name")
        if name.lower() in _FRAMING_HEADERS:
            raise FaultSpecError(f"headers: {name} is set by the server, not by a fault")
        if not isinstance(value, str) or not _FIELD_VALUE.fullmatch(value):
            raise FaultSpecError(f"headers: the value of {name} must be one line of Latin-1 text")
    return dict(headers)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


class FaultList:
    """The active faults, first added first matched; each match uses up one of its `times`."""

    def __init__(self) -> None:
        self._faults: list[Fault] = []
        self._lock = threading.Lock()

    def add(self, fault: Fault | None = None, **spec: Any) -> Fault:
        """Add a fault, given as a `Fault` or as the members of its JSON description."""
        fault = fault if fault is not None else fault_from_spec(spec)
        self.add_all([fault])
        return fault

    def add_all(self, faults: list[Fault]) -> None:
        """Add every fault, or none when that would pass `MAX_FAULTS` active faults."""
        with self._lock:
            if len(self._faults) + len(faults) > MAX_FAULTS:
                raise FaultSpecError(f"at most {MAX_FAULTS} faults can be active at once")
            self._faults.extend(faults)

    def take(self, method: str, path: str) -> Fault | None:
        """The first fault matching this request, counted as used; None when none matches."""
        if not self._faults:
            return None
        with self._lock:
            for fault in self._faults:
                if fault.matches(method, path):
                    fault.matched += 1
                    if fault.times is not None and fault.matched >= fault.times:
                        self._faults.remove(fault)
                    return fault
        return None

    def clear(self) -> None:
        """Remove every fault."""
        with self._lock:
            self._faults.clear()

    def describe(self) -> list[dict[str, Any]]:
        """Every active fault as the control plane shows it."""
        with self._lock:
            return [fault.describe() for fault in self._faults]

    def __len__(self) -> int:
        return len(self._faults)
