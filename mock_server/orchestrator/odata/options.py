"""The OData system query options of a request, parsed and validated into `QueryOptions`.

Option names are matched ignoring case (`$Filter`, `$TOP`), as ASP.NET OData does with
`EnableCaseInsensitive`, and trimmed of whitespace; a name given twice in any spellings is
refused. Parameters not starting with `$` are custom parameters and ignored.
"""

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from uipath_emulator.mock_server.orchestrator.odata.errors import invalid
from uipath_emulator.mock_server.orchestrator.odata.filter_compile import compile_filter
from uipath_emulator.mock_server.orchestrator.odata.filter_parse import parse_filter
from uipath_emulator.mock_server.orchestrator.odata.model import ODataModel
from uipath_emulator.mock_server.orchestrator.odata.ordering import OrderClause, parse_orderby
from uipath_emulator.mock_server.orchestrator.odata.selection import parse_expand, parse_select
from uipath_emulator.mock_server.world.dotnet import is_blank

MAX_TOP = 1000
_INT32_MAX = 2**31 - 1
_INT64_MAX = 2**63 - 1
_INTEGER = re.compile(r"[ \t\n\v\f\r]*[+-]?[0-9]+[ \t\n\v\f\r]*")
"""What .NET's `long.TryParse` accepts (`NumberStyles.Integer`)."""

LIST_OPTIONS = ("$filter", "$select", "$orderby", "$top", "$skip", "$count", "$expand")
ENTITY_OPTIONS = ("$select", "$expand")


@dataclass(frozen=True)
class QueryOptions:
    """A request's validated query options. `count` is None when `$count` was not given."""

    key: str = "Id"
    filter: Callable[[Mapping[str, Any]], bool] | None = None
    select: tuple[str, ...] | None = None
    select_text: str | None = None
    orderby: tuple[OrderClause, ...] = ()
    top: int | None = None
    skip: int = 0
    count: bool | None = None
    expand: tuple[str, ...] = ()


def parse_list_options(pairs: Sequence[tuple[str, str]], model: ODataModel) -> QueryOptions:
    """Options of a collection `GET` from the decoded query parameters, in request order."""
    given = _system_options(pairs, LIST_OPTIONS, _not_supported)
    select, select_text = _select(given, model)
    root = model.root
    return QueryOptions(
        key=model.key,
        filter=(
            compile_filter(parse_filter(given["$filter"]), model.filter_root or root)
            if "$filter" in given
            else None
        ),
        select=select,
        select_text=select_text,
        orderby=parse_orderby(given["$orderby"], root) if "$orderby" in given else (),
        top=_top(given["$top"]) if "$top" in given else None,
        skip=_skip(given["$skip"]) if "$skip" in given else 0,
        count=_count(given["$count"]) if "$count" in given else None,
        expand=parse_expand(given["$expand"], model) if "$expand" in given else (),
    )


def parse_entity_options(pairs: Sequence[tuple[str, str]], model: ODataModel) -> QueryOptions:
    """Options of an entity `GET` (`Set(key)`): only `$select` and `$expand` apply to it."""
    given = _system_options(pairs, ENTITY_OPTIONS, _not_on_entity)
    select, select_text = _select(given, model)
    expand = parse_expand(given["$expand"], model) if "$expand" in given else ()
    return QueryOptions(key=model.key, select=select, select_text=select_text, expand=expand)


def _system_options(
    pairs: Sequence[tuple[str, str]],
    allowed: tuple[str, ...],
    refuse: Callable[[str], Exception],
) -> dict[str, str]:
    given: dict[str, str] = {}
    for raw_name, value in pairs:
        written = raw_name.strip()
        if not written.startswith("$"):
            continue
        name = written.lower()
        if name not in allowed:
            raise refuse(written)
        if name in given:
            raise invalid(
                f"Query option '{name}' was specified more than once, but it must be specified "
                "at most once.",
                name,
            )
        if is_blank(value):
            raise invalid(f"The value for OData query '{name}' cannot be empty.", name)
        given[name] = value
    return given


def _not_supported(name: str) -> Exception:
    return invalid(f"The query parameter '{name}' is not supported.", name)


def _not_on_entity(name: str) -> Exception:
    if name.lower() in LIST_OPTIONS:
        return invalid(
            "The requested resource is not a collection. Query options $filter, $orderby, "
            f"$count, $skip, and $top can be applied only on collections. Found '{name}'.",
            name,
        )
    return _not_supported(name)


def _select(given: dict[str, str], model: ODataModel) -> tuple[tuple[str, ...] | None, str | None]:
    if "$select" not in given:
        return None, None
    return parse_select(given["$select"], model)


def _integer(value: str, option: str) -> int:
    # An Int64 has at most 19 digits: longer text is out of range, and never handed to int().
    number = int(value) if _INTEGER.fullmatch(value) and len(value) <= 40 else -1
    if not 0 <= number <= _INT64_MAX:
        raise invalid(
            f"Invalid value '{value}' for {option} query option found. The {option} query "
            "option requires a non-negative integer value.",
            option,
        )
    return number


def _top(value: str) -> int:
    top = _integer(value, "$top")
    if top > MAX_TOP:
        raise invalid(
            f"The limit of '{MAX_TOP}' for Top query has been exceeded. The value from the "
            f"incoming request is '{top}'.",
            "$top",
        )
    return top


def _skip(value: str) -> int:
    skip = _integer(value, "$skip")
    if skip > _INT32_MAX:
        raise invalid(
            f"The limit of '{_INT32_MAX}' for Skip query has been exceeded. The value from the "
            f"incoming request is '{skip}'.",
            "$skip",
        )
    return skip


def _count(value: str) -> bool:
    stripped = value.strip()
    if stripped not in ("true", "false"):
        raise invalid(
            f"Invalid value '{value}' for $count query option found. Valid values are "
            "'true, false'.",
            "$count",
        )
    return stripped == "true"
