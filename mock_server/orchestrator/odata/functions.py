"""The `$filter` functions the emulator evaluates, with SQL Server semantics (EF Core translation).

- `contains`, `startswith`, `endswith` are `LIKE`: case-insensitive, trailing spaces significant.
  With a null argument they are null (neither true nor false: `not contains(null, ..)` is not true).
- `length` is `LEN`, which ignores trailing spaces; `trim` is `LTRIM(RTRIM(..))` (spaces only).
- `indexof` is `CHARINDEX(..) - 1` (case-insensitive); `substring` is `SUBSTRING` (0-based in
  OData), which clamps to the string instead of failing.
- `concat` treats null as the empty string (EF Core wraps operands in `COALESCE(.., '')`).
- Any other function of a null argument is null.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from odata_query.grammar import ODATA_FUNCTIONS

from uipath_emulator.mock_server.orchestrator.odata.errors import ODataQueryError, invalid
from uipath_emulator.mock_server.orchestrator.odata.model import BOOLEAN, INT32, STRING, EdmType
from uipath_emulator.mock_server.orchestrator.odata.values import like_key


@dataclass(frozen=True)
class Function:
    """A function's parameter lists (one per signature), result type and implementation."""

    name: str
    signatures: tuple[tuple[EdmType, ...], ...]
    result: EdmType
    apply: Callable[..., Any]
    nulls_in: bool = False
    """Whether `apply` receives null arguments itself; else a null argument gives null."""


def _substring(value: str, start: int, length: int | None = None) -> str | None:
    begin = max(start, 0)
    if length is None:
        return value[begin:]
    if length < 0:
        return None
    return value[begin : max(start + length, 0)]


def _concat(left: str | None, right: str | None) -> str:
    return (left or "") + (right or "")


FUNCTIONS: dict[str, Function] = {
    function.name: function
    for function in (
        Function("contains", ((STRING, STRING),), BOOLEAN, lambda s, t: like_key(t) in like_key(s)),
        Function(
            "startswith",
            ((STRING, STRING),),
            BOOLEAN,
            lambda s, t: like_key(s).startswith(like_key(t)),
        ),
        Function(
            "endswith",
            ((STRING, STRING),),
            BOOLEAN,
            lambda s, t: like_key(s).endswith(like_key(t)),
        ),
        Function("tolower", ((STRING,),), STRING, str.lower),
        Function("toupper", ((STRING,),), STRING, str.upper),
        Function("trim", ((STRING,),), STRING, lambda s: s.strip(" ")),
        Function("length", ((STRING,),), INT32, lambda s: len(s.rstrip(" "))),
        Function("indexof", ((STRING, STRING),), INT32, lambda s, t: s.lower().find(t.lower())),
        Function("substring", ((STRING, INT32), (STRING, INT32, INT32)), STRING, _substring),
        Function("concat", ((STRING, STRING),), STRING, _concat, nulls_in=True),
    )
}


def signature_text(name: str) -> str:
    """ODL's rendering of a function's signatures, e.g. `length(Edm.String Nullable=true)`."""
    function = FUNCTIONS.get(name)
    if function is None:
        return f"{name}(...)"
    rendered = []
    for parameters in function.signatures:
        written = ", ".join(
            f"{parameter.name} Nullable=true" if parameter is STRING else parameter.name
            for parameter in parameters
        )
        rendered.append(f"{name}({written})")
    return "; ".join(rendered)


def unknown_function(name: str) -> ODataQueryError:
    """ODL's error for a function it does not know; the emulator's for one it does not run."""
    if name in ODATA_FUNCTIONS:
        return invalid(
            f"The function '{name}' is not supported by the emulator. Supported functions: "
            f"{', '.join(FUNCTIONS)}.",
            "$filter",
        )
    return invalid(
        f"An unknown function with name '{name}' was found. This may also be a function import "
        "or a key lookup on a navigation property, which is not allowed.",
        "$filter",
    )


def no_signature(name: str, detail: str = "") -> ODataQueryError:
    """ODL's error for a function called with arguments none of its signatures accepts."""
    if name not in FUNCTIONS:
        return unknown_function(name)
    return invalid(
        f"No function signature for the function with name '{name}' matches the specified "
        f"arguments. The function signatures considered are: {signature_text(name)}.{detail}",
        "$filter",
    )
