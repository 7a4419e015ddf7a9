"""Orchestrator's timestamps on the wire: UTC, seven fractional digits, `Z`
(`2026-01-05T10:13:20.6603953Z`, as .NET writes a `DateTime` of kind UTC)."""

import re
from datetime import UTC, datetime

_TICKS_PER_SECOND = 10_000_000


def orchestrator_time(timestamp: float) -> str:
    """The wire form of a POSIX timestamp (emulator clock seconds)."""
    whole = int(timestamp // 1)
    ticks = round((timestamp - whole) * _TICKS_PER_SECOND)
    if ticks == _TICKS_PER_SECOND:
        whole, ticks = whole + 1, 0
    moment = datetime.fromtimestamp(whole, UTC)
    return f"{moment:%Y-%m-%dT%H:%M:%S}.{ticks:07d}Z"


_FRACTION = re.compile(r"\.(\d+)")


def _parts(text: str) -> tuple[int, int]:
    if not isinstance(text, str) or not 10 <= len(text) <= 40:
        raise ValueError(f"not a date-time: {text!r}")
    ticks = 0
    match = _FRACTION.search(text)
    if match is not None:
        ticks = int(match.group(1)[:7].ljust(7, "0"))
        text = text[: match.start()] + text[match.end() :]
    moment = datetime.fromisoformat(text.replace("z", "Z").replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp()), ticks


def parse_time(text: str) -> float:
    """A client's date-time as a POSIX timestamp: `Z`, an offset, or none (taken as UTC, as
    UiPath's SDK sends Python's naive `isoformat()`). Raises `ValueError` for anything else."""
    whole, ticks = _parts(text)
    return whole + ticks / _TICKS_PER_SECOND


def wire_time(text: str) -> str:
    """A client's date-time in Orchestrator's wire form, the same instant to the tick."""
    whole, ticks = _parts(text)
    return f"{datetime.fromtimestamp(whole, UTC):%Y-%m-%dT%H:%M:%S}.{ticks:07d}Z"
