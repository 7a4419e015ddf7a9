"""The current-user functions: no current user behind an app's token (401), scope first (403)."""

import pytest
from flask.testing import FlaskClient

from tests.orchestrator.helpers import (
    assert_not_authorized,
    assert_orchestrator_error,
    call,
    token_for,
)
from uipath_emulator.mock_server.well_known import (
    FINANCE_ROBOT,
    FULL,
    ORGANIZATION,
    ROBOTS,
    TENANT,
    WellKnownApp,
)

USERS = f"/{ORGANIZATION}/{TENANT}/orchestrator_/odata/Users/UiPath.Server.Configuration.OData."
CURRENT_USER_FUNCTIONS = [
    "GetCurrentUser",
    "GetCurrentUserExtended?$select=PersonalWorkspace&$expand=PersonalWorkspace",
]


@pytest.mark.parametrize("function", CURRENT_USER_FUNCTIONS)
@pytest.mark.parametrize("app", [FULL, FINANCE_ROBOT], ids=["app", "robot"])
def test_an_app_token_has_no_current_user(
    http: FlaskClient, function: str, app: WellKnownApp
) -> None:
    """An app's token with `OR.Users` gets 401 "You are not authenticated!", a robot's too."""
    response = call(http, "GET", USERS + function, token_for(http, app))
    assert assert_orchestrator_error(response, 401, 0) == "You are not authenticated!"
    assert response.headers["WWW-Authenticate"] == "Bearer"


@pytest.mark.parametrize("function", CURRENT_USER_FUNCTIONS)
def test_the_scope_is_checked_before_the_user(http: FlaskClient, function: str) -> None:
    """A token without `OR.Users` or `OR.Users.Read` gets the 403 ABP body, not the 401."""
    response = call(http, "GET", USERS + function, token_for(http, ROBOTS))
    assert_not_authorized(response)


def test_current_user_without_a_token_is_401_with_a_challenge(http: FlaskClient) -> None:
    """No token at all is the usual 401, before any scope or user question."""
    response = http.get(USERS + "GetCurrentUser")
    assert assert_orchestrator_error(response, 401, 0) == "You are not authenticated!"
