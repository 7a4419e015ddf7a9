"""`uipath-client`: check UiPath credentials and list machines from a terminal.

Credentials come from UIPATH_URL, UIPATH_CLIENT_ID, UIPATH_CLIENT_SECRET and optional
UIPATH_SCOPES. Exit status: 0 success, 1 the service or network failed, 2 bad usage or settings.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from ._client import UiPathClient
from ._errors import ConfigurationError, UiPathError
from ._version import __version__

EXIT_FAILURE = 1
EXIT_USAGE = 2
TABLE_COLUMNS = ("Id", "Name", "Type", "Scope")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = _parser().parse_args(argv)
    with _logging_to_stderr(enabled=args.verbose):
        return _run(args)


def _run(args: argparse.Namespace) -> int:
    try:
        with UiPathClient.from_env() as uipath:
            if args.command == "token":
                _print_token(uipath)
            else:
                _print_machines(uipath, filter_=args.filter, top=args.top, as_json=args.json)
    except ConfigurationError as exc:
        _print_error(exc)
        return EXIT_USAGE
    except UiPathError as exc:
        _print_error(exc)
        return EXIT_FAILURE
    return 0


@contextmanager
def _logging_to_stderr(*, enabled: bool) -> Iterator[None]:
    """Send the client's debug log to stderr while the command runs, when asked to."""
    if not enabled:
        yield
        return
    client_logger = logging.getLogger(__package__)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(name)s %(levelname)s: %(message)s"))
    previous_level = client_logger.level
    client_logger.addHandler(handler)
    client_logger.setLevel(logging.DEBUG)
    try:
        yield
    finally:
        client_logger.removeHandler(handler)
        client_logger.setLevel(previous_level)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="uipath-client",
        description="Check UiPath Automation Cloud credentials and list Orchestrator machines.",
        epilog="Reads UIPATH_URL (https://cloud.uipath.com/{org}/{tenant}), UIPATH_CLIENT_ID, "
        "UIPATH_CLIENT_SECRET and optional UIPATH_SCOPES (space-separated).",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="log requests to stderr (never secrets)"
    )
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("token", help="request a token; print its expiry and scopes, not its value")
    machines = commands.add_parser("machines", help="Orchestrator machines")
    machine_commands = machines.add_subparsers(dest="machines_command", required=True)
    listing = machine_commands.add_parser("list", help="list machines")
    listing.add_argument("--filter", help="OData $filter, e.g. \"Type eq 'Standard'\"")
    listing.add_argument("--top", type=int, help="at most this many machines (default: all)")
    listing.add_argument("--json", action="store_true", help="print the machines as JSON")
    return parser


def _print_token(uipath: UiPathClient) -> None:
    token = uipath.token()
    expires_at = datetime.fromtimestamp(token.expires_at, UTC).isoformat(timespec="seconds")
    print(f"token_type: {token.token_type}")
    print(f"expires_in: {token.expires_in:g}")
    print(f"expires_at: {expires_at}")
    print(f"scope: {' '.join(token.scopes)}")


def _print_machines(
    uipath: UiPathClient, *, filter_: str | None, top: int | None, as_json: bool
) -> None:
    if top is None:
        machines = list(uipath.machines.iter(filter=filter_))
    else:
        machines = uipath.machines.list(filter=filter_, top=top).items
    if as_json:
        print(json.dumps(machines, indent=2))
    else:
        print(_table(machines))


def _table(machines: list[dict[str, Any]]) -> str:
    rows = [TABLE_COLUMNS] + [
        tuple(_cell(machine.get(column)) for column in TABLE_COLUMNS) for machine in machines
    ]
    widths = [max(len(row[index]) for row in rows) for index in range(len(TABLE_COLUMNS))]
    rows.insert(1, tuple("-" * width for width in widths))
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    )


def _cell(value: object) -> str:
    return "" if value is None else str(value)


def _print_error(exc: UiPathError) -> None:
    print(f"error: {' '.join(str(exc).split())}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
