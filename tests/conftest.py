"""Shared fixtures of the unit tests: a fresh emulator and a Flask test client on it."""

import os

import pytest
from flask.testing import FlaskClient
from hypothesis import settings

from uipath_emulator.mock_server import Emulator

settings.register_profile("mutation", derandomize=True, database=None)
if "MUTANT_UNDER_TEST" in os.environ:
    # Under mutmut (tests/mutation/run.py) every run tries the same examples and saves none, so
    # whether a mutant is killed does not depend on chance or on the mutants tested before it.
    settings.load_profile("mutation")


@pytest.fixture
def emulator() -> Emulator:
    """A fresh emulator on the well-known default world."""
    return Emulator()


@pytest.fixture
def http(emulator: Emulator) -> FlaskClient:
    """A Flask test client talking to `emulator`'s app."""
    return emulator.app.test_client()
