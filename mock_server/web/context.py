"""Which emulator a request is for: one Flask app serves every emulator of a process.

Building a Flask app (compiling its URL rules) costs far more than an `Emulator` itself, so the
app is built once per registry and each emulator's WSGI callable (`EmulatorApp`) puts itself in
the request's environ before handing it on.
"""

from typing import TYPE_CHECKING, Any

from flask import request

if TYPE_CHECKING:
    from uipath_emulator.mock_server.emulator import Emulator

EMULATOR = "uipath_emulator.emulator"
"""WSGI environ key of the `Emulator` a request is for."""


def current_emulator() -> "Emulator":
    """The emulator serving the current request."""
    return emulator_of(request.environ)


def emulator_of(environ: dict[str, Any]) -> "Emulator":
    """The emulator a WSGI environ is for."""
    emulator: Emulator = environ[EMULATOR]
    return emulator
