"""The entity sets the emulator serves, in the order they are shown and documented."""

from functools import cache

from uipath_emulator.mock_server.orchestrator.entities.assets import ASSETS
from uipath_emulator.mock_server.orchestrator.entities.bucket_files import BUCKET_FILES
from uipath_emulator.mock_server.orchestrator.entities.buckets import BUCKETS
from uipath_emulator.mock_server.orchestrator.entities.folders import FOLDERS
from uipath_emulator.mock_server.orchestrator.entities.jobs import JOBS_SET
from uipath_emulator.mock_server.orchestrator.entities.machines import MACHINES
from uipath_emulator.mock_server.orchestrator.entities.processes import PROCESSES
from uipath_emulator.mock_server.orchestrator.entities.queue_definitions import QUEUE_DEFINITIONS
from uipath_emulator.mock_server.orchestrator.entities.queue_items import QUEUE_ITEMS
from uipath_emulator.mock_server.orchestrator.entities.registry import Registry
from uipath_emulator.mock_server.orchestrator.entities.releases import RELEASES
from uipath_emulator.mock_server.orchestrator.entities.robots import ROBOTS
from uipath_emulator.mock_server.orchestrator.entities.users import USERS


@cache
def default_registry() -> Registry:
    """The registry of every emulated entity set (built once per process)."""
    return Registry(
        [
            MACHINES,
            FOLDERS,
            ROBOTS,
            ASSETS,
            USERS,
            QUEUE_DEFINITIONS,
            QUEUE_ITEMS,
            PROCESSES,
            RELEASES,
            JOBS_SET,
            BUCKETS,
            BUCKET_FILES,
        ]
    )
