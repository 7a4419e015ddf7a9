"""Where the time goes: cProfile of the two requests, and micro-costs of candidate changes.

    python -m bench.profiling [--calls N] [--scale]

Prints the top functions of `GET Machines` (50) and `POST token` straight through the WSGI app
(no socket), then microseconds per call of the operations the optimisation proposals target.
Profiles are saved as `bench/results/*.prof` (open with `python -m pstats` or snakeviz).
"""

import argparse
import copy
import cProfile
import io
import json
import pstats
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from werkzeug.test import EnvironBuilder

from bench.baseline_app import create_app
from bench.common import MACHINES_PATH, TOKEN_FORM, TOKEN_PATH, bench_env
from bench.worlds import world_document
from uipath_emulator.mock_server.emulator import Emulator
from uipath_emulator.mock_server.identity.tokens import (
    SigningKey,
    access_token_claims,
    sign_access_token,
)
from uipath_emulator.mock_server.jsonio import dump_json
from uipath_emulator.mock_server.resources import default_world_path
from uipath_emulator.mock_server.transports.inprocess import call_wsgi
from uipath_emulator.mock_server.world.files import read_world_document

RESULTS = Path(__file__).resolve().parent / "results"


def _environ(method: str, path: str, **kwargs: Any) -> dict[str, Any]:
    builder = EnvironBuilder(path=path, method=method, base_url="http://127.0.0.1:8080", **kwargs)
    return builder.get_environ()


def _token_environ() -> dict[str, Any]:
    return _environ(
        "POST", TOKEN_PATH, data=TOKEN_FORM, content_type="application/x-www-form-urlencoded"
    )


def best_us(call: Callable[[], object], calls: int, rounds: int = 5) -> float:
    """Best round's mean microseconds per call."""
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        for _ in range(calls):
            call()
        best = min(best, (time.perf_counter() - started) / calls * 1e6)
    return best


def _profile(name: str, call: Callable[[], object], calls: int, top: int = 18) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(calls):
        call()
    profiler.disable()
    RESULTS.mkdir(parents=True, exist_ok=True)
    profiler.dump_stats(RESULTS / f"{name}.prof")
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("tottime").print_stats(top)
    print(f"\n== cProfile {name}: {calls} calls, top {top} by own time")
    lines = out.getvalue().splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip().startswith("ncalls"))
    print("\n".join(lines[start:]))


def _micro(calls: int) -> list[tuple[str, float]]:
    emulator = Emulator(world=world_document(50, rich=True))
    app = emulator.app
    status, _, body = call_wsgi(app, _token_environ())
    assert status == 200
    token = json.loads(body)["access_token"]
    auth = {"Authorization": f"Bearer {token}"}
    status, headers, machines_body = call_wsgi(app, _environ("GET", MACHINES_PATH, headers=auth))
    assert status == 200
    content_type = dict(headers)["Content-Type"]
    payload = json.loads(machines_body)
    static = create_app(
        {
            f"GET {MACHINES_PATH}": (content_type, machines_body),
            f"POST {TOKEN_PATH}": ("application/json", body),
        }
    )
    rows: list[tuple[str, float]] = []

    def wsgi(target: Any, make: Callable[[], dict[str, Any]]) -> Callable[[], object]:
        return lambda: call_wsgi(target, make())

    get_env = lambda: _environ("GET", MACHINES_PATH, headers=auth)  # noqa: E731
    rows.append(("environ building (subtract from the WSGI rows)", best_us(get_env, calls)))
    rows.append(
        ("GET Machines, emulator app (WSGI, 50 machines)", best_us(wsgi(app, get_env), calls))
    )
    rows.append(
        ("GET Machines, static Flask app, same bytes (WSGI)", best_us(wsgi(static, get_env), calls))
    )
    tiny_env = lambda: _environ(  # noqa: E731
        "GET", MACHINES_PATH, query_string="$top=1&$select=Id", headers=auth
    )
    rows.append(
        (
            "GET Machines?$top=1&$select=Id, emulator (fixed per-request cost)",
            best_us(wsgi(app, tiny_env), calls),
        )
    )
    rows.append(("POST token, emulator app (WSGI)", best_us(wsgi(app, _token_environ), calls // 2)))
    rows.append(
        ("POST token, static Flask app (WSGI)", best_us(wsgi(static, _token_environ), calls))
    )
    rows.append(
        ("dump_json(50-machine body), stdlib json", best_us(lambda: dump_json(payload), calls))
    )
    try:
        import orjson

        rows.append(("orjson.dumps(same body)", best_us(lambda: orjson.dumps(payload), calls)))
    except ImportError:
        rows.append(("orjson.dumps(same body): orjson not installed", float("nan")))
    records = list(emulator.world.organizations[0].tenants[0].entities["Machines"].snapshot())
    from uipath_emulator.mock_server.orchestrator.entities.machines import MACHINES
    from uipath_emulator.mock_server.orchestrator.odata.selection import project
    from uipath_emulator.mock_server.orchestrator.representation import item, response_headers

    rows.append(
        (
            "build items: item(MACHINES, project(r)) x50 (a listing's rows, before its cache)",
            best_us(lambda: [item(MACHINES, project(r, None)) for r in records], calls),
        )
    )
    rows.append(
        ("response_headers() (uuid4 X-Correlation-Id)", best_us(response_headers, calls * 10))
    )
    verifier = emulator.verifier
    now = emulator.clock.now()
    rows.append(
        (
            "TokenVerifier.verify, cached token",
            best_us(lambda: verifier.verify(token, now), calls * 10),
        )
    )
    from uipath_emulator.mock_server.control.journal import redact_authorization, redact_query

    rows.append(
        (
            "journal: now_datetime().isoformat + redact (per request)",
            best_us(
                lambda: (
                    emulator.clock.now_datetime().isoformat(timespec="milliseconds"),
                    redact_query(""),
                    redact_authorization(auth["Authorization"]),
                ),
                calls * 10,
            ),
        )
    )
    key = emulator.signing_key
    claims = access_token_claims(
        issuer="http://x/identity_",
        client_id="c",
        organization_id="o",
        scopes=("OR.Machines",),
        now=1,
        lifetime=3600,
    )
    rows.append(
        (
            "sign_access_token (RS256 sign, GIL held)",
            best_us(lambda: sign_access_token(key, claims), calls // 2),
        )
    )
    document = read_world_document(default_world_path())
    rows.append(
        (
            "Emulator(world=default world document) (checks, copies, stores)",
            best_us(lambda: Emulator(world=document), max(20, calls // 50)),
        )
    )
    rows.append(
        (
            "copy.deepcopy(default world document)",
            best_us(lambda: copy.deepcopy(document), max(20, calls // 50)),
        )
    )
    from uipath_emulator.mock_server.world import load_world

    rows.append(
        (
            "load_world(default world) (checks + build)",
            best_us(lambda: load_world(document, emulator.registry), max(20, calls // 50)),
        )
    )
    from uipath_emulator.mock_server.web.app import create_app as create_emulator_app

    rows.append(
        (
            "create_app(emulator) (Flask app + blueprints)",
            best_us(lambda: create_emulator_app(emulator), max(20, calls // 50)),
        )
    )
    rows.append(("SigningKey.generate() (once per process)", best_us(SigningKey.generate, 5, 3)))
    _profile("get_machines", wsgi(app, get_env), calls)
    _profile("post_token", wsgi(app, _token_environ), calls // 2)
    return rows


def _imports() -> tuple[list[tuple[str, float]], list[tuple[str, float]]]:
    """`import uipath_emulator.mock_server.cli.main` under `-X importtime`: the heaviest modules
    (cumulative ms) and the self time (ms) summed per top-level package."""
    completed = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import uipath_emulator.mock_server.cli.main"],
        capture_output=True,
        text=True,
        check=True,
        env=bench_env(),
        timeout=60,
    )
    cumulative: list[tuple[str, float]] = []
    by_package: dict[str, float] = {}
    for line in completed.stderr.splitlines():
        parts = line.split("|")
        if len(parts) != 3 or not parts[1].strip().isdigit():
            continue
        name = parts[2].rstrip()
        cumulative.append((name, int(parts[1]) / 1000))
        package = name.strip().split(".")[0]
        own = int(parts[0].split(":")[1]) / 1000
        by_package[package] = by_package.get(package, 0.0) + own
    cumulative.sort(key=lambda item: -item[1])
    packages = sorted(by_package.items(), key=lambda item: -item[1])
    return cumulative[:20], packages[:15]


def _scale(machines: int) -> None:
    emulator = Emulator(world=world_document(machines, rich=False))
    _, _, body = call_wsgi(emulator.app, _token_environ())
    auth = {"Authorization": f"Bearer {json.loads(body)['access_token']}"}
    for query in ("$orderby=Name desc&$top=10", f"$filter=Name eq 'machine-{machines // 2:06d}'"):
        _profile(
            f"scale_{machines}_{query.split('=')[0].strip('$')}",
            lambda q=query: call_wsgi(
                emulator.app, _environ("GET", MACHINES_PATH, query_string=q, headers=auth)
            ),
            5,
            top=10,
        )


def main() -> None:
    """Print the profiles and the micro-cost table."""
    parser = argparse.ArgumentParser(prog="python -m bench.profiling")
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--scale", type=int, default=0, help="also profile a world of N machines")
    args = parser.parse_args()
    rows = _micro(args.calls)
    print("\n== micro-costs (best of 5 rounds, mean per call)")
    for name, micros in rows:
        print(f"{micros:10.1f} us  {name}")
    print("\n== import time of the CLI module (cumulative ms, heaviest first)")
    heaviest, packages = _imports()
    for name, millis in heaviest:
        print(f"{millis:8.1f} ms  {name}")
    print("\n== import self time per top-level package (ms)")
    for name, millis in packages:
        print(f"{millis:8.1f} ms  {name}")
    if args.scale:
        _scale(args.scale)


if __name__ == "__main__":
    main()
