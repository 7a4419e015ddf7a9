"""`$filter` compilation at its edges: whole error messages, constant folding, nulls, negation.

`test_odata_filter.py` checks messages by fragment; here each message a developer reads is
checked whole, since a changed word is a changed answer. The last tests compile trees the
parser never hands over (a null owner, a non-list `in`, nested lambdas) to pin the compiler's
own checks behind the parser's.
"""

import pytest
from odata_query import ast

from tests.orchestrator.machine_queries import MODEL
from tests.orchestrator.test_odata_filter import MACHINES, filter_error, ids
from uipath_emulator.mock_server.orchestrator.odata import ODataQueryError, filter_parse
from uipath_emulator.mock_server.orchestrator.odata.filter_compile import compile_filter
from uipath_emulator.mock_server.orchestrator.odata.filter_parse import parse_filter

INVALID = "The query specified in the URI is not valid. "
INCOMPATIBLE = INVALID + "A binary operator with incompatible types was detected. "
MACHINE_TYPE = "UiPath.Server.Configuration.OData.MachineType"
SCOPE_MEMBERS = (
    "Default, Shared, PersonalWorkspace, Cloud, Serverless, AutomationCloudRobot, ElasticRobot, "
    "ProcessOrchestration, AgentService"
)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1 eq 'a'", "Found operand types 'Edm.Int32' and 'Edm.String' for operator kind 'Equal'."),
        ("Name eq 2147483647", "Found operand types 'Edm.String' and 'Edm.Int32' for operator kind "
         "'Equal'. Property: 'Name'."),
        ("Name eq 2147483648", "Found operand types 'Edm.String' and 'Edm.Int64' for operator kind "
         "'Equal'. Property: 'Name'."),
        ("Name eq -2147483649", "Found operand types 'Edm.String' and 'Edm.Int64' for operator "
         "kind 'Equal'. Property: 'Name'."),
        ("Name eq 9223372036854775808", "Found operand types 'Edm.String' and 'Edm.Decimal' for "
         "operator kind 'Equal'. Property: 'Name'."),
        ("Name eq 1.5", "Found operand types 'Edm.String' and 'Edm.Decimal' for operator kind "
         "'Equal'. Property: 'Name'."),
        ("Name eq 1e3", "Found operand types 'Edm.String' and 'Edm.Double' for operator kind "
         "'Equal'. Property: 'Name'."),
        ("MaintenanceWindow/enabled eq 1", "Found operand types 'Edm.Boolean' and 'Edm.Int32' for "
         "operator kind 'Equal'. Property: 'MaintenanceWindow/enabled'."),
        ("UpdatePolicy gt null", "Found operand types "
         "'UiPath.Server.Configuration.OData.UpdatePolicyDto' and 'null' for operator kind "
         "'GreaterThan'. Property: 'UpdatePolicy'."),
        ("Type eq Scope", f"Found operand types '{MACHINE_TYPE}' and "
         "'UiPath.Server.Configuration.OData.MachineScope' for operator kind 'Equal'. "
         "Property: 'Type', 'Scope'."),
        ("Id and Name eq 'a'", "Found operand types 'Edm.Int64' and 'Edm.Boolean' for operator "
         "kind 'And'. Property: 'Id'."),
        ("Name eq 'a' or Id", "Found operand types 'Edm.Int64' and 'Edm.Boolean' for operator "
         "kind 'Or'. Property: 'Id'."),
        ("null in (2024-01-01)", "Found operand types 'null' and 'Edm.Date' for operator kind "
         "'In'."),
        ("Name eq 2024-01-01T00:00:00Z", "Found operand types 'Edm.String' and "
         "'Edm.DateTimeOffset' for operator kind 'Equal'. Property: 'Name'."),
        ("Name eq 5B1F7A3E-2C4D-4E6F-8A9B-0C1D2E3F4A5B", "Found operand types 'Edm.String' and "
         "'Edm.Guid' for operator kind 'Equal'. Property: 'Name'."),
        ("Tags/any(t: t gt null)", "Found operand types 'UiPath.Server.Configuration.OData.TagDto' "
         "and 'null' for operator kind 'GreaterThan'. Property: 't'."),
        ("Tags/any(t: Name eq 5)", "Found operand types 'Edm.String' and 'Edm.Int32' for operator "
         "kind 'Equal'. Property: 'Name'."),
    ],
)  # fmt: skip
def test_incompatible_operands_are_named_exactly(text: str, message: str) -> None:
    """The operand types, operator kind and properties are all in the message, nothing else."""
    assert filter_error(text).message == INCOMPATIBLE + message


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Name eq (1, 2)", "A parenthesized list is only allowed on the right of 'in'."),
        ("Tags eq null", "The operand for a binary operator 'Equal' is not a single value. Binary "
         "operators require both operands to be single values. Property: 'Tags'."),
        ("not null", "A unary operator with an incompatible type was detected. Found operand type "
         "'null' for operator kind 'Not'."),
        ("not Name", "A unary operator with an incompatible type was detected. Found operand type "
         "'Edm.String' for operator kind 'Not'. Property: 'Name'."),
        ("-Id eq 1", "Arithmetic operator 'negate' is not supported by the emulator."),
        ("Name in (Description, 'x')", "The 'in' operator takes a list of literal values. "
         "Property: 'Description'."),
        ("Name/any(x: true)", "The parent value for the Any/All query must be a collection. "
         "Property: 'Name'."),
        ("Tags/any(t: t/Name)", "The Any/All query expression must evaluate to a single boolean "
         "value."),
        ("Name", "The $filter expression must evaluate to a single boolean value."),
        ("Type eq 'Foo'", "The string 'Foo' is not a valid enumeration type constant. Members of "
         f"'{MACHINE_TYPE}': Standard, Template."),
        ("Scope in ('Shared', 'Nope')", "The string 'Nope' is not a valid enumeration type "
         "constant. Members of 'UiPath.Server.Configuration.OData.MachineScope': "
         f"{SCOPE_MEMBERS}."),
        ("contains(UpdatePolicy/SpecificVersion, 1)", "No function signature for the function "
         "with name 'contains' matches the specified arguments. The function signatures "
         "considered are: contains(Edm.String Nullable=true, Edm.String Nullable=true). Found "
         "arguments: 'UpdatePolicy/SpecificVersion' (Edm.String), Edm.Int32."),
        ("Name/Length eq 1", "Could not find a property named 'Length' on type 'Edm.String'."),
        ("MaintenanceWindow/nextExecutionTime gt 2024-02-30T00:00:00Z", "The date-time literal "
         "'2024-02-30T00:00:00Z' is not a valid Edm.DateTimeOffset."),
        ("Tags/any(t: not t)", "A unary operator with an incompatible type was detected. Found "
         "operand type 'UiPath.Server.Configuration.OData.TagDto' for operator kind 'Not'. "
         "Property: 't'."),
    ],
)  # fmt: skip
def test_other_compile_errors_are_named_exactly(text: str, message: str) -> None:
    """Each compile-time refusal has ODL's whole message and names the `$filter` option."""
    assert filter_error(text).message == INVALID + message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("true and true", [1, 2, 3, 4]),
        ("true or false", [1, 2, 3, 4]),
        ("false or false", []),
        ("not (1 gt null)", [1, 2, 3, 4]),
        ("1 gt null", []),
        ("1 in (1, 2)", [1, 2, 3, 4]),
        ("3 in (1, 2)", []),
        ("null in (null)", [1, 2, 3, 4]),
        ("null in (null, 'a')", [1, 2, 3, 4]),
        ("null in ('a')", []),
        ("- 1 lt 0", [1, 2, 3, 4]),
        ("- 1 eq -1", [1, 2, 3, 4]),
        ("Id le - 1", []),
        ("Id ge - 1", [1, 2, 3, 4]),
        ("Id ne - 1", [1, 2, 3, 4]),
        ("Id gt - 2", [1, 2, 3, 4]),
        ("2024-01-01 eq null", []),
        ("2024-01-01 ne null", [1, 2, 3, 4]),
        ("duration'P1D' eq null", []),
    ],
)
def test_constant_expressions_fold_to_the_same_answers(text: str, expected: list[int]) -> None:
    """Filters of constants only (folded once) keep all or none, with C# null semantics."""
    assert ids(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Name gt Description", [4]),
        ("Name le Description", [1, 3]),
        ("UnattendedSlots lt Id", [3, 4]),
        ("Id ge UnattendedSlots", [3, 4]),
        ("not (UnattendedSlots lt Id)", [1, 2]),
        ("contains(Description, Name)", [3]),
        ("startswith(Description, Name) or endswith(Name, Description)", [3, 4]),
        ("contains(Name, null)", []),
        ("contains(null, 'a')", []),
        ("not contains(Name, null)", []),
        ("substring(Description, 0, 1) eq null", [2]),
        ("substring(Description, 0, 1) eq 'c'", [1]),
        ("length(null) eq null", [1, 2, 3, 4]),
    ],
)
def test_comparisons_of_two_properties_and_function_nulls(text: str, expected: list[int]) -> None:
    """Relations between two properties, and functions given null, follow C#/SQL null rules."""
    assert ids(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("MaintenanceWindow/enabled and Id gt 0", [2]),
        ("not (MaintenanceWindow/enabled and Id gt 0)", [4]),
        ("Id gt 0 and MaintenanceWindow/enabled", [2]),
        ("not (Id gt 0 and MaintenanceWindow/enabled)", [4]),
        ("not (MaintenanceWindow/enabled and MaintenanceWindow/enabled)", [4]),
        ("MaintenanceWindow/enabled or Id gt 5", [2]),
        ("not (MaintenanceWindow/enabled or Id gt 5)", [4]),
        ("not (Id eq 3 or MaintenanceWindow/enabled)", [4]),
        ("not (MaintenanceWindow/enabled or MaintenanceWindow/enabled)", [4]),
    ],
)
def test_unknown_stays_unknown_through_and_or_and_not(text: str, expected: list[int]) -> None:
    """A null Boolean and true is unknown, as is null or false; `not` keeps it unknown."""
    assert ids(text) == expected


def compiled(tree: ast._Node) -> list[int]:
    """The ids of the fixture machines `compile_filter(tree)` keeps."""
    keep = compile_filter(tree, MODEL.root)
    return [machine["Id"] for machine in MACHINES if keep(machine)]


def compile_error(tree: ast._Node) -> str:
    """The whole message `compile_filter(tree)` refuses the tree with."""
    with pytest.raises(ODataQueryError) as caught:
        compile_filter(tree, MODEL.root)
    assert caught.value.option == "$filter"
    return caught.value.message


def test_member_of_null_is_an_unknown_property_of_null() -> None:
    """`null/Name` (a tree the parser never builds) is refused naming the type `null`."""
    tree = ast.Compare(ast.Eq(), ast.Attribute(ast.Null(), "Name"), ast.Integer("1"))
    assert compile_error(tree) == INVALID + "Could not find a property named 'Name' on type 'null'."


def test_lambda_over_null_is_refused_as_not_a_collection() -> None:
    """`null/any(x: true)` (never parsed) is refused: the parent of any/all must be a collection."""
    lambda_ = ast.Lambda(ast.Identifier("x"), ast.Boolean("true"))
    tree = ast.CollectionLambda(ast.Null(), ast.Any(), lambda_)
    assert compile_error(tree) == (
        INVALID + "The parent value for the Any/All query must be a collection."
    )


def test_node_the_compiler_does_not_know_is_refused_naming_its_kind() -> None:
    """A tree node that is no expression (here a bare lambda) is refused naming its class."""
    tree = ast.Lambda(ast.Identifier("x"), ast.Boolean("true"))
    assert compile_error(tree) == INVALID + "The expression 'Lambda' is not supported in $filter."


def test_in_with_a_right_operand_that_is_not_a_list_is_refused() -> None:
    """`Id in 1` (a tree the parser never builds) is refused naming what `in` needs."""
    tree = ast.Compare(ast.In(), ast.Identifier("Id"), ast.Integer("1"))
    assert compile_error(tree) == (
        INVALID + "The right operand of 'in' must be a parenthesized list."
    )


@pytest.fixture
def two_levels_of_lambdas(monkeypatch: pytest.MonkeyPatch) -> None:
    """Let the parser hand over lambdas nested two deep (ASP.NET's limit, kept there, is one)."""
    monkeypatch.setattr(filter_parse, "MAX_ANY_ALL_DEPTH", 2)


@pytest.mark.usefixtures("two_levels_of_lambdas")
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tags/any(t: RobotUsers/any(u: u/UserName eq 'svc-build'))", [2]),
        ("Tags/any(t: RobotUsers/any(u: u/HasTriggers eq false and t/Value eq null))", [4]),
        ("Tags/any(t: RobotUsers/all(u: u/RobotId gt 5))", [1, 4]),
        ("Tags/all(t: RobotVersions/any(v: v/Count ge 2 and Id eq 1))", [1, 3]),
        ("Tags/any(t: RobotUsers/any(u: Name eq 'o''brien'))", [4]),
        ("Tags/any(t: RobotUsers/any())", [2, 4]),
        ("Tags/any(t: RobotVersions/any(v: v/Count eq null))", []),
    ],
)
def test_compiler_evaluates_nested_lambdas(text: str, expected: list[int]) -> None:
    """The compiler scopes each range variable, so lambdas nested in lambdas evaluate correctly."""
    assert compiled(parse_filter(text)) == expected


@pytest.mark.usefixtures("two_levels_of_lambdas")
def test_nested_lambda_reusing_a_range_variable_is_refused() -> None:
    """An inner lambda may not declare the outer one's variable again."""
    tree = parse_filter("Tags/any(t: RobotUsers/any(t: true))")
    assert compile_error(tree) == INVALID + "The range variable 't' has already been declared."


@pytest.mark.parametrize(
    "text",
    [
        "Id gt null",
        "null lt UnattendedSlots",
        "UnattendedSlots lt Id",
        "MaintenanceWindow/enabled",
        "not MaintenanceWindow/enabled",
        "MaintenanceWindow/enabled or Tags/any()",
        "contains(Description, 'box')",
        "Tags/all(t: t/Value ne null)",
        "Scope in ('Shared', null)",
    ],
)
def test_compiled_predicate_answers_true_or_false(text: str) -> None:
    """The predicate is a `bool` for every record, never None, whatever nulls it met."""
    keep = compile_filter(parse_filter(text), MODEL.root)
    assert all(type(keep(machine)) is bool for machine in MACHINES)


@pytest.mark.parametrize(
    ("literal", "shown", "edm_type"),
    [
        ("79228162514264337593543950336", "79228162514264337593543950336", "Edm.Decimal"),
        ("-79228162514264337593543950336", "-79228162514264337593543950336", "Edm.Decimal"),
        ("9" * 40, "9" * 40, "Edm.Decimal"),
        ("9" * 41, "9" * 40 + "... (41 characters)", "Edm.Decimal"),
        ("1e309", "1e309", "Edm.Double"),
    ],
    ids=["2**96", "-2**96", "40 digits", "41 digits", "double"],
)
def test_literal_out_of_range_is_named_whole_up_to_40_characters(
    literal: str, shown: str, edm_type: str
) -> None:
    """A literal too large for its type is quoted whole up to 40 characters, else cut, counted."""
    message = filter_error(f"Id eq {literal}").message
    assert message == f"{INVALID}The literal '{shown}' is out of the range of {edm_type}."


@pytest.mark.parametrize(
    ("literal", "expected"),
    [("0" * 34 + "1", [1]), ("+" + "0" * 34 + "1", [1]), ("-" + "0" * 34 + "1", [])],
    ids=["leading zeros", "plus sign", "minus sign"],
)
def test_leading_zeros_and_sign_do_not_count_toward_the_digit_limit(
    literal: str, expected: list[int]
) -> None:
    """An integer literal's sign and leading zeros are not digits: 35 characters can be 1."""
    assert ids(f"Id eq {literal}") == expected


def test_trailing_zeros_count_toward_the_digit_limit() -> None:
    """1 followed by 4,400 zeros is refused as out of range before it is turned into a number."""
    literal = "1" + "0" * 4400
    assert filter_error(f"Id eq {literal}").message == (
        f"{INVALID}The literal '{literal[:40]}... (4401 characters)' is out of the range of "
        "Edm.Decimal."
    )


@pytest.mark.parametrize(
    "text", ["Id lt 2147483648", "Id gt -2147483649", "Id lt 9223372036854775807"]
)
def test_int64_literal_keeps_its_value(text: str) -> None:
    """A literal beyond Int32 compares by its value (every machine's Id is below 2**31)."""
    assert ids(text) == [1, 2, 3, 4]


@pytest.mark.parametrize(
    "literal",
    [
        "79228162514264337593543950335.0",
        "-79228162514264337593543950335.0",
        "1e30",
        "1.7976931348623157e308",
        "-1.7976931348623157e308",
    ],
    ids=["decimal max", "decimal min", "double beyond decimal", "double max", "double min"],
)
def test_decimal_and_double_literals_up_to_their_limits_are_accepted(literal: str) -> None:
    """decimal.MaxValue (29 digits, past Python's 28-digit context) and double's limits pass."""
    assert ids(f"Id ne {literal}") == [1, 2, 3, 4]


@pytest.mark.parametrize(
    ("literal", "edm_type"),
    [
        ("79228162514264337593543950336.0", "Edm.Decimal"),
        ("1.7976931348623158e308", "Edm.Double"),
    ],
    ids=["decimal", "double"],
)
def test_decimal_and_double_literals_past_their_limits_are_refused(
    literal: str, edm_type: str
) -> None:
    """One unit past decimal.MaxValue, or past double's largest, is out of range of that type."""
    message = filter_error(f"Id eq {literal}").message
    assert message == f"{INVALID}The literal '{literal}' is out of the range of {edm_type}."
