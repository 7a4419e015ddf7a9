"""`python -m bench [--quick]`: run the scenarios, print the table, write the JSON file."""

import argparse
import importlib.util
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from bench import prism
from bench.load import choose_tool
from bench.report import Row, table, write_json
from bench.settings import FULL, QUICK

SCENARIOS = (
    "inprocess",
    "server",
    "startup",
    "scale",
    "persistence",
    "proxy",
    "queues",
    "jobs",
    "buckets",
)
RESULTS = Path(__file__).resolve().parent / "results"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="short runs (< 2 min), a smoke test")
    parser.add_argument(
        "--only", default=",".join(SCENARIOS), help=f"comma list of {', '.join(SCENARIOS)}"
    )
    parser.add_argument(
        "--loadgen",
        choices=("auto", "wrk", "python"),
        default="auto",
        help="load generator (auto: wrk when on PATH, else the Python one)",
    )
    parser.add_argument("--no-prism", action="store_true", help="skip the Prism baseline")
    parser.add_argument("--no-granian", action="store_true", help="skip the granian comparison")
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help="JSON file (default bench/results/latest.json, plus quick.json or full.json)",
    )
    return parser


def _load_average() -> float | None:
    """The 1-minute load average (other processes share the machine), where the OS has one."""
    try:
        return os.getloadavg()[0]
    except (AttributeError, OSError):
        return None


def main() -> None:
    """Run, print, write."""
    args = _parser().parse_args()
    settings = QUICK if args.quick else FULL
    chosen = {name.strip() for name in args.only.split(",") if name.strip()}
    unknown = chosen - set(SCENARIOS)
    if unknown:
        raise SystemExit(f"bench: unknown scenario(s) {sorted(unknown)}; pick from {SCENARIOS}")
    started = time.perf_counter()
    load_before = _load_average()
    tool, tool_text = choose_tool(args.loadgen)
    rows: list[Row] = []
    notes: list[str] = []
    details: dict[str, Any] = {"loads": []}
    print(
        f"bench: {'quick' if args.quick else 'full'} run; load generator: {tool_text}", flush=True
    )
    with tempfile.TemporaryDirectory(prefix="uipath-bench-") as folder:
        workdir = Path(folder)
        if "inprocess" in chosen:
            from bench import scenario_inprocess

            print("scenario 1: in-process", flush=True)
            rows += scenario_inprocess.run(settings)
        if "server" in chosen:
            from bench import scenario_server

            prism_status = (False, "--no-prism given")
            if not args.no_prism:
                print("scenario 2: checking that npx can run Prism ...", flush=True)
                prism_status = prism.available(settings.prism_install_timeout)
            details["prism"] = prism_status[1]
            granian = "--no-granian given" if args.no_granian else ""
            if not granian and importlib.util.find_spec("granian") is None:
                granian = "granian is not installed (pip install granian)"
            print("scenario 2: server", flush=True)
            server_rows, server_notes = scenario_server.run(
                settings, tool, workdir, prism_status, details["loads"], granian
            )
            rows += server_rows
            notes += server_notes
        if "startup" in chosen:
            from bench import scenario_startup

            print("scenario 3: start-up", flush=True)
            rows += scenario_startup.run(settings, workdir)
        if "scale" in chosen:
            from bench import scenario_scale

            print("scenario 4: scale", flush=True)
            rows += scenario_scale.run(settings, workdir, details)
        if "persistence" in chosen:
            from bench import scenario_persistence

            print("scenario 5: persistence", flush=True)
            rows += scenario_persistence.run(settings, workdir)
        if "proxy" in chosen:
            from bench import scenario_proxy

            print("scenario 6: HTTPS proxy", flush=True)
            rows += scenario_proxy.run(settings, workdir)
        if "queues" in chosen:
            from bench import scenario_queues

            print("scenario 7: queues", flush=True)
            rows += scenario_queues.run(settings)
        if "jobs" in chosen:
            from bench import scenario_jobs

            print("scenario 8: jobs", flush=True)
            rows += scenario_jobs.run(settings)
        if "buckets" in chosen:
            from bench import scenario_buckets

            print("scenario 9: buckets", flush=True)
            rows += scenario_buckets.run(settings)
    wall = time.perf_counter() - started
    text = table(rows)
    print()
    print(f"load generator: {tool_text}")
    print(text)
    for note in notes:
        print(f"note: {note}")
    missed = [row for row in rows if row.met is False]
    print(f"targets: {sum(row.met is True for row in rows)} met, {len(missed)} missed")
    print(f"wall time: {wall:.1f} s")
    load_after = _load_average()
    if load_before is not None and load_after is not None:
        print(f"machine load average (1 min) at start {load_before:.2f}, at end {load_after:.2f}")
    extra = {
        "mode": "quick" if args.quick else "full",
        "load_generator": tool_text,
        "wall_seconds": wall,
        "load_average_start_end": [load_before, load_after],
        "notes": notes,
        "details": details,
    }
    outputs = (
        [args.out] if args.out else [RESULTS / "latest.json", RESULTS / f"{extra['mode']}.json"]
    )
    for out in outputs:
        write_json(out, rows, extra)
        out.with_suffix(".md").write_text(text + "\n", encoding="utf-8")
    print(f"results: {', '.join(str(out) for out in outputs)}")


if __name__ == "__main__":
    main()
