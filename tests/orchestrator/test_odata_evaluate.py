"""`evaluate`: pages of the same record objects, full counts, the server page limit, laziness."""

from collections.abc import Iterator
from typing import Any

from tests.orchestrator.machine_queries import parse_list_options
from tests.orchestrator.odata_strategies import full_record
from uipath_emulator.mock_server.orchestrator.odata import PAGE_LIMIT, evaluate

MACHINES = [full_record(Id=i, Name=f"m{i % 3}") for i in range(1, 11)]


class _NoIteration(list[dict[str, Any]]):
    """A list that fails if anything walks through it instead of slicing it."""

    def __iter__(self) -> Iterator[dict[str, Any]]:
        raise AssertionError("evaluate walked every record")


def test_page_holds_the_same_record_objects() -> None:
    """The page is made of the stored records themselves, not copies."""
    page, _ = evaluate(MACHINES, parse_list_options([("$filter", "Name eq 'm1'")]))
    assert [machine["Id"] for machine in page] == [1, 4, 7, 10]
    assert all(any(machine is stored for stored in MACHINES) for machine in page)


def test_count_is_all_matches_before_skip_and_top() -> None:
    """The count covers every match; `$skip` and `$top` only cut the page."""
    options = parse_list_options([("$filter", "Name ne 'm0'"), ("$skip", "2"), ("$top", "3")])
    page, count = evaluate(MACHINES, options)
    assert [machine["Id"] for machine in page] == [4, 5, 7]
    assert count == 7


def test_top_zero_and_skip_past_the_end_give_empty_pages() -> None:
    """`$top=0` and a `$skip` past the matches give an empty page with the full count."""
    assert evaluate(MACHINES, parse_list_options([("$top", "0")])) == ([], 10)
    assert evaluate(MACHINES, parse_list_options([("$skip", "10")])) == ([], 10)
    assert evaluate(MACHINES, parse_list_options([("$skip", "99"), ("$orderby", "Name")])) == (
        [],
        10,
    )


def test_pages_never_exceed_the_server_limit() -> None:
    """Without `$top` a page holds at most 1000 records; the count is still the total."""
    machines = [full_record(Id=i) for i in range(1, 1502)]
    page, count = evaluate(machines, parse_list_options([]))
    assert PAGE_LIMIT == 1000
    assert (len(page), count, page[-1]["Id"]) == (1000, 1501, 1000)
    page, count = evaluate(machines, parse_list_options([("$skip", "1000")]))
    assert (len(page), count, page[0]["Id"]) == (501, 1501, 1001)
    page, count = evaluate(machines, parse_list_options([("$orderby", "Id desc")]))
    assert (len(page), count, page[0]["Id"]) == (1000, 1501, 1501)


def test_unfiltered_unordered_pages_are_slices() -> None:
    """Without `$filter` and `$orderby` the records are sliced, not walked."""
    machines = _NoIteration(MACHINES)
    page, count = evaluate(machines, parse_list_options([("$skip", "8")]))
    assert ([machine["Id"] for machine in page], count) == ([9, 10], 10)
    assert isinstance(page, list)
