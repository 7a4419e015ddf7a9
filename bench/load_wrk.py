"""Load with `wrk --latency` and a Lua script carrying the method, headers and body."""

import json
import re
import subprocess
import tempfile
from pathlib import Path

from bench.common import HOST, Request
from bench.load import LoadResult

_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}
_DURATION = re.compile(r"([\d.]+)(us|ms|s|m)\b")


def lua_script(request: Request) -> str:
    """A wrk script that sends `request` (JSON strings are valid Lua string literals here)."""
    lines = [f"wrk.method = {json.dumps(request.method)}"]
    if request.body:
        lines.append(f"wrk.body = {json.dumps(request.body.decode('latin-1'))}")
    for name, value in request.headers.items():
        lines.append(f"wrk.headers[{json.dumps(name)}] = {json.dumps(value)}")
    return "\n".join(lines) + "\n"


def _ms(text: str) -> float:
    match = _DURATION.fullmatch(text.strip())
    if match is None:
        raise ValueError(f"not a wrk duration: {text!r}")
    return float(match.group(1)) * _UNITS_MS[match.group(2)]


def parse_wrk(output: str, connections: int, seconds: float) -> LoadResult:
    """The numbers of a `wrk --latency` report."""
    percentiles = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", output, re.MULTILINE))
    total = re.search(r"(\d+) requests in ([\d.]+\w+)", output)
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    if not (total and rate and "50" in percentiles and "99" in percentiles):
        raise RuntimeError(f"cannot parse wrk output:\n{output}")
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", output)) + sum(
        int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", output)
    )
    return LoadResult(
        tool="wrk",
        connections=connections,
        seconds=_ms(total.group(2)) / 1000,
        requests=int(total.group(1)),
        errors=errors,
        rps=float(rate.group(1)),
        p50_ms=_ms(percentiles["50"]),
        p99_ms=_ms(percentiles["99"]),
    )


def _wrk(script: Path, url: str, connections: int, seconds: float) -> str:
    command = [
        "wrk",
        f"-t{min(connections, 2)}",
        f"-c{connections}",
        f"-d{max(1, round(seconds))}s",
        "--timeout",
        "10s",
        "--latency",
        "-s",
        str(script),
    ]
    completed = subprocess.run(  # noqa: S603 - fixed argv, loopback only
        [*command, url], capture_output=True, text=True, timeout=seconds + 30, check=False
    )
    if completed.returncode != 0:
        raise RuntimeError(f"wrk failed ({completed.returncode}): {completed.stderr.strip()}")
    return completed.stdout


def run_wrk(port: int, request: Request, connections: int, seconds: float) -> LoadResult:
    """One measured `wrk --latency` run (whole seconds, at least 1)."""
    url = f"http://{HOST}:{port}{request.path}"
    with tempfile.TemporaryDirectory(prefix="bench-wrk-") as folder:
        script = Path(folder) / "request.lua"
        script.write_text(lua_script(request), encoding="utf-8")
        return parse_wrk(_wrk(script, url, connections, seconds), connections, seconds)
