"""Compatibility tests: UiPath clients written by others, run unchanged against the emulator."""
