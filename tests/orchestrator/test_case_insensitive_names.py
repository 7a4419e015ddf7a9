"""OData names resolved as ASP.NET OData with `EnableCaseInsensitive` resolves them.

Property and navigation names in `$filter`, `$orderby`, `$select` and `$expand`, option names
and built-in function names ignore case (an exact match first); enum members do not.
"""

import pytest
from flask.testing import FlaskClient

from tests.orchestrator.helpers import MACHINES, assert_orchestrator_error, call
from tests.orchestrator.machine_queries import parse_list_options
from uipath_emulator.mock_server.orchestrator.odata import ODataQueryError, evaluate
from uipath_emulator.mock_server.orchestrator.odata.model import EdmType, Kind, resolve_name


def listed(http: FlaskClient, query: str) -> list[int]:
    """The ids a list query answers, asserting a 200."""
    response = call(http, "GET", path=f"{MACHINES}?{query}")
    assert response.status_code == 200, response.data
    return [machine["Id"] for machine in response.get_json()["value"]]


@pytest.mark.parametrize(
    ("written", "declared"),
    [
        ("$filter=name eq 'BUILD-AGENT-01'", "$filter=Name eq 'BUILD-AGENT-01'"),
        ("$FILTER=NAME eq 'build-agent-01'", "$filter=Name eq 'BUILD-AGENT-01'"),
        ("$filter=tags/any(t: t/name eq 'team')", "$filter=Tags/any(t: t/Name eq 'team')"),
        ("$filter=updatepolicy/type eq 'None'", "$filter=UpdatePolicy/Type eq 'None'"),
        ("$orderby=name desc&$top=3", "$orderby=Name desc&$top=3"),
        ("$OrderBy=unattendedSlots,id desc", "$orderby=UnattendedSlots,Id desc"),
        ("$filter=Contains(name,'agent')", "$filter=contains(Name,'agent')"),
        (
            "$filter=TOLOWER(name) eq 'hr-onboarding-vm'",
            "$filter=tolower(Name) eq 'hr-onboarding-vm'",
        ),
    ],
)
def test_names_in_any_case_mean_the_declared_ones(
    http: FlaskClient, written: str, declared: str
) -> None:
    """A query with names in another case answers exactly as with the declared names."""
    assert listed(http, written) == listed(http, declared)


def test_select_in_any_case_answers_with_declared_names(http: FlaskClient) -> None:
    """`$select=name,ID` writes `Name` and `Id`, and the context names them as declared."""
    body = call(http, "GET", path=f"{MACHINES}?$select=name,ID&$top=1").get_json()
    assert body["@odata.context"].endswith("$metadata#Machines(Name,Id)")
    assert list(body["value"][0]) == ["@odata.type", "Name", "Id"]


def test_expand_in_any_case_is_accepted(http: FlaskClient) -> None:
    """`$expand=tags` is `$expand=Tags`."""
    assert call(http, "GET", path=f"{MACHINES}?$expand=tags,robotUsers").status_code == 200


def test_format_option_in_any_case_is_honoured(http: FlaskClient) -> None:
    """`$FORMAT=xml` is refused with 406 like `$format=xml`; `$Format=json` is served."""
    refused = call(http, "GET", path=f"{MACHINES}?$FORMAT=xml")
    assert_orchestrator_error(refused, 406, 0)
    assert call(http, "GET", path=f"{MACHINES}?$Format=json&$top=1").status_code == 200


def test_enum_members_stay_case_sensitive(http: FlaskClient) -> None:
    """`Type eq 'standard'` is not a member of the enum: 400 (ODL compares members ordinally)."""
    response = call(http, "GET", path=f"{MACHINES}?$filter=Type eq 'standard'")
    message = assert_orchestrator_error(response, 400, 1000)
    assert "The string 'standard' is not a valid enumeration type constant." in message


def test_operators_stay_case_sensitive(http: FlaskClient) -> None:
    """Keywords such as `EQ` are not operators (ODL's lexer matches them exactly)."""
    response = call(http, "GET", path=f"{MACHINES}?$filter=Name EQ 'x'")
    assert_orchestrator_error(response, 400, 1000)


def test_two_members_differing_only_in_case_make_a_name_ambiguous() -> None:
    """Where a type declares `value` and `Value`, `VALUE` is ambiguous: 400 naming both."""
    owner = EdmType(
        Kind.COMPLEX,
        "Test.Pair",
        properties={
            "value": EdmType(Kind.STRING, "Edm.String"),
            "Value": EdmType(Kind.STRING, "Edm.String"),
        },
    )
    assert resolve_name(owner, "value", "$filter") == "value"
    assert resolve_name(owner, "Value", "$filter") == "Value"
    with pytest.raises(ODataQueryError) as raised:
        resolve_name(owner, "VALUE", "$filter")
    assert "More than one property named 'VALUE' (ignoring case)" in raised.value.message


def test_engine_resolves_names_for_the_predicate() -> None:
    """The compiled filter reads the declared member, whatever case the query used."""
    records = [{"Id": 1, "Name": "a"}, {"Id": 2, "Name": "b"}]
    page, count = evaluate(records, parse_list_options([("$filter", "nAmE eq 'B'")]))
    assert (page, count) == ([records[1]], 1)
