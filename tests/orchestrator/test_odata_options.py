"""Query option parsing: names, repeats, paging, `$count`, `$select`, `$expand`, entities."""

import pytest

from tests.orchestrator.machine_queries import parse_entity_options, parse_list_options
from tests.orchestrator.odata_strategies import WIRE_ORDER, full_record
from uipath_emulator.mock_server.orchestrator.odata import (
    ODataQueryError,
    QueryOptions,
    context_suffix,
    project,
)

PREFIX = "The query specified in the URI is not valid. "


def list_error(*pairs: tuple[str, str]) -> ODataQueryError:
    """The error `parse_list_options` rejects these parameters with."""
    with pytest.raises(ODataQueryError) as caught:
        parse_list_options(list(pairs))
    assert caught.value.message.startswith(PREFIX)
    return caught.value


def entity_error(*pairs: tuple[str, str]) -> ODataQueryError:
    """The error `parse_entity_options` rejects these parameters with."""
    with pytest.raises(ODataQueryError) as caught:
        parse_entity_options(list(pairs))
    assert caught.value.message.startswith(PREFIX)
    return caught.value


def test_no_options_give_the_defaults() -> None:
    """Without `$` options nothing is filtered, selected or ordered, and `$count` is unset."""
    options = parse_list_options([])
    assert options == QueryOptions()
    assert (options.filter, options.select, options.top, options.skip) == (None, None, None, 0)
    assert (options.count, options.orderby, options.expand) == (None, (), ())
    assert context_suffix(options) is None


def test_custom_parameters_are_ignored() -> None:
    """Parameters not starting with `$` (legacy custom ones included) are not query options."""
    pairs = [("api-version", "1"), ("X-UIPATH-OrganizationUnitId", "3"), ("top", "5000")]
    assert parse_list_options(pairs) == QueryOptions()
    assert parse_entity_options(pairs) == QueryOptions()


def test_option_names_are_trimmed() -> None:
    """Whitespace around an option name is ignored, as ASP.NET OData does."""
    assert parse_list_options([(" $top ", "3")]).top == 3


@pytest.mark.parametrize("name", ["$foo", "$search", "$apply", "$format", "$skiptoken", "$"])
def test_unknown_options_are_rejected_by_name(name: str) -> None:
    """A `$` parameter that is not a supported option is rejected, naming it."""
    error = list_error((name, "x"))
    assert error.message == f"{PREFIX}The query parameter '{name}' is not supported."
    assert error.option == name


@pytest.mark.parametrize(
    ("name", "value", "field"),
    [("$Filter", "Id eq 1", "filter"), ("$TOP", "3", "top"), ("$orderBy", "Name", "orderby")],
)
def test_option_names_ignore_case(name: str, value: str, field: str) -> None:
    """`$Filter`, `$TOP`, `$orderBy` are the options they spell, as ASP.NET OData resolves them."""
    options = parse_list_options([(name, value)])
    assert getattr(options, field)


def test_one_option_in_two_spellings_is_given_twice() -> None:
    """`$top` and `$TOP` together are the same option twice: refused."""
    error = list_error(("$top", "1"), ("$TOP", "2"))
    assert "Query option '$top' was specified more than once" in error.message


@pytest.mark.parametrize("name", ["$top", "$filter", "$select"])
def test_options_given_twice_are_rejected(name: str) -> None:
    """The same option twice is ODL's 'specified more than once' error, even with equal values."""
    value = {"$top": "1", "$filter": "true", "$select": "Name"}[name]
    error = list_error((name, value), ("x", "y"), (name, value))
    assert error.message == (
        f"{PREFIX}Query option '{name}' was specified more than once, but it must be specified "
        "at most once."
    )


@pytest.mark.parametrize(
    "name", ["$filter", "$select", "$orderby", "$top", "$skip", "$count", "$expand"]
)
@pytest.mark.parametrize("value", ["", "   "])
def test_empty_values_are_rejected(name: str, value: str) -> None:
    """An empty or blank option value is ASP.NET's 'cannot be empty' error naming the option."""
    error = list_error((name, value))
    assert error.message == f"{PREFIX}The value for OData query '{name}' cannot be empty."
    assert error.option == name


@pytest.mark.parametrize(
    ("value", "top"), [("0", 0), ("1", 1), ("1000", 1000), (" 7 ", 7), ("+5", 5)]
)
def test_top_accepts_integers_up_to_1000(value: str, top: int) -> None:
    """`$top` takes a .NET-parsable integer from 0 to 1000."""
    assert parse_list_options([("$top", value)]).top == top


@pytest.mark.parametrize(
    ("value", "shown"), [("1001", "1001"), ("5000", "5000"), ("+5000", "5000")]
)
def test_top_over_1000_is_the_limit_error(value: str, shown: str) -> None:
    """`$top` over 1000 gets ASP.NET's limit message with the value received."""
    assert list_error(("$top", value)).message == (
        f"{PREFIX}The limit of '1000' for Top query has been exceeded. The value from the "
        f"incoming request is '{shown}'."
    )


@pytest.mark.parametrize("value", ["-1", "abc", "1.5", "1e3", "٣", "1_0", "0x10", "9" * 20])
def test_top_must_be_a_non_negative_integer(value: str) -> None:
    """A negative or non-integer `$top` gets ODL's 'requires a non-negative integer' error."""
    assert list_error(("$top", value)).message == (
        f"{PREFIX}Invalid value '{value}' for $top query option found. The $top query option "
        "requires a non-negative integer value."
    )


@pytest.mark.parametrize(("value", "skip"), [("0", 0), ("5", 5), ("2147483647", 2147483647)])
def test_skip_accepts_non_negative_integers(value: str, skip: int) -> None:
    """`$skip` takes any non-negative 32-bit integer."""
    assert parse_list_options([("$skip", value)]).skip == skip


def test_skip_rejects_negative_and_huge_values() -> None:
    """A negative `$skip` is invalid; one over Int32.MaxValue hits ASP.NET's Skip limit."""
    assert "Invalid value '-1' for $skip query option found." in list_error(("$skip", "-1")).message
    assert "The limit of '2147483647' for Skip query has been exceeded." in (
        list_error(("$skip", "2147483648")).message
    )


@pytest.mark.parametrize(("value", "count"), [("true", True), ("false", False), (" true ", True)])
def test_count_is_true_or_false(value: str, count: bool) -> None:
    """`$count` is `true` or `false`."""
    assert parse_list_options([("$count", value)]).count is count


@pytest.mark.parametrize("value", ["TRUE", "True", "1", "yes"])
def test_count_rejects_other_values(value: str) -> None:
    """Any other `$count` value gets ODL's invalid-count error naming it."""
    assert list_error(("$count", value)).message == (
        f"{PREFIX}Invalid value '{value}' for $count query option found. Valid values are "
        "'true, false'."
    )


@pytest.mark.parametrize(
    ("value", "select", "suffix"),
    [
        ("Name,Id", ("Name", "Id"), "(Name,Id)"),
        ("Id,Name", ("Name", "Id"), "(Id,Name)"),
        (" Name , Id ", ("Name", "Id"), "(Name,Id)"),
        ("Tags,Id,Id", ("Id", "Tags"), "(Tags,Id,Id)"),
        ("UpdateInfo", ("UpdateInfo",), "(UpdateInfo)"),
        ("*", None, "(*)"),
        ("Name,*", None, "(Name,*)"),
    ],
)
def test_select_picks_fields_in_wire_order(
    value: str, select: tuple[str, ...] | None, suffix: str
) -> None:
    """`$select` keeps wire order for the payload and the clause as written for the context."""
    options = parse_list_options([("$select", value)])
    assert options.select == select
    assert context_suffix(options) == suffix


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("Nme", "Could not find a property named 'Nme' on type"),
        ("nome", "Could not find a property named 'nome'"),
        ("@odata.type", "Could not find a property named '@odata.type'"),
        ("UpdatePolicy/Type", "The $select item 'UpdatePolicy/Type' is not supported"),
        ("Tags($select=Name)", "The $select item 'Tags($select=Name)' is not supported"),
        ("Name,,Id", "Expression expected at position 5 in 'Name,,Id'."),
        ("Name,", "Expression expected at position 5"),
    ],
)
def test_select_errors_name_the_item(value: str, fragment: str) -> None:
    """Unknown, nested or empty `$select` items are rejected, naming the item."""
    error = list_error(("$select", value))
    assert fragment in error.message
    assert error.option == "$select"


def test_project_keeps_selected_fields_in_wire_order() -> None:
    """`project` returns a new dict of the selected fields in wire order, skipping absent ones."""
    record = full_record(Id=7, Name="m")
    options = parse_list_options([("$select", "Tags,Id,Name,UpdateInfo")])
    projected = project(record, options)
    assert list(projected) == ["Name", "Id", "Tags"]
    assert projected["Tags"] is record["Tags"]


def test_project_without_select_is_a_shallow_copy() -> None:
    """Without `$select` (or with `*`) `project` copies every field, in the record's order."""
    record = full_record(Id=7, UpdateInfo=None)
    for options in (parse_list_options([]), parse_list_options([("$select", "*")])):
        projected = project(record, options)
        assert projected == record
        assert projected is not record
        assert list(projected) == list(WIRE_ORDER)


@pytest.mark.parametrize(
    ("value", "expand"),
    [
        ("Tags", ("Tags",)),
        (
            "RobotUsers,UpdatePolicy, MaintenanceWindow,Tags",
            ("RobotUsers", "UpdatePolicy", "MaintenanceWindow", "Tags"),
        ),
        ("Tags,Tags", ("Tags",)),
    ],
)
def test_expand_accepts_the_expandable_members(value: str, expand: tuple[str, ...]) -> None:
    """`$expand` names RobotUsers, UpdatePolicy, MaintenanceWindow or Tags; output is unchanged."""
    options = parse_list_options([("$expand", value)])
    assert options.expand == expand
    record = full_record()
    assert project(record, options) == record


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("Name", "The property 'Name' cannot be used in the $expand query option."),
        ("VpnSettings", "The property 'VpnSettings' cannot be used in the $expand query option."),
        ("RobotVersions", "The property 'RobotVersions' cannot be used"),
        ("Foo", "Could not find a property named 'Foo' on type"),
        ("tagz", "Could not find a property named 'tagz'"),
        ("*", "The $expand item '*' is not supported"),
        ("Tags($select=Name)", "The $expand item 'Tags($select=Name)' is not supported"),
        ("Tags/Name", "The $expand item 'Tags/Name' is not supported"),
        ("Tags,", "Expression expected at position 5"),
    ],
)
def test_expand_errors_name_the_item(value: str, fragment: str) -> None:
    """Any other `$expand` item is rejected, naming it."""
    error = list_error(("$expand", value))
    assert fragment in error.message
    assert error.option == "$expand"


def test_entity_options_take_select_and_expand() -> None:
    """A single machine accepts `$select` and `$expand` (and ignores custom parameters)."""
    options = parse_entity_options([("$select", "Id,Name"), ("$expand", "Tags"), ("x", "1")])
    assert options.select == ("Name", "Id")
    assert options.expand == ("Tags",)
    assert context_suffix(options) == "(Id,Name)"


@pytest.mark.parametrize("name", ["$filter", "$orderby", "$top", "$skip", "$count"])
def test_entity_rejects_collection_options(name: str) -> None:
    """Collection-only options on a single machine get ASP.NET's 'not a collection' error."""
    error = entity_error((name, "1"))
    assert "The requested resource is not a collection." in error.message
    assert f"Found '{name}'." in error.message
    assert error.option == name


def test_entity_rejects_unknown_and_repeated_options() -> None:
    """Unknown `$` options and repeats (in any spelling) are rejected on a single machine too."""
    assert "The query parameter '$foo' is not supported." in entity_error(("$foo", "1")).message
    assert "specified more than once" in entity_error(("$select", "Id"), ("$Select", "Id")).message
    assert "Could not find a property named 'Nme'" in entity_error(("$select", "Nme")).message
