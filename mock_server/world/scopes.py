"""The OAuth scopes an external application of the emulated cloud can be granted.

Orchestrator's come from the UiPath.WebApi 20.0 spec (every `OAuth required scopes` line), plus
`OR.Default` (documented, not in the spec) and `OR.Buckets*` (UiPath's TypeScript SDK docs); the
Identity Server's from the spec's OAuth2 security scheme, plus `offline_access`.
"""

import difflib

_ORCHESTRATOR_AREAS = (
    "Administration",
    "Assets",
    "Audit",
    "Buckets",
    "BusinessRules",
    "Execution",
    "Folders",
    "Jobs",
    "License",
    "Machines",
    "Monitoring",
    "Queues",
    "Robots",
    "Settings",
    "Tasks",
    "TestDataQueues",
    "TestSetExecutions",
    "TestSetSchedules",
    "TestSets",
    "Users",
    "Webhooks",
)
ORCHESTRATOR_SCOPES = frozenset(
    {"OR.Default"}
    | {f"OR.{area}{suffix}" for area in _ORCHESTRATOR_AREAS for suffix in ("", ".Read", ".Write")}
)
IDENTITY_SCOPES = frozenset(
    {
        "openid",
        "profile",
        "email",
        "offline_access",
        "tenant",
        "IdentityServerApi",
        "OrchestratorApiUserAccess",
        "ConnectionService",
        "OMS",
    }
)
KNOWN_SCOPES = ORCHESTRATOR_SCOPES | IDENTITY_SCOPES


def unknown_scope_message(scope: str) -> str:
    """Why `scope` is refused, with the closest known scope when there is one."""
    message = f"{scope!r} is not an Orchestrator or Identity scope"
    closest = difflib.get_close_matches(scope, sorted(KNOWN_SCOPES), n=1, cutoff=0.6)
    if closest:
        message += f"; did you mean {closest[0]!r}?"
    return message
