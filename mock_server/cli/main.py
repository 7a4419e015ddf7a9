"""`uipath-mock`: serve an emulator over HTTP with waitress, a production WSGI server."""

import argparse
import signal
import sys
from collections.abc import Sequence
from types import FrameType
from typing import TYPE_CHECKING, NoReturn

from uipath_emulator.mock_server.cli.banner import ProxySetup, start_banner
from uipath_emulator.mock_server.control.hosts import is_loopback_name
from uipath_emulator.mock_server.emulator import DEFAULT_TOKEN_LIFETIME, Emulator
from uipath_emulator.mock_server.identity.tokens import SigningKey
from uipath_emulator.mock_server.persistence import PersistenceError
from uipath_emulator.mock_server.tls import CAError, CertificateAuthority, default_ca_dir
from uipath_emulator.mock_server.transports.server import (
    DEFAULT_CONNECTION_LIMIT,
    DEFAULT_IDLE_TIMEOUT,
    EmulatorServer,
)
from uipath_emulator.mock_server.world import WorldError

if TYPE_CHECKING:  # imported when `--proxy-port` asks for it: it brings requests and httpx
    from uipath_emulator.mock_server.transports.proxy import ProxyServer

USAGE_ERROR = 2


class _OneLineParser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.exit(USAGE_ERROR, f"{self.prog}: error: {message} (see --help)\n")


def _port(text: str) -> int:
    port = int(text)
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{text} is not a TCP port (0 picks a free one)")
    return port


def _positive(text: str) -> int:
    value = int(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"{text} is not a positive number of seconds")
    return value


def build_parser() -> argparse.ArgumentParser:
    """The command line of `uipath-mock`."""
    parser = _OneLineParser(
        prog="uipath-mock",
        description="Serve the UiPath Automation Cloud emulator (Identity token endpoint and "
        "Orchestrator Machines API).",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=_port, default=8080, help="port (default 8080; 0 = free)")
    parser.add_argument(
        "--world", metavar="FILE", help="world file (default: the well-known world)"
    )
    parser.add_argument(
        "--token-lifetime",
        type=_positive,
        default=DEFAULT_TOKEN_LIFETIME,
        metavar="SECONDS",
        help=f"access token lifetime (default {DEFAULT_TOKEN_LIFETIME})",
    )
    parser.add_argument(
        "--signing-key", metavar="PEM", help="RSA private key to sign tokens with (default: new)"
    )
    parser.add_argument("--threads", type=_positive, default=8, help="worker threads (default 8)")
    parser.add_argument(
        "--connection-limit",
        type=_positive,
        default=DEFAULT_CONNECTION_LIMIT,
        metavar="N",
        help=f"open connections served at once (default {DEFAULT_CONNECTION_LIMIT})",
    )
    parser.add_argument(
        "--idle-timeout",
        type=_positive,
        default=DEFAULT_IDLE_TIMEOUT,
        metavar="SECONDS",
        help=f"close keep-alive connections idle this long (default {DEFAULT_IDLE_TIMEOUT})",
    )
    parser.add_argument(
        "--state",
        metavar="FILE",
        help="load the world from FILE if it exists and write it back after every change",
    )
    parser.add_argument(
        "--proxy-port",
        type=_port,
        metavar="PORT",
        help="also run an HTTPS proxy on PORT that answers clients hard-coding "
        "https://cloud.uipath.com from this emulator (0 = free)",
    )
    parser.add_argument(
        "--ca-dir",
        metavar="DIR",
        help=f"the proxy's CA folder, made on first use (default {default_ca_dir()})",
    )
    control = parser.add_mutually_exclusive_group()
    control.add_argument(
        "--control-token",
        metavar="TOKEN",
        help="require 'Authorization: Bearer TOKEN' on /_emulator/ (and allow it off loopback)",
    )
    control.add_argument("--no-control", action="store_true", help="turn /_emulator/ off")
    return parser


def _fail(message: str) -> NoReturn:
    print(f"uipath-mock: error: {message}", file=sys.stderr)
    raise SystemExit(USAGE_ERROR)


def is_loopback(host: str) -> bool:
    """Whether `host` only accepts connections from this machine."""
    return is_loopback_name(host.strip("[]").lower())


def _allow_open_files(needed: int) -> None:
    """Raise this process's open-file limit towards `needed` (POSIX), within the hard limit."""
    try:
        import resource
    except ImportError:  # Windows has no such limit to raise
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = needed if hard == resource.RLIM_INFINITY else min(needed, hard)
    if soft != resource.RLIM_INFINITY and soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))


def _stop_on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def _certificate_authority(args: argparse.Namespace) -> CertificateAuthority | None:
    """The proxy's CA (made on first use) when `--proxy-port` is given; a folder that cannot be
    used stops the start with the reason."""
    if args.proxy_port is None:
        if args.ca_dir is not None:
            _fail("--ca-dir is the proxy's CA folder: give --proxy-port too")
        return None
    folder = args.ca_dir or str(default_ca_dir())
    try:
        return CertificateAuthority.load_or_create(folder)
    except CAError as error:
        _fail(str(error))
    except OSError as error:
        _fail(f"cannot use the CA folder {folder}: {error}")


def _start_proxy(
    emulator: Emulator, authority: CertificateAuthority, args: argparse.Namespace
) -> "ProxyServer | None":
    """The proxy of `--proxy-port`, serving; None (said on stderr) if it cannot listen."""
    from uipath_emulator.mock_server.transports.proxy import ProxyServer

    try:
        proxy = ProxyServer(
            emulator,
            authority,
            host=args.host,
            port=args.proxy_port,
            connection_limit=args.connection_limit,
            idle_timeout=args.idle_timeout,
        )
    except OSError as error:
        print(
            f"uipath-mock: error: cannot listen on {args.host}:{args.proxy_port} "
            f"(--proxy-port): {error}",
            file=sys.stderr,
        )
        return None
    return proxy.start()


def _proxy_setup(proxy: "ProxyServer | None") -> ProxySetup | None:
    if proxy is None:
        return None
    environment = proxy.environment()
    return ProxySetup(
        proxy.url, environment["NO_PROXY"], proxy.authority.cert_path, proxy.authority.bundle_path
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the emulator until Ctrl-C or SIGTERM; returns the process exit code."""
    args = build_parser().parse_args(argv)
    authority = _certificate_authority(args)
    try:
        signing_key = SigningKey.from_pem_file(args.signing_key) if args.signing_key else None
    except (OSError, ValueError) as error:
        _fail(f"cannot use --signing-key {args.signing_key}: {error}")
    control_enabled = not args.no_control and (
        is_loopback(args.host) or args.control_token is not None
    )
    try:
        emulator = Emulator(
            args.world,
            token_lifetime=args.token_lifetime,
            signing_key=signing_key,
            state_file=args.state,
            control_enabled=control_enabled,
            control_token=args.control_token,
        )
    except WorldError as error:
        _fail(str(error))
    except (OSError, PersistenceError) as error:
        _fail(f"cannot use --state {args.state}: {error}")
    _allow_open_files(args.connection_limit * (1 if args.proxy_port is None else 2) + 64)
    try:
        server = EmulatorServer(
            emulator,
            host=args.host,
            port=args.port,
            threads=args.threads,
            connection_limit=args.connection_limit,
            idle_timeout=args.idle_timeout,
        )
    except OSError as error:
        print(
            f"uipath-mock: error: cannot listen on {args.host}:{args.port}: {error}",
            file=sys.stderr,
        )
        return 1
    proxy = None
    if authority is not None:
        proxy = _start_proxy(emulator, authority, args)
        if proxy is None:
            server.stop()
            return 1
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    banner = start_banner(
        server.base_url, emulator.world, control_enabled=control_enabled, proxy=_proxy_setup(proxy)
    )
    print(banner, flush=True)
    if not control_enabled:
        print("uipath-mock: control plane /_emulator/ is off", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        if proxy is not None:
            proxy.stop()
        server.stop()
    print("uipath-mock: stopped", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
