"""`$filter`: operators, functions, null semantics, odata-query quirks and error messages."""

from typing import Any

import pytest

from tests.orchestrator.machine_queries import parse_list_options
from tests.orchestrator.odata_strategies import full_record
from uipath_emulator.mock_server.orchestrator.odata import ODataQueryError, evaluate


def _tag(name: str, value: str | None) -> dict[str, Any]:
    return {"Name": name, "DisplayName": name, "Value": value, "DisplayValue": value}


def _window(enabled: bool | None, start: str | None = None) -> dict[str, Any]:
    return {
        "enabled": enabled,
        "jobStopStrategy": "None",
        "cronExpression": "0 0 * * *",
        "timezoneId": "UTC",
        "duration": 60,
        "nextExecutionTime": start,
    }


MACHINES = [
    full_record(
        Id=1,
        Name="BUILD-01",
        Description="CI runner",
        Type="Standard",
        Scope="Default",
        UnattendedSlots=2,
        Key="5b1f7a3e-2c4d-4e6f-8a9b-0c1d2e3f4a5b",
        Tags=[_tag("env", "ci"), _tag("team", "finance")],
        UpdatePolicy={"Type": "LatestPatch", "SpecificVersion": None},
        RobotVersions=[{"Count": 2, "Version": "24.10.3", "MachineId": 1}],
    ),
    full_record(
        Id=2,
        Name="build-02 ",
        Description=None,
        Type="Template",
        Scope="Shared",
        UnattendedSlots=None,
        Tags=[_tag("env", "prod")],
        MaintenanceWindow=_window(True, "2024-06-01T12:00:00Z"),
        RobotUsers=[{"UserName": "svc-build", "RobotId": 5, "HasTriggers": True}],
    ),
    full_record(
        Id=3,
        Name="Finance",
        Description="finance box",
        Type=None,
        Scope="Cloud",
        UnattendedSlots=0,
        Tags=None,
        MaintenanceWindow=_window(None, "2023-12-31T23:00:00-02:00"),
        UpdatePolicy={"Type": None, "SpecificVersion": "23.10"},
        RobotVersions=None,
    ),
    full_record(
        Id=4,
        Name="O'Brien",
        Description="",
        Type="Standard",
        Scope=None,
        UnattendedSlots=1,
        Tags=[_tag("env", None)],
        MaintenanceWindow=_window(False),
        RobotUsers=[{"UserName": None, "RobotId": 6, "HasTriggers": False}],
        UpdateInfo={"updateStatus": "Compliant", "reason": None},
    ),
]


def ids(filter_text: str) -> list[int]:
    """Ids of the fixture machines the filter keeps; the count always equals the page size."""
    page, count = evaluate(MACHINES, parse_list_options([("$filter", filter_text)]))
    assert count == len(page)
    return [machine["Id"] for machine in page]


def filter_error(filter_text: str) -> ODataQueryError:
    """The error a filter is rejected with."""
    with pytest.raises(ODataQueryError) as caught:
        parse_list_options([("$filter", filter_text)])
    assert caught.value.option == "$filter"
    assert caught.value.message.startswith("The query specified in the URI is not valid. ")
    return caught.value


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Name eq 'build-01'", [1]),
        ("Name eq 'BUILD-02'", [2]),
        ("Name eq 'build-02     '", [2]),
        ("Name eq 'o''brien'", [4]),
        ("Name ne 'build-01'", [2, 3, 4]),
        ("Name gt 'c'", [3, 4]),
        ("Name ge 'FINANCE'", [3, 4]),
        ("Name lt 'build-02'", [1]),
        ("Name le 'build-02'", [1, 2]),
        ("'c' lt Name", [3, 4]),
        ("Description eq null", [2]),
        ("Description ne null", [1, 3, 4]),
        ("null eq Description", [2]),
        ("Description ne 'CI runner'", [2, 3, 4]),
        ("Description gt ''", [1, 3]),
        ("Description lt 'z'", [1, 3, 4]),
        ("Description eq Name", []),
        ("Name ne Description", [1, 2, 3, 4]),
    ],
)
def test_string_comparisons_are_case_insensitive_pad_insensitive_and_null_aware(
    text: str, expected: list[int]
) -> None:
    """Strings compare as SQL Server's collation does; eq/ne treat null as a value."""
    assert ids(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("UnattendedSlots eq 2", [1]),
        ("UnattendedSlots ne 2", [2, 3, 4]),
        ("UnattendedSlots gt 0", [1, 4]),
        ("UnattendedSlots ge 0", [1, 3, 4]),
        ("UnattendedSlots lt 2", [3, 4]),
        ("UnattendedSlots le 2", [1, 3, 4]),
        ("not (UnattendedSlots gt 0)", [2, 3]),
        ("UnattendedSlots eq null", [2]),
        ("UnattendedSlots gt null", []),
        ("Id eq 2L", [2]),
        ("Id eq 2l", [2]),
        ("Id le 2L", [1, 2]),
        ("Id gt -1", [1, 2, 3, 4]),
        ("Id lt - 1", []),
        ("Id eq 1.0", [1]),
        ("Id lt 1.5M", [1]),
        ("Id gt 9223372036854775807L", []),
        ("Id lt 99999999999999999999", [1, 2, 3, 4]),
    ],
)
def test_integer_comparisons_follow_csharp_null_semantics(text: str, expected: list[int]) -> None:
    """Numbers compare numerically (with `L`/`M` suffixes); relations with null are false."""
    assert ids(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Id eq 1 or Id eq 2 and Id eq 3", [1]),
        ("(Id eq 1 or Id eq 2) and Id eq 2", [2]),
        ("not (Id eq 1) and not (Id eq 2)", [3, 4]),
        ("not(Id eq 1)", [2, 3, 4]),
        ("((((Id eq 3))))", [3]),
        ("  Id eq 3  ", [3]),
        ("Id  eq  3", [3]),
        ("Name eq'Finance'", [3]),
        ("Name eq 'Finance'or Id eq 1", [1, 3]),
        ("true", [1, 2, 3, 4]),
        ("false", []),
        ("1 eq 1", [1, 2, 3, 4]),
        ("null eq null", [1, 2, 3, 4]),
        ("null ne null", []),
        ("true and false", []),
        ("not false", [1, 2, 3, 4]),
    ],
)
def test_logical_operators_precedence_and_spacing(text: str, expected: list[int]) -> None:
    """`and` binds tighter than `or`; `not(`, odd spacing and constant filters work as in ODL."""
    assert ids(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Id in (1, 3)", [1, 3]),
        ("Id in (3)", [3]),
        ("Id in ( 3 )", [3]),
        ("Id in(1,4)", [1, 4]),
        ("Name in ('finance', 'BUILD-02')", [2, 3]),
        ("Scope in ('Shared')", [2]),
        ("Scope in ('Shared', null)", [2, 4]),
        ("Description in (null)", [2]),
        ("Type in ('Template', 'Standard')", [1, 2, 4]),
        ("not (Id in (1, 2))", [3, 4]),
    ],
)
def test_in_matches_list_members(text: str, expected: list[int]) -> None:
    """`in` matches any listed literal (one-item lists too), null only when null is listed."""
    assert ids(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Type eq 'Template'", [2]),
        ("Type ne 'Template'", [1, 3, 4]),
        ("Type eq null", [3]),
        ("Scope eq 'Cloud'", [3]),
        ("Scope gt 'Shared'", [3]),
        ("Scope lt 'Cloud'", [1, 2]),
        ("'Shared' lt Scope", [3]),
        ("Type eq Type", [1, 2, 3, 4]),
        ("UpdatePolicy/Type eq 'LatestPatch'", [1]),
        ("UpdatePolicy/Type eq null", [2, 3, 4]),
        ("UpdateInfo/updateStatus eq 'Compliant'", [4]),
        ("UpdateInfo eq null", [1, 2, 3]),
        ("UpdatePolicy eq null", [2, 4]),
        ("UpdatePolicy ne null", [1, 3]),
        ("UpdatePolicy/SpecificVersion eq '23.10'", [3]),
    ],
)
def test_enums_and_nested_paths(text: str, expected: list[int]) -> None:
    """Enums compare by quoted member in declaration order; members of null parents are null."""
    assert ids(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("MaintenanceWindow/enabled", [2]),
        ("MaintenanceWindow/enabled eq true", [2]),
        ("MaintenanceWindow/enabled eq false", [4]),
        ("MaintenanceWindow/enabled eq null", [1, 3]),
        ("MaintenanceWindow/enabled ne true", [1, 3, 4]),
        ("not MaintenanceWindow/enabled", [4]),
        ("not (MaintenanceWindow/enabled)", [4]),
        ("MaintenanceWindow/enabled or Id eq 3", [2, 3]),
        ("not (MaintenanceWindow/enabled and false)", [1, 2, 3, 4]),
        ("not (MaintenanceWindow/enabled or false)", [4]),
        ("MaintenanceWindow/nextExecutionTime gt 2024-01-01T00:00:00Z", [2, 3]),
        ("MaintenanceWindow/nextExecutionTime lt 2024-01-01T03:00:00+01:00", [3]),
        ("Key eq 5B1F7A3E-2C4D-4E6F-8A9B-0C1D2E3F4A5B", [1]),
        ("Key ne 5b1f7a3e-2c4d-4e6f-8a9b-0c1d2e3f4a5b", [2, 3, 4]),
    ],
)
def test_booleans_datetimes_and_guids(text: str, expected: list[int]) -> None:
    """Nullable Booleans use three-valued logic; date-times compare as instants; GUIDs unquoted."""
    assert ids(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tags/any(t: t/Name eq 'TEAM')", [1]),
        ("Tags/any(t: t/Value eq 'ci' or t/Value eq 'prod')", [1, 2]),
        ("Tags/any()", [1, 2, 4]),
        ("not Tags/any()", [3]),
        ("Tags/all(t: t/Name eq 'env')", [2, 3, 4]),
        ("Tags/all(t: t/Value ne null)", [1, 2, 3]),
        ("Tags/any(t: t/Value eq 'ci' and Id eq 1)", [1]),
        ("Tags/any(t: t/Value eq 'ci') and Tags/any(t: t/Name eq 'team')", [1]),
        ("RobotUsers/any(u: u/HasTriggers)", [2]),
        ("RobotUsers/any(u: u/UserName eq null)", [4]),
        ("RobotUsers/all(u: u/RobotId gt 5)", [1, 3, 4]),
        ("RobotVersions/any(v: v/Count ge 2)", [1]),
        ("RobotVersions/any()", [1]),
        ("Tags/any(anything: anything/Name eq 'env')", [1, 2, 4]),
        ("Tags/any(nullable: nullable/Name eq 'team')", [1]),
    ],
)
def test_lambdas_over_collections(text: str, expected: list[int]) -> None:
    """any/all range over collections (null ones are empty); bare names inside mean the machine."""
    assert ids(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("contains(Name, 'UILD')", [1, 2]),
        ("contains(Name, '')", [1, 2, 3, 4]),
        ("startswith(Name, 'build')", [1, 2]),
        ("endswith(Name, '-02 ')", [2]),
        ("endswith(Name, '-02')", []),
        ("contains(Name, '''')", [4]),
        ("contains(Description, 'runner') eq true", [1]),
        ("not contains(Description, 'zzz')", [1, 3, 4]),
        ("contains(Description, 'zzz') eq false", [1, 3, 4]),
        ("tolower(Name) eq 'build-01'", [1]),
        ("toupper(Name) eq 'FINANCE'", [3]),
        ("length(Name) eq 8", [1, 2]),
        ("length(Description) eq 0", [4]),
        ("length(Description) ne 0", [1, 2, 3]),
        ("length(Description) gt 0", [1, 3]),
        ("indexof(Name, 'd') eq 4", [1, 2]),
        ("indexof(Name, 'zzz') eq -1", [1, 2, 3, 4]),
        ("substring(Name, 1) eq 'uild-01'", [1]),
        ("substring(Name, 0, 5) eq 'build'", [1, 2]),
        ("substring(Name, 6, 2) eq '02'", [2]),
        ("substring(Name, -1, 2) eq 'b'", [1, 2]),
        ("endswith(trim(Name), '02')", [2]),
        ("concat(Name, Description) eq 'build-01CI RUNNER'", [1]),
        ("concat(Description, 'x') eq 'x'", [2, 4]),
        ("concat(concat(Name, '/'), Description) eq 'finance/finance box'", [3]),
    ],
)
def test_string_functions(text: str, expected: list[int]) -> None:
    """String functions follow their SQL Server translations, including null propagation."""
    assert ids(text) == expected


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        (
            "Nme eq 'x'",
            "Could not find a property named 'Nme' on type "
            "'UiPath.Server.Configuration.OData.ExtendedMachineDto'.",
        ),
        ("nome eq 'x'", "Could not find a property named 'nome'"),
        ("Nullable eq 1", "Could not find a property named 'Nullable'"),
        ("TRUE", "Could not find a property named 'TRUE'"),
        (
            "UpdatePolicy/Tipe eq 'x'",
            "Could not find a property named 'Tipe' on type "
            "'UiPath.Server.Configuration.OData.UpdatePolicyDto'.",
        ),
        ("Name/Length eq 1", "Could not find a property named 'Length' on type 'Edm.String'."),
        ("a.b eq 1", "Could not find a property named 'a.b'"),
        (
            "Tags/Name eq 'x'",
            "The parent value for a property access of a property 'Name' is not a single value.",
        ),
    ],
)
def test_unknown_properties_are_named(text: str, fragment: str) -> None:
    """Unknown or misplaced property names are rejected with ODL's message naming them."""
    assert fragment in filter_error(text).message


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        (
            "Name eq 5",
            "Found operand types 'Edm.String' and 'Edm.Int32' for operator kind 'Equal'. "
            "Property: 'Name'.",
        ),
        ("Id eq 'x'", "Found operand types 'Edm.Int64' and 'Edm.String'"),
        ("Id gt true", "'Edm.Int64' and 'Edm.Boolean' for operator kind 'GreaterThan'"),
        ("Key eq 'abc'", "'Edm.Guid' and 'Edm.String'"),
        ("MaintenanceWindow/nextExecutionTime gt 2024-01-01", "'Edm.Date'"),
        ("Type eq Scope", "operator kind 'Equal'. Property: 'Type', 'Scope'."),
        ("Type eq Name", "UiPath.Server.Configuration.OData.MachineType"),
        ("UpdatePolicy eq 'x'", "UiPath.Server.Configuration.OData.UpdatePolicyDto"),
        ("UpdatePolicy gt null", "for operator kind 'GreaterThan'"),
        ("Tags eq null", "The operand for a binary operator 'Equal' is not a single value."),
        ("RobotUsers ne null", "Property: 'RobotUsers'."),
        ("Name eq 'a' and Id", "operator kind 'And'"),
        ("Id in (1, 'a')", "for operator kind 'In'"),
        ("Tags in (null)", "is not a single value"),
        ("not Name", "Found operand type 'Edm.String' for operator kind 'Not'. Property: 'Name'."),
        ("not Name eq 'x'", "for operator kind 'Not'"),
        ("Name", "The $filter expression must evaluate to a single boolean value."),
        ("null", "The $filter expression must evaluate to a single boolean value."),
        ("Name/any(x: true)", "The parent value for the Any/All query must be a collection."),
        ("Tags/any(t: t/Name)", "The Any/All query expression must evaluate to a single boolean"),
        ("Name in (Description, 'x')", "The 'in' operator takes a list of literal values."),
    ],
)
def test_type_mismatches_are_named(text: str, fragment: str) -> None:
    """Comparing incompatible types, collections or non-Booleans names the types and property."""
    assert fragment in filter_error(text).message


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("Type eq 'Foo'", "The string 'Foo' is not a valid enumeration type constant."),
        ("Type eq 'standard'", "The string 'standard' is not a valid enumeration type constant."),
        ("Scope in ('Shared', 'Nope')", "The string 'Nope' is not a valid enumeration"),
        ("UpdatePolicy/Type eq 'Latest'", "UiPath.Server.Configuration.OData.UpdatePolicyType"),
        ("Type eq 1", "The string '1' is not a valid enumeration type constant."),
    ],
)
def test_enum_constants_must_be_members(text: str, fragment: str) -> None:
    """A constant compared with an enum must be one of its member names, case-sensitively."""
    assert fragment in filter_error(text).message


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("contains(Id, 'a')", "No function signature for the function with name 'contains'"),
        ("contains(Id, 'a')", "contains(Edm.String Nullable=true, Edm.String Nullable=true)"),
        ("contains(Id, 'a')", "Found arguments: 'Id' (Edm.Int64), Edm.String."),
        ("contains(Type, 'Stand')", "'Type' (UiPath.Server.Configuration.OData.MachineType)"),
        ("contains(Name)", "No function signature for the function with name 'contains'"),
        ("length(Name, 'x') eq 1", "No function signature for the function with name 'length'"),
        ("substring(Name, Id) eq 'x'", "with name 'substring'"),
        ("substring(Name, 'a') eq 'x'", "with name 'substring'"),
        ("year(Name) eq 1", "The function 'year' is not supported by the emulator."),
        ("geo.distance(Name, Name) eq 1", "The function 'geo.distance' is not supported"),
        ("now() eq 1", "The function 'now' is not supported"),
        ("foo(Name)", "An unknown function with name 'foo' was found."),
        ("Foo.bar(Name)", "An unknown function with name 'Foo.bar' was found."),
    ],
)
def test_functions_are_checked(text: str, fragment: str) -> None:
    """Function names are case-sensitive; bad arguments and unsupported functions are named."""
    assert fragment in filter_error(text).message


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("Name eq", "Syntax error at position 7 in 'Name eq'."),
        ("Name eq 'x' and", "Syntax error at position 15 in 'Name eq 'x' and'."),
        ("Name eq eq 'x'", "Syntax error at position 11"),
        ("(Name eq 'x'", "Syntax error at position 12"),
        ("Name eq 'x", "Syntax error: character ''' is not valid at position 8 in 'Name eq 'x'."),
        ("$it/Name eq 'x'", "character '$' is not valid at position 0"),
        ("Id eq ٣", "Syntax error at position 6"),
        ("Id eq 3 L", "Syntax error at position 8"),
        ("Id eq 3Lx", "Syntax error at position 7"),
        ("Name eq 'x' AND Id eq 1", "'AND' is not a keyword; OData keywords are case-sensitive"),
        ("Name EQ 'x'", "(did you mean 'eq'?)"),
        ("NOT (Id eq 1)", "(did you mean 'not'?)"),
        ("Name eq 'x'Or Id eq 1", "(did you mean 'or'?)"),
        ("Tags/ANY(t: true)", "Syntax error"),
        ("Name in ()", "Syntax error at position 9"),
    ],
)
def test_syntax_errors_give_the_position(text: str, fragment: str) -> None:
    """Malformed filters are rejected with the offending position; keywords are case-sensitive."""
    assert fragment in filter_error(text).message


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("Name add 1 eq 2", "Arithmetic operator 'add' is not supported by the emulator."),
        ("Id mod 2 eq 0", "Arithmetic operator 'mod'"),
        ("-Id eq 1", "Arithmetic operator 'negate'"),
        ("Id eq duration'P1D'", "'Edm.Int64' and 'Edm.Duration'"),
        (
            "Tags/any(t: RobotUsers/any(u: true))",
            "The Any/All nesting limit of '1' has been exceeded.",
        ),
        ("Tags/any(t: Tags/any(t: true))", "The Any/All nesting limit of '1'"),
    ],
)
def test_unsupported_constructs_are_named(text: str, fragment: str) -> None:
    """Arithmetic, odd literal types and nested lambdas are refused with a message naming them."""
    assert fragment in filter_error(text).message


def test_node_count_limit_is_one_hundred() -> None:
    """ASP.NET's MaxNodeCount of 100: 20 `Id eq 1` clauses (99 nodes) pass, 21 (104) do not."""
    assert ids(" or ".join(["Id eq 1"] * 20)) == [1]
    message = filter_error(" or ".join(["Id eq 1"] * 21)).message
    assert "The node count limit of '100' has been exceeded." in message
    assert "'MaxNodeCount'" in message


def test_deep_nesting_never_escapes_as_another_exception() -> None:
    """Parentheses past ODL's depth, very deep `not`s and very long paths are refused cleanly."""
    assert "Recursion depth exceeded" in filter_error("(" * 3000 + "Id eq 1" + ")" * 3000).message
    assert "node count limit" in filter_error("not " * 5000 + "true").message
    long_path = "/".join(["UpdatePolicy"] * 5000) + " eq 1"
    assert "The $filter expression is nested too deeply." in filter_error(long_path).message


def test_long_identifiers_are_one_name() -> None:
    """Names longer than odata-query's 128-character identifier limit are still one name."""
    name = "N" * 300
    assert f"Could not find a property named '{name}'" in filter_error(f"{name} eq 1").message


def test_predicate_is_compiled_once_and_reusable() -> None:
    """The parsed options hold a plain predicate that can be applied to any record, repeatedly."""
    options = parse_list_options([("$filter", "Name eq 'finance'")])
    assert options.filter is not None
    assert [options.filter(machine) for machine in MACHINES] == [False, False, True, False]
    assert [options.filter(machine) for machine in MACHINES] == [False, False, True, False]
