"""How long and how often each scenario measures: `--quick` (smoke test, < 2 min) or full."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Settings:
    """Counts and durations of one run; every load and every loop is bounded by them."""

    quick: bool
    inprocess_calls: int
    inprocess_rounds: int
    load_seconds: float
    load_repeats: int
    warmup_seconds: float
    connections: tuple[int, ...]
    granian_connections: tuple[int, ...]
    startup_runs: int
    inprocess_startup_runs: int
    scale_sizes: tuple[int, ...]
    scale_calls: int
    scale_seconds_per_query: float
    rich_world_load: bool
    persistence_writes: int
    prism_install_timeout: float


QUICK = Settings(
    quick=True,
    inprocess_calls=300,
    inprocess_rounds=5,
    load_seconds=2.0,
    load_repeats=1,
    warmup_seconds=0.5,
    connections=(2, 8),
    granian_connections=(8,),
    startup_runs=3,
    inprocess_startup_runs=15,
    scale_sizes=(1_000, 10_000, 100_000),
    scale_calls=15,
    scale_seconds_per_query=1.5,
    rich_world_load=False,
    persistence_writes=50,
    prism_install_timeout=60.0,
)

FULL = Settings(
    quick=False,
    inprocess_calls=1000,
    inprocess_rounds=9,
    load_seconds=4.0,
    load_repeats=3,
    warmup_seconds=0.5,
    connections=(2, 8),
    granian_connections=(2, 8),
    startup_runs=9,
    inprocess_startup_runs=50,
    scale_sizes=(1_000, 10_000, 100_000),
    scale_calls=60,
    scale_seconds_per_query=5.0,
    rich_world_load=True,
    persistence_writes=300,
    prism_install_timeout=180.0,
)
