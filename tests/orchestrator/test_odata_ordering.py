"""`$orderby`: SQL Server ordering, null placement, stable ties, limits and errors."""

from typing import Any

import pytest

from tests.orchestrator.machine_queries import parse_list_options
from tests.orchestrator.odata_strategies import full_record
from uipath_emulator.mock_server.orchestrator.odata import ODataQueryError, evaluate


def ordered(machines: list[dict[str, Any]], orderby: str, *extra: tuple[str, str]) -> list[int]:
    """Ids of the machines in the order `$orderby` (plus any other options) gives."""
    page, _ = evaluate(machines, parse_list_options([("$orderby", orderby), *extra]))
    return [machine["Id"] for machine in page]


def orderby_error(orderby: str) -> str:
    """The message `$orderby` is rejected with."""
    with pytest.raises(ODataQueryError) as caught:
        parse_list_options([("$orderby", orderby)])
    assert caught.value.option == "$orderby"
    return caught.value.message


NAMED = [
    full_record(Id=1, Name="b", Description="x"),
    full_record(Id=2, Name="A", Description=None),
    full_record(Id=3, Name="c", Description="X "),
    full_record(Id=4, Name="B", Description=None),
    full_record(Id=5, Name="a", Description="w"),
]


def test_default_order_is_the_stored_id_order() -> None:
    """Without `$orderby` the page keeps the records' `Id` order."""
    page, _ = evaluate(NAMED, parse_list_options([]))
    assert [machine["Id"] for machine in page] == [1, 2, 3, 4, 5]


def test_strings_order_case_insensitively_with_id_ties() -> None:
    """Names order ignoring case; equal names keep `Id` ascending in both directions."""
    assert ordered(NAMED, "Name") == [2, 5, 1, 4, 3]
    assert ordered(NAMED, "Name asc") == [2, 5, 1, 4, 3]
    assert ordered(NAMED, "Name desc") == [3, 1, 4, 2, 5]


def test_nulls_first_ascending_and_last_descending() -> None:
    """Null sorts before everything ascending and after everything descending; trailing spaces
    and case do not separate equal strings."""
    assert ordered(NAMED, "Description") == [2, 4, 5, 1, 3]
    assert ordered(NAMED, "Description desc") == [1, 3, 5, 2, 4]


def test_clauses_combine_with_mixed_directions() -> None:
    """Later clauses break ties of earlier ones, each in its own direction, then `Id`."""
    assert ordered(NAMED, "Description desc,Name desc") == [3, 1, 5, 4, 2]
    assert ordered(NAMED, "Description, Name desc") == [4, 2, 5, 3, 1]
    assert ordered(NAMED, "Id desc") == [5, 4, 3, 2, 1]


def test_enums_order_by_declaration_and_nested_nulls_first() -> None:
    """Enums order by declaration (not alphabetically); a null parent makes the value null."""
    machines = [
        full_record(Id=1, Scope="Cloud", UpdatePolicy={"Type": "None", "SpecificVersion": None}),
        full_record(Id=2, Scope="Default", UpdatePolicy=None),
        full_record(Id=3, Scope="Shared", UpdatePolicy={"Type": "LatestPatch"}),
        full_record(Id=4, Scope=None, UpdatePolicy={"Type": None}),
    ]
    assert ordered(machines, "Scope") == [4, 2, 3, 1]
    assert ordered(machines, "UpdatePolicy/Type") == [2, 4, 1, 3]
    assert ordered(machines, "UpdatePolicy/Type desc") == [3, 1, 2, 4]


def test_guids_order_as_sql_server_uniqueidentifier() -> None:
    """`Key` orders by its last group first, as SQL Server compares uniqueidentifiers."""
    machines = [
        full_record(Id=1, Key="ff000000-0000-0000-0000-000000000001"),
        full_record(Id=2, Key="00000000-0000-0000-0000-000000000002"),
        full_record(Id=3, Key="00000000-0000-0000-0100-000000000001"),
        full_record(Id=4, Key="00000000-0000-0001-0000-000000000001"),
        full_record(Id=5, Key="00000000-0000-0100-0000-000000000001"),
    ]
    assert ordered(machines, "Key") == [1, 5, 4, 3, 2]


def test_booleans_and_date_times_order_naturally() -> None:
    """`false` sorts before `true`; date-times sort by instant whatever their offset."""

    def window(enabled: bool | None, start: str | None) -> dict[str, Any]:
        return {"enabled": enabled, "nextExecutionTime": start}

    machines = [
        full_record(Id=1, MaintenanceWindow=window(True, "2024-01-01T10:00:00+02:00")),
        full_record(Id=2, MaintenanceWindow=window(False, "2024-01-01T09:00:00Z")),
        full_record(Id=3, MaintenanceWindow=None),
    ]
    assert ordered(machines, "MaintenanceWindow/enabled") == [3, 2, 1]
    assert ordered(machines, "MaintenanceWindow/nextExecutionTime") == [3, 1, 2]


def test_ordering_applies_before_skip_and_top() -> None:
    """`$skip`/`$top` page through the ordered result; the count is unaffected."""
    options = parse_list_options([("$orderby", "Name desc"), ("$skip", "1"), ("$top", "2")])
    page, count = evaluate(NAMED, options)
    assert [machine["Id"] for machine in page] == [1, 4]
    assert count == 5
    assert ordered(NAMED, "Name,Id desc", ("$top", "3")) == [5, 2, 4]


def test_five_clauses_are_allowed_and_six_are_not() -> None:
    """ASP.NET's limit of 5 `$orderby` clauses."""
    five = "Name,Id,Type,Scope,Description"
    assert ordered(NAMED, five) == [2, 5, 1, 4, 3]
    assert orderby_error(five + ",Key") == (
        "The query specified in the URI is not valid. The number of clauses in $orderby query "
        "option exceeded the maximum number allowed. The maximum number of $orderby clauses "
        "allowed is 5."
    )


@pytest.mark.parametrize(
    ("orderby", "fragment"),
    [
        ("Nme", "Could not find a property named 'Nme' on type"),
        ("nome", "Could not find a property named 'nome'"),
        ("UpdatePolicy/Tipe", "Could not find a property named 'Tipe' on type"),
        ("Tags", "must evaluate to a single value of primitive type. Property: 'Tags'"),
        ("UpdatePolicy", "must evaluate to a single value of primitive type."),
        ("Tags/Name", "The parent value for a property access of a property 'Name'"),
        ("length(Name)", "The $orderby expression 'length(Name)' is not supported"),
        ("Name ASC", "Syntax error at position 5 in 'Name ASC'"),
        ("Name asc desc", "Syntax error at position 9"),
        ("Name up", "Syntax error at position 5"),
        ("Name,,Id", "Expression expected at position 5 in 'Name,,Id'."),
        ("Name, ", "Expression expected at position 6"),
        ("Name,Name desc", "Duplicate property named 'Name' is not supported in '$orderby'."),
    ],
)
def test_orderby_errors_name_the_clause(orderby: str, fragment: str) -> None:
    """Unknown, non-primitive, malformed or repeated clauses are rejected, naming them."""
    assert fragment in orderby_error(orderby)
