"""uipath-cloud-emulator: an offline UiPath Automation Cloud (Identity, Orchestrator Machines)."""

from mock_server.clock import Clock
from mock_server.emulator import Emulator
from mock_server.world import WorldError

__all__ = ["Clock", "Emulator", "WorldError"]
