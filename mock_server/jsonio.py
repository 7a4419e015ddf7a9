"""JSON as the services read and write it: compact, key order kept, strict on input."""

import copy
import json
from typing import Any

import orjson


def dump_json(payload: Any) -> bytes:
    """Compact UTF-8 JSON that keeps key order, as ASP.NET's serializers write it.

    orjson writes the same bytes as the standard library about ten times faster (a 50-machine
    page: 19 against 222 microseconds); what it refuses (integers beyond 64 bits, non-string
    keys, lone surrogates: only reachable through control-plane bodies) goes the slow way.
    """
    try:
        return orjson.dumps(payload)
    except TypeError:
        return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


class JSONBodyError(ValueError):
    """A request body that is not usable JSON; the message says why, for a 400."""


def parse_json_body(body: bytes, what: str = "The request body") -> Any:
    """`body` parsed as UTF-8 JSON that can be written back out (no lone surrogates)."""
    try:
        value = json.loads(body.decode("utf-8"))
    except UnicodeDecodeError:
        raise JSONBodyError(f"{what} is not valid UTF-8.") from None
    except json.JSONDecodeError as error:
        raise JSONBodyError(
            f"{what} is not valid JSON: {error.msg} at line {error.lineno} column {error.colno}."
        ) from None
    except RecursionError:
        raise JSONBodyError(f"{what} is nested too deeply.") from None
    except ValueError as error:
        raise JSONBodyError(f"{what} has a number too large to read: {error}") from None
    try:
        dump_json(value)
    except UnicodeEncodeError:
        raise JSONBodyError(f"{what} has a string with a lone UTF-16 surrogate.") from None
    except RecursionError:
        raise JSONBodyError(f"{what} is nested too deeply.") from None
    return value


def json_copy(value: Any) -> Any:
    """A deep copy: through orjson when `value` is plain JSON (much faster), else `deepcopy`."""
    try:
        data = orjson.dumps(value)
    except TypeError:
        return copy.deepcopy(value)
    return orjson.loads(data)
