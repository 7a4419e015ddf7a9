"""What an action or function of an entity set is given, and what it answers (no HTTP here)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from uipath_emulator.mock_server.orchestrator.entities.registry import Action, EntitySet
    from uipath_emulator.mock_server.orchestrator.folders.access import Caller, FolderScope
    from uipath_emulator.mock_server.orchestrator.storage.signing import UriSigner
    from uipath_emulator.mock_server.world.store import TenantStores


@dataclass(frozen=True)
class ActionContext:
    """One call of an action: the set, the tenant's stores, the entity key, the request."""

    entity_set: EntitySet
    stores: TenantStores
    body: bytes
    key: Any = None
    """The bound entity's key, for `Set(key)/Action`."""
    parameters: Mapping[str, str] = field(default_factory=dict)
    """Function parameters from the path (`GetByKey(identifier=...)`) and the query string."""
    claims: Mapping[str, Any] = field(default_factory=dict)
    now: float = 0.0
    service_root: str = ""
    """`{base}/{org}/{tenant}/orchestrator_/odata`, for URLs in answers."""
    caller: Caller | None = None
    scope: FolderScope | None = None
    """The folder(s) of a folder-scoped action, from its headers."""
    signer: UriSigner | None = None
    """The emulator's signer of pre-signed blob URIs."""


@dataclass(frozen=True)
class ActionResult:
    """An action's answer: status, a JSON body (or none), extra headers."""

    status: int = 200
    body: Any = None
    headers: Mapping[str, str] = field(default_factory=dict)


ActionHandler = Callable[[ActionContext], ActionResult]


def post_action(
    name: str,
    handler: ActionHandler,
    *,
    route: str,
    on_entity: bool = False,
    status: int = 200,
) -> Action:
    """A POST action at `route` (its path under `orchestrator_/`, `<key>` for the entity's key,
    as the spec writes it but for the key's brackets), taking a JSON object."""
    from uipath_emulator.mock_server.orchestrator.entities.registry import Action

    return Action(
        name=name,
        method="POST",
        spec_path=route.replace("<key>", "{key}"),
        handler=handler,
        on_entity=on_entity,
        route=route,
        success_status=status,
        request_schema={"type": "object"},
    )
