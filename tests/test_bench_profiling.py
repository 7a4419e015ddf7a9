"""`python -m bench.profiling`, which the README points to for where the time goes, runs."""

import subprocess
import sys

from tests.subprocess_helpers import REPO_ROOT, child_env


def test_profiling_runs_and_reports_the_micro_costs() -> None:
    """The profiling script runs against the current engine and prints its micro-cost rows."""
    completed = subprocess.run(
        [sys.executable, "-m", "bench.profiling", "--calls", "20"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=REPO_ROOT,
        env=child_env({"PYTHONPATH": str(REPO_ROOT)}),
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    assert "== micro-costs" in completed.stdout
    assert "GET Machines, emulator app (WSGI, 50 machines)" in completed.stdout
    assert "sign_access_token (RS256 sign, GIL held)" in completed.stdout
