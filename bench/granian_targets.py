"""WSGI factories for `granian --factory bench.granian_targets:NAME`, configured by env."""

import os

from flask import Flask

from bench.baseline_app import granian_app
from uipath_emulator.mock_server.emulator import Emulator


def emulator() -> Flask:
    """The emulator's app on the world file in `BENCH_WORLD`."""
    return Emulator(os.environ["BENCH_WORLD"]).app


def baseline() -> Flask:
    """The baseline app on the bodies file in `BENCH_BODIES`."""
    return granian_app()


def command(target: str, port: int, threads: int) -> list[str]:
    """The granian command line serving `target` ("emulator" or "baseline") in one worker."""
    import sys

    return [
        sys.executable,
        "-m",
        "granian",
        "--interface",
        "wsgi",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        "1",
        "--blocking-threads",
        str(threads),
        "--no-ws",
        "--log-level",
        "warning",
        "--factory",
        f"bench.granian_targets:{target}",
    ]
