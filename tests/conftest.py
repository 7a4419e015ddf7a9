"""Shared fixtures of the unit tests: a fresh emulator and a Flask test client on it."""

import pytest
from flask.testing import FlaskClient

from uipath_emulator.mock_server import Emulator


@pytest.fixture
def emulator() -> Emulator:
    """A fresh emulator on the well-known default world."""
    return Emulator()


@pytest.fixture
def http(emulator: Emulator) -> FlaskClient:
    """A Flask test client talking to `emulator`'s app."""
    return emulator.app.test_client()
