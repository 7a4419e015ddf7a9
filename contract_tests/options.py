"""The contract suite's command-line options, also a pytest plugin of its own.

From a checkout, `pytest contract_tests` registers them through the suite's `conftest.py`. An
installed suite is run with `--pyargs`, where pytest reads a package's conftest too late for
its options, so this module is given as a plugin first:

    pytest -p uipath_emulator.contract_tests.options --pyargs uipath_emulator.contract_tests \
        --target cloud
"""

import pytest


def add_contract_options(parser: pytest.Parser) -> None:
    """Register `--target` and `--record`."""
    group = parser.getgroup("uipath contract tests")
    group.addoption(
        "--target",
        default=None,
        help="comma-separated targets among inprocess,server,cloud (default: inprocess and "
        "server, and cloud when UIPATH_URL/UIPATH_CLIENT_ID/_SECRET are set; named "
        "explicitly, cloud must be configured)",
    )
    group.addoption(
        "--record",
        metavar="DIR",
        default=None,
        help="write every response, normalised, as JSON under DIR/<target>/",
    )


def pytest_addoption(parser: pytest.Parser) -> None:
    """Register the options when this module is loaded as a plugin (`-p`)."""
    add_contract_options(parser)
