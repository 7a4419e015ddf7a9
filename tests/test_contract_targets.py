"""The contract suite's `--target` option, run as a user runs it: `pytest contract_tests ...`."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CLOUD_VARIABLES = ("UIPATH_URL", "UIPATH_CLIENT_ID", "UIPATH_CLIENT_SECRET")


def run_suite(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """`pytest contract_tests ARGS` in a child process, with the cloud variables only from `env`."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith("UIPATH_")}
    environ.update(env)
    return subprocess.run(  # noqa: S603 - this interpreter's pytest on this repository
        [sys.executable, "-m", "pytest", "contract_tests", "-p", "no:cacheprovider", *args],
        cwd=REPO,
        env=environ,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.mark.parametrize(
    ("env", "complaint"),
    [
        ({}, "missing environment variables: UIPATH_URL, UIPATH_CLIENT_ID, UIPATH_CLIENT_SECRET"),
        (
            {
                "UIPATH_URL": "http://127.0.0.1:8080/acme",
                "UIPATH_CLIENT_ID": "x",
                "UIPATH_CLIENT_SECRET": "y",
            },
            "UIPATH_URL must look like https://cloud.uipath.com/{organization}/{tenant}, "
            "got 'http://127.0.0.1:8080/acme'",
        ),
        (
            {"UIPATH_URL": "https://cloud.uipath.com/acme/DefaultTenant"},
            "missing environment variables: UIPATH_CLIENT_ID, UIPATH_CLIENT_SECRET",
        ),
    ],
    ids=["nothing set", "URL without tenant", "no credentials"],
)
def test_explicit_cloud_target_without_configuration_is_a_usage_error(
    env: dict[str, str], complaint: str
) -> None:
    """`--target cloud` unconfigured exits non-zero with one line saying what is missing."""
    run = run_suite("--target", "cloud", **env)
    assert run.returncode == pytest.ExitCode.USAGE_ERROR
    errors = [line for line in run.stderr.splitlines() if line.startswith("ERROR:")]
    assert len(errors) == 1
    assert errors[0].startswith(f"ERROR: --target cloud is not configured: {complaint}")
    assert "passed" not in run.stdout


def test_default_run_leaves_the_cloud_out_in_one_line() -> None:
    """Without `--target`, an unconfigured cloud is named once in the header, never skipped."""
    run = run_suite("-q", "-rs", "-m", "not writes")
    assert run.returncode == 0, run.stdout[-2000:]
    assert run.stdout.count("cloud target not run (missing environment variables") == 1
    assert "[cloud]" not in run.stdout
    assert "SKIPPED" not in run.stdout
