"""Orchestrator's timestamps on the wire: UTC, seven fractional digits, `Z`
(`2026-01-05T10:13:20.6603953Z`, as .NET writes a `DateTime` of kind UTC)."""

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
