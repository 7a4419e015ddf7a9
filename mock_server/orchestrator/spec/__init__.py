"""Orchestrator's own API description (UiPath.WebApi 20.0), as far as the emulator uses it."""
