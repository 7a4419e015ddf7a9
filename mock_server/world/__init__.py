"""The emulated cloud's state: organizations, their apps and tenants, and each tenant's machines."""

from uipath_emulator.mock_server.world.loader import WorldError, dump_world, load_world
from uipath_emulator.mock_server.world.machines import MachineStore
from uipath_emulator.mock_server.world.model import App, Organization, Tenant, World

__all__ = [
    "App",
    "MachineStore",
    "Organization",
    "Tenant",
    "World",
    "WorldError",
    "dump_world",
    "load_world",
]
