"""uipath-cloud-emulator: an offline emulator of UiPath Automation Cloud (Identity + Orchestrator Machines)."""
