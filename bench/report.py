"""Result rows, the printed table and the JSON file."""

import json
import math
import os
import platform
import sys
from dataclasses import asdict, dataclass
from importlib import metadata
from pathlib import Path
from typing import Any, Literal

Op = Literal["<=", ">="]


@dataclass(frozen=True)
class Target:
    """A bound on the ratio (`on="ratio"`) or on our value itself (`on="ours"`)."""

    op: Op
    bound: float
    on: Literal["ratio", "ours"] = "ratio"

    def holds(self, value: float) -> bool:
        """Whether `value` meets the target."""
        return value <= self.bound if self.op == "<=" else value >= self.bound

    def text(self, unit: str) -> str:
        """`<= 1.5x` for ratios, `<= 0.5 s` for values."""
        if self.on == "ratio":
            return f"{self.op} {self.bound:g}x"
        return f"{self.op} {self.bound:g} {unit}".rstrip()


@dataclass
class Row:
    """One measured metric: ours, the baseline, their ratio and the target."""

    scenario: str
    metric: str
    unit: str
    ours: float | None
    baseline: float | None = None
    baseline_name: str = ""
    target: Target | None = None
    note: str = ""

    @property
    def ratio(self) -> float | None:
        """ours / baseline."""
        if self.ours is None or not self.baseline:
            return None
        return self.ours / self.baseline

    @property
    def met(self) -> bool | None:
        """Whether the target holds (None: no target or nothing measured)."""
        if self.target is None:
            return None
        value = self.ratio if self.target.on == "ratio" else self.ours
        if value is None or math.isnan(value):
            return None
        return self.target.holds(value)

    def as_dict(self) -> dict[str, Any]:
        """The row for the JSON file."""
        data = asdict(self)
        data["target"] = self.target.text(self.unit) if self.target else None
        data["ratio"] = self.ratio
        data["met"] = self.met
        return data


def _number(value: float | None, unit: str) -> str:
    if value is None or math.isnan(value):
        return "-"
    text = (
        f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.3g}" if value < 10 else f"{value:.1f}"
    )
    return f"{text} {unit}".rstrip()


def table(rows: list[Row]) -> str:
    """A Markdown table of the rows."""
    header = "| scenario | metric | ours | baseline | ratio | target | met? |"
    lines = [header, "|---|---|---|---|---|---|---|"]
    for row in rows:
        baseline = _number(row.baseline, row.unit)
        if row.baseline is not None and row.baseline_name:
            baseline = f"{baseline} ({row.baseline_name})"
        ratio = "-" if row.ratio is None else f"{row.ratio:.2f}x"
        met = {True: "yes", False: "**NO**", None: ""}[row.met]
        target = row.target.text(row.unit) if row.target else ""
        metric = f"{row.metric} ({row.note})" if row.note else row.metric
        lines.append(
            f"| {row.scenario} | {metric} | {_number(row.ours, row.unit)} | {baseline} | "
            f"{ratio} | {target} | {met} |"
        )
    return "\n".join(lines)


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _version(package: str) -> str | None:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def machine_info() -> dict[str, Any]:
    """What the run ran on."""
    packages = ("uipath-cloud-emulator", "flask", "werkzeug", "waitress", "granian", "requests")
    return {
        "platform": platform.platform(),
        "cpu": _cpu_model(),
        "cpus": os.cpu_count(),
        "python": sys.version.split()[0],
        "packages": {name: _version(name) for name in packages},
    }


def write_json(path: Path, rows: list[Row], extra: dict[str, Any]) -> None:
    """Write every row plus run metadata to `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    document = {**extra, "machine": machine_info(), "rows": [row.as_dict() for row in rows]}
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")
