"""The clock as the control plane shows it, and the changes `POST /_emulator/clock` makes."""

from datetime import datetime
from typing import Any

from uipath_emulator.mock_server.clock import Clock
from uipath_emulator.mock_server.control.errors import ControlError

CLOCK_ACTIONS = ("advance_seconds", "freeze", "unfreeze", "set", "reset")


def clock_document(clock: Clock) -> dict[str, Any]:
    """The clock as the control plane shows it."""
    return {
        "now": clock.now_datetime().isoformat(),
        "timestamp": clock.now(),
        "frozen": clock.frozen,
    }


def apply_clock_action(clock: Clock, action: Any) -> None:
    """Carry out one `POST /_emulator/clock` body; raises `ControlError` naming what is wrong."""
    if not isinstance(action, dict) or len(action) != 1 or next(iter(action)) not in CLOCK_ACTIONS:
        raise ControlError(f"the body must be an object with exactly one of {list(CLOCK_ACTIONS)}")
    ((name, value),) = action.items()
    if name == "advance_seconds":
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ControlError("advance_seconds: must be a number of seconds")
        try:
            clock.advance(value)
        except ValueError as error:
            raise ControlError(f"advance_seconds: out of the clock's range: {error}") from None
    elif name == "set":
        try:
            moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        except ValueError:
            raise ControlError(f"set: {value!r} is not an RFC 3339 date-time") from None
        if moment.tzinfo is None:
            raise ControlError("set: the date-time needs a time zone offset, e.g. Z")
        try:
            clock.set(moment.timestamp())
        except (ValueError, OverflowError) as error:
            raise ControlError(f"set: {value!r} is out of range: {error}") from None
    elif value is not True:
        raise ControlError(f"{name}: must be true")
    elif name == "freeze":
        clock.freeze()
    elif name == "unfreeze":
        clock.unfreeze()
    else:
        clock.reset()
