"""The README's "Testing code that starts jobs" example, run as a reader would paste it."""

from pathlib import Path

from tests.test_readme import fenced_blocks, run_pytest

SECTION = "Testing code that starts jobs"


def test_jobs_example_passes_as_written(tmp_path: Path) -> None:
    """The section's pytest module passes (5 tests) with warnings as errors, in a fresh process."""
    (block,) = fenced_blocks(SECTION, "python")
    (tmp_path / "test_jobs_example.py").write_text(block, encoding="utf-8")
    run = run_pytest(tmp_path)
    assert run.returncode == 0, run.stdout[-3000:]
    assert "5 passed" in run.stdout
