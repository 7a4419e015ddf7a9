"""pytest plugin registered through the `pytest11` entry point: emulator fixtures for users' tests."""

import pytest


def pytest_configure(config: pytest.Config) -> None:
    """Declare the plugin's markers so that `--strict-markers` accepts them."""
    config.addinivalue_line(
        "markers", "uipath_world(path): load this world file into the emulator fixtures"
    )
