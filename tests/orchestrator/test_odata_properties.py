"""Property tests: the engine agrees with the independent reference in `odata_strategies`."""

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.orchestrator.machine_queries import parse_entity_options, parse_list_options
from tests.orchestrator.odata_strategies import (
    SELECTABLE,
    WIRE_ORDER,
    Query,
    Record,
    filters,
    orderby_text,
    orderbys,
    records,
    reference_order,
)
from uipath_emulator.mock_server.orchestrator.odata import (
    ODataQueryError,
    context_suffix,
    evaluate,
    project,
)

PREFIX = "The query specified in the URI is not valid. "
OPTIONS = ("$filter", "$select", "$orderby", "$top", "$skip", "$count", "$expand")
_FRAGMENTS = (
    "Name",
    "Id",
    "Tags",
    "Type",
    "t",
    "UpdatePolicy/Type",
    "MaintenanceWindow/enabled",
    "/",
    "any(",
    "all(",
    "(",
    ")",
    "t:",
    ",",
    " ",
    "eq",
    "ne",
    "gt",
    "and",
    "or",
    "not",
    "in",
    "add",
    "-",
    "'a'",
    "'Standard'",
    "''",
    "'",
    "1",
    "123L",
    "1.5M",
    "1e999999",
    "null",
    "true",
    "contains(",
    "length(",
    "substring(",
    "2024-02-30T00:00:00Z",
    "2024-01-01",
    "5b1f7a3e-2c4d-4e6f-8a9b-0c1d2e3f4a5b",
    "asc",
    "desc",
    "*",
    "$it",
)
JUNK = st.one_of(
    st.text(max_size=30),
    st.lists(st.sampled_from(_FRAGMENTS), max_size=12).map("".join),
    st.lists(st.sampled_from(_FRAGMENTS), max_size=12).map(" ".join),
)


def _ids(rows: list[Any]) -> list[int]:
    return [row["Id"] for row in rows]


def _matching(machines: list[Record], query: Query | None) -> list[Record]:
    return [machine for machine in machines if query is None or query.test(machine) is True]


@settings(max_examples=300, deadline=None)
@given(machines=records(), query=filters())
def test_filter_keeps_exactly_the_reference_matches(machines: list[Record], query: Query) -> None:
    """A random valid `$filter` keeps exactly the records its reference predicate holds for."""
    page, count = evaluate(machines, parse_list_options([("$filter", query.text)]))
    expected = _matching(machines, query)
    assert _ids(page) == _ids(expected)
    assert count == len(expected)


@settings(max_examples=200, deadline=None)
@given(
    machines=records(),
    query=st.none() | filters(),
    clauses=orderbys(),
    top=st.none() | st.integers(min_value=0, max_value=14),
    skip=st.none() | st.integers(min_value=0, max_value=14),
    select=st.none() | st.lists(st.sampled_from(SELECTABLE), min_size=1, max_size=4, unique=True),
    data=st.data(),
)
def test_combined_options_match_the_reference(
    machines: list[Record],
    query: Query | None,
    clauses: list[tuple[str, bool]],
    top: int | None,
    skip: int | None,
    select: list[str] | None,
    data: st.DataObject,
) -> None:
    """Filter, order, skip, top and select together give the reference page and projection."""
    pairs = []
    if query is not None:
        pairs.append(("$filter", query.text))
    if clauses:
        pairs.append(("$orderby", orderby_text(clauses)))
    if top is not None:
        pairs.append(("$top", str(top)))
    if skip is not None:
        pairs.append(("$skip", str(skip)))
    if select is not None:
        pairs.append(("$select", ",".join(select)))
    options = parse_list_options(data.draw(st.permutations(pairs)))
    page, count = evaluate(machines, options)

    matched = _matching(machines, query)
    start = skip or 0
    expected = reference_order(matched, clauses)[start : start + (1000 if top is None else top)]
    assert _ids(page) == _ids(expected)
    assert count == len(matched)
    for machine, reference in zip(page, expected, strict=True):
        assert machine is reference
        written = project(machine, options)
        fields = [name for name in WIRE_ORDER if name in machine]
        wanted = fields if select is None else [name for name in fields if name in select]
        assert list(written) == wanted
        assert written == {name: machine[name] for name in wanted}
    assert context_suffix(options) == (None if select is None else f"({','.join(select)})")


@settings(max_examples=100, deadline=None)
@given(
    machines=records(max_size=20),
    query=st.none() | filters(),
    clauses=orderbys(),
    size=st.integers(min_value=1, max_value=6),
)
def test_paging_returns_every_match_exactly_once(
    machines: list[Record], query: Query | None, clauses: list[tuple[str, bool]], size: int
) -> None:
    """Walking `$skip`/`$top` pages of any size yields every match once, in the full order."""
    fixed = [("$filter", query.text)] if query is not None else []
    if clauses:
        fixed.append(("$orderby", orderby_text(clauses)))
    walked: list[Record] = []
    counts = set()
    while True:
        pairs = [*fixed, ("$top", str(size)), ("$skip", str(len(walked)))]
        page, count = evaluate(machines, parse_list_options(pairs))
        walked.extend(page)
        counts.add(count)
        if len(page) < size:
            break
    expected = reference_order(_matching(machines, query), clauses)
    assert _ids(walked) == _ids(expected)
    assert len(set(_ids(walked))) == len(walked)
    assert counts == {len(expected)}


@settings(max_examples=400, deadline=None)
@given(option=st.sampled_from(OPTIONS), value=JUNK, machines=records(max_size=4))
def test_junk_in_any_option_raises_only_odata_query_error(
    option: str, value: str, machines: list[Record]
) -> None:
    """Random text in any option is either accepted and evaluates, or raises ODataQueryError."""
    rejection: ODataQueryError | None = None
    try:
        options = parse_list_options([(option, value)])
    except ODataQueryError as error:
        rejection = error
    else:
        page, _ = evaluate(machines, options)
        for machine in page:
            project(machine, options)
        context_suffix(options)
    if rejection is not None:
        assert rejection.message.startswith(PREFIX)
        assert rejection.option == option


@settings(max_examples=200, deadline=None)
@given(
    name=st.one_of(st.text(max_size=10), st.text(max_size=10).map("$".__add__)),
    value=JUNK,
)
def test_junk_parameter_names_raise_only_odata_query_error(name: str, value: str) -> None:
    """Random parameter names, for lists and single entities, never raise anything else."""
    rejections: list[ODataQueryError] = []
    for parse in (parse_list_options, parse_entity_options):
        try:
            parse([(name, value)])
        except ODataQueryError as error:
            rejections.append(error)
    assert all(rejection.message.startswith(PREFIX) for rejection in rejections)
