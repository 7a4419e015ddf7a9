"""What the dashboard polls: the world in counts (no records), apps with secrets masked."""

from typing import Any

from uipath_emulator.mock_server.orchestrator.entities.registry import SECRET_MASK
from uipath_emulator.mock_server.world import World


def masked_secret(secret: str | None) -> str:
    """What is shown for an app's secret: a mask, never the secret."""
    return SECRET_MASK if secret is not None else "none (public client)"


def world_summary(world: World) -> list[dict[str, Any]]:
    """Organizations, their apps (secrets masked) and tenants with each set's count."""
    return [
        {
            "name": organization.name,
            "id": organization.id,
            "apps": [
                {
                    "name": app.name,
                    "client_id": app.client_id,
                    "secret": masked_secret(app.client_secret),
                    "scopes": " ".join(app.scopes),
                }
                for app in organization.apps
            ],
            "tenants": [
                {
                    "name": tenant.name,
                    "id": tenant.id,
                    "entities": {
                        store.name: {"count": len(store), "revision": store.revision}
                        for store in tenant.entities
                    },
                }
                for tenant in organization.tenants
            ],
        }
        for organization in world.organizations
    ]
