"""Query limits: numbers, nesting and paging values past what the service takes are 400s."""

import pytest
from flask.testing import FlaskClient

from tests.orchestrator.helpers import MACHINES, assert_orchestrator_error, call


@pytest.mark.parametrize("option", ["$top", "$skip"])
def test_paging_values_of_thousands_of_digits_are_400(http: FlaskClient, option: str) -> None:
    """`$top`/`$skip` too long for any integer type get 400 1000, never a 500."""
    response = call(http, "GET", path=f"{MACHINES}?{option}={'9' * 5000}")
    message = assert_orchestrator_error(response, 400, 1000)
    assert f"for {option} query option found" in message


@pytest.mark.parametrize(
    ("literal", "edm_type"),
    [
        ("9" * 5000, "Edm.Decimal"),
        ("-" + "9" * 4400, "Edm.Decimal"),
        ("79228162514264337593543950336", "Edm.Decimal"),
        ("9e999999", "Edm.Double"),
        ("1" + "0" * 400 + ".5", "Edm.Decimal"),
    ],
    ids=[
        "5000 digits",
        "negative 4400 digits",
        "decimal max + 1",
        "double overflow",
        "long decimal",
    ],
)
def test_numeric_literal_out_of_range_is_400(
    http: FlaskClient, literal: str, edm_type: str
) -> None:
    """Numbers no .NET numeric type holds get 400 1000 naming the type, never a 500."""
    response = call(http, "GET", path=f"{MACHINES}?$filter=Id eq {literal}")
    message = assert_orchestrator_error(response, 400, 1000)
    assert message.endswith(f"is out of the range of {edm_type}.")


def test_largest_decimal_literal_is_accepted(http: FlaskClient) -> None:
    """79,228,162,514,264,337,593,543,950,335 (the .NET decimal maximum) is a valid literal."""
    response = call(http, "GET", path=f"{MACHINES}?$filter=Id eq 79228162514264337593543950335")
    assert response.status_code == 200
    assert response.get_json()["value"] == []


@pytest.mark.parametrize("depth", [801, 100_000])
def test_parentheses_nested_past_800_are_refused(http: FlaskClient, depth: int) -> None:
    """More than 800 nested parentheses get 400, as ODL's recursion limit answers."""
    text = "(" * depth + "Id eq 1" + ")" * depth
    response = call(http, "GET", path=f"{MACHINES}?$filter={text}")
    message = assert_orchestrator_error(response, 400, 1000)
    assert "Recursion depth exceeded allowed limit (800 nested parentheses)." in message


def test_800_nested_parentheses_are_accepted(http: FlaskClient) -> None:
    """800 nested parentheses, the limit itself, still filter."""
    text = "(" * 800 + "Id eq 1" + ")" * 800
    response = call(http, "GET", path=f"{MACHINES}?$filter={text}")
    assert [machine["Id"] for machine in response.get_json()["value"]] == [1]


def test_parentheses_inside_strings_do_not_count(http: FlaskClient) -> None:
    """Parentheses in a string literal are text, not nesting."""
    text = f"Name eq '{'(' * 900}'"
    response = call(http, "GET", path=f"{MACHINES}?$filter={text}")
    assert response.status_code == 200
