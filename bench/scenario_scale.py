"""Scenario 4: worlds of 1k, 10k and 100k machines; p50 per query and process RSS.

Each world runs in its own process (`bench.scale_worker`), so RSS is that world's. Targets: a
page without filter or order grows at most 2x from the smallest to the largest world; filtered
or ordered queries at most linearly (the ratio of the world sizes).
"""

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from bench.common import REPO_ROOT, bench_env
from bench.report import Row, Target
from bench.scale_worker import queries
from bench.settings import Settings
from bench.worlds import write_world

SCENARIO = "4 scale"
LOAD_BEFORE_S = {"lean": 5.6, "rich": 22.0}
"""Seconds to load the 100k-machine world files before compiled per-record checks (README)."""
LOAD_SPEEDUP = 3
_UNFILTERED = {"$top=100", "$count=true&$top=1"}


def _worker(world: Path, machines: int, settings: Settings, *extra: str) -> dict[str, Any]:
    command = [
        sys.executable,
        "-m",
        "bench.scale_worker",
        "--world",
        str(world),
        "--machines",
        str(machines),
        "--calls",
        str(settings.scale_calls),
        "--seconds",
        str(settings.scale_seconds_per_query),
        *extra,
    ]
    completed = subprocess.run(  # noqa: S603 - fixed argv
        command,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        cwd=REPO_ROOT,
        env=bench_env(),
    )
    if completed.returncode != 0:
        raise RuntimeError(f"scale worker failed on {machines}: {completed.stderr[-2000:]}")
    return dict(json.loads(completed.stdout))


def run(settings: Settings, workdir: Path, details: dict[str, Any]) -> list[Row]:
    """Rows per world size and the growth rows with their targets."""
    sizes = settings.scale_sizes
    reports: dict[int, dict[str, Any]] = {}
    for size in sizes:
        world = write_world(workdir, size, rich=False)
        reports[size] = _worker(world, size, settings)
        world.unlink()
        print(f"  world {size:>7,}: loaded in {reports[size]['load_s']:.2f} s", flush=True)
    details["scale"] = {str(size): report for size, report in reports.items()}
    rows: list[Row] = []
    small, large = sizes[0], sizes[-1]
    for name in queries(small):
        for size in sizes:
            result = reports[size]["queries"][name]
            rows.append(
                Row(
                    SCENARIO,
                    f"{name} p50, {size:,} machines",
                    "ms",
                    result["p50_ms"],
                    note=f"{result['calls']} calls",
                )
            )
        growth_bound = 2.0 if name in _UNFILTERED else large / small
        rows.append(
            Row(
                SCENARIO,
                f"{name} p50 growth {small:,} -> {large:,}",
                "ms",
                reports[large]["queries"][name]["p50_ms"],
                reports[small]["queries"][name]["p50_ms"],
                f"{small:,} machines",
                Target("<=", growth_bound),
                "must not grow" if name in _UNFILTERED else "at most linear",
            )
        )
    for size in sizes:
        report = reports[size]
        validate = report.get("validate_s")
        share = f"of which checks {validate:.2f} s" if validate is not None else ""
        before = LOAD_BEFORE_S["lean"] if size == 100_000 else None
        rows.append(
            Row(
                SCENARIO,
                f"load world (lean records), {size:,} machines",
                "s",
                report["load_s"],
                before,
                "before (JSON Schema over the whole document)" if before else "",
                Target("<=", before / LOAD_SPEEDUP, "ours") if before else None,
                share,
            )
        )
        rows.append(
            Row(SCENARIO, f"process RSS, {size:,} machines", "MiB", report.get("rss_end_mib"))
        )
    if settings.rich_world_load:
        world = write_world(workdir, large, rich=True)
        rich = _worker(world, large, settings, "--load-only")
        world.unlink()
        details["scale_rich_load"] = rich
        validate = rich.get("validate_s")
        rows.append(
            Row(
                SCENARIO,
                f"load world (rich records), {large:,} machines",
                "s",
                rich["load_s"],
                LOAD_BEFORE_S["rich"] if large == 100_000 else None,
                "before (JSON Schema over the whole document)",
                Target("<=", LOAD_BEFORE_S["rich"] / LOAD_SPEEDUP, "ours")
                if large == 100_000
                else None,
                f"of which checks {validate:.1f} s" if validate else "",
            )
        )
        rows.append(
            Row(
                SCENARIO,
                f"process RSS after load (rich), {large:,} machines",
                "MiB",
                rich.get("rss_after_load_mib"),
            )
        )
    return rows
