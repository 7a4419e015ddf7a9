"""The baseline server: a minimal Flask app answering the two routes with fixed bodies.

    python -m bench.baseline_app --bodies FILE --port PORT [--threads 8]

`FILE` is JSON `{"METHOD /path": {"content_type": ..., "body_b64": ...}}`, holding the exact
bytes the emulator answered. It is served by waitress configured like `uipath-mock`'s.
"""

import argparse
import base64
import json
import os
from pathlib import Path
from typing import Any

from flask import Flask, Response, request

from uipath_emulator.mock_server.web.serving import SERVER_HEADER


def static_bodies(path: str | Path) -> dict[str, tuple[str, bytes]]:
    """`{"METHOD /path": (content type, body)}` from a bodies file."""
    document: dict[str, Any] = json.loads(Path(path).read_text(encoding="utf-8"))
    return {
        route: (entry["content_type"], base64.b64decode(entry["body_b64"]))
        for route, entry in document.items()
    }


def write_bodies(path: Path, bodies: dict[str, tuple[str, bytes]]) -> None:
    """Write a bodies file for `static_bodies`."""
    document = {
        route: {"content_type": ctype, "body_b64": base64.b64encode(body).decode("ascii")}
        for route, (ctype, body) in bodies.items()
    }
    path.write_text(json.dumps(document), encoding="utf-8")


def create_app(bodies: dict[str, tuple[str, bytes]]) -> Flask:
    """A Flask app with one view per route, each returning its fixed body."""
    app = Flask("bench_baseline")
    for number, (route, (content_type, body)) in enumerate(bodies.items()):
        method, path = route.split(" ", 1)

        def view(content_type: str = content_type, body: bytes = body) -> Response:
            request.get_data()  # read the request body, as any real handler must
            return Response(body, content_type=content_type)

        app.add_url_rule(path, f"route{number}", view, methods=[method])
    return app


def granian_app() -> Flask:
    """Factory for granian: the bodies file comes from `BENCH_BODIES`."""
    return create_app(static_bodies(os.environ["BENCH_BODIES"]))


def main() -> None:
    """Serve the baseline with waitress until terminated."""
    parser = argparse.ArgumentParser(prog="python -m bench.baseline_app")
    parser.add_argument("--bodies", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--threads", type=int, default=8)
    args = parser.parse_args()
    from waitress.server import create_server

    server = create_server(
        create_app(static_bodies(args.bodies)),
        host="127.0.0.1",
        port=args.port,
        threads=args.threads,
        ident=SERVER_HEADER,
        log_socket_errors=False,
        clear_untrusted_proxy_headers=True,
    )
    server.run()


if __name__ == "__main__":
    main()
