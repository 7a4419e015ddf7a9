"""uipath-cloud-emulator: an offline UiPath Automation Cloud (Identity, Orchestrator Machines)."""

from uipath_emulator.mock_server.clock import Clock
from uipath_emulator.mock_server.emulator import Emulator
from uipath_emulator.mock_server.world import WorldError

__all__ = ["Clock", "Emulator", "WorldError"]
