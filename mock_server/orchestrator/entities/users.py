"""The `Users` entity set: only the current-user functions, which app tokens cannot use.

`GetCurrentUser` and `GetCurrentUserExtended` answer a user's own record. Every token the
emulator issues is an app's (client credentials; a robot's token is an app's acting as the
robot), and for such a token Orchestrator "returns an authentication error (typically 401)"
(orchestrator-core-facts section 7): the scope is checked first (403), then 401.
"""

from uipath_emulator.mock_server.orchestrator.entities.actions import ActionContext, ActionResult
from uipath_emulator.mock_server.orchestrator.entities.registry import Action, EntitySet
from uipath_emulator.mock_server.orchestrator.errors import NOT_AUTHENTICATED, ApiError

COLLECTION = "/odata/Users"
FUNCTIONS = "UiPath.Server.Configuration.OData"
GET_CURRENT_USER = f"{FUNCTIONS}.GetCurrentUser"
GET_CURRENT_USER_EXTENDED = f"{FUNCTIONS}.GetCurrentUserExtended"
USERS_READ = frozenset({"OR.Users", "OR.Users.Read"})


def _no_current_user(_context: ActionContext) -> ActionResult:
    raise ApiError(401, NOT_AUTHENTICATED, 0, {"WWW-Authenticate": "Bearer"})


USERS = EntitySet(
    name="Users",
    label="User",
    folder_scoped=False,
    operations={},
    type_annotation=False,
    extra_scopes={f"{COLLECTION}/{GET_CURRENT_USER_EXTENDED}": USERS_READ},
    actions=(
        Action(
            name=GET_CURRENT_USER,
            method="GET",
            spec_path=f"{COLLECTION}/{GET_CURRENT_USER}",
            handler=_no_current_user,
            writes=False,
        ),
        Action(
            name=GET_CURRENT_USER_EXTENDED,
            method="GET",
            spec_path=f"{COLLECTION}/{GET_CURRENT_USER_EXTENDED}",
            handler=_no_current_user,
            writes=False,
        ),
    ),
)
