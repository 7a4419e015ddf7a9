"""The emulated cloud's state: organizations, their apps and tenants, and each tenant's records."""

from uipath_emulator.mock_server.world.loader import WorldError, dump_world, load_world
from uipath_emulator.mock_server.world.model import App, Organization, Tenant, World
from uipath_emulator.mock_server.world.store import EntityStore, TenantStores

__all__ = [
    "App",
    "EntityStore",
    "Organization",
    "Tenant",
    "TenantStores",
    "World",
    "WorldError",
    "dump_world",
    "load_world",
]
