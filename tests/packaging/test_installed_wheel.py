"""The wheel as a user installs it: one `uipath_emulator` namespace, beside the user's own modules.

The wheel is installed with pip, without the network, into a fresh virtual environment whose
dependencies (Flask, requests, pytest...) are this environment's, linked in one by one, leaving
out this project's own installed copy. A user project with its own `client.py` and
`mock_server.py` then runs the pytest plugin's three fixtures.
"""

import os
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
OWN_ENTRIES = ("uipath_emulator", "uipath_cloud_emulator", "_uipath_cloud_emulator")
USER_TEST = '''
from client import helper
from mock_server import VALUE


def test_own_modules_win(uipath_client):
    """The project's own client and mock_server modules are the ones imported."""
    assert (helper(), VALUE) == ("mine", 1)
    assert len(uipath_client.machines.list().items) == 8


def test_in_process_fixture(uipath_emulator):
    """The in-process emulator fixture works beside them."""
    import requests

    answer = requests.get("https://cloud.uipath.com/_emulator/health", timeout=10)
    assert answer.json() == {"status": "ok"}


def test_server_fixture(uipath_server):
    """The server fixture serves on loopback."""
    import requests

    answer = requests.get(uipath_server.base_url + "/_emulator/health", timeout=10)
    assert answer.status_code == 200
'''


def _wheel(tmp_path: Path) -> Path:
    given = os.environ.get("UIPATH_EMULATOR_WHEEL")
    if given:
        return Path(given)
    subprocess.run(  # noqa: S603 - this interpreter, this repository, no network
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "-q",
            "-w",
            str(tmp_path / "dist"),
            str(REPO),
        ],
        check=True,
    )
    return next((tmp_path / "dist").glob("uipath_cloud_emulator-*.whl"))


def _linked_dependencies(target: Path) -> None:
    """Every package of this environment, except this project's, linked into `target`."""
    target.mkdir()
    site = Path(sysconfig.get_paths()["purelib"])
    for entry in site.iterdir():
        if entry.name.startswith(OWN_ENTRIES) or entry.suffix == ".pth":
            continue
        (target / entry.name).symlink_to(entry)


@pytest.mark.skipif(sys.platform == "win32", reason="links the dependencies with symlinks")
def test_wheel_installs_under_one_namespace_beside_user_modules(tmp_path: Path) -> None:
    """Installed from the wheel, the plugin's fixtures work in a project with its own client.py."""
    wheel = _wheel(tmp_path)
    environment = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(environment)
    python = environment / "bin" / "python"
    dependencies = tmp_path / "deps"
    _linked_dependencies(dependencies)
    purelib = subprocess.run(  # noqa: S603 - the new environment's interpreter
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    Path(purelib, "dependencies.pth").write_text(f"{dependencies}\n", encoding="utf-8")
    subprocess.run(  # noqa: S603 - pip of the new environment, no index, no dependencies
        [str(python), "-m", "pip", "install", "-q", "--no-index", "--no-deps", str(wheel)],
        check=True,
    )
    installed = sorted(p.name for p in Path(purelib).iterdir() if not p.name.startswith("_"))
    assert "uipath_emulator" in installed
    assert not {"mock_server", "client", "contract_tests"} & set(installed)

    project = tmp_path / "project"
    project.mkdir()
    (project / "client.py").write_text('def helper():\n    return "mine"\n', encoding="utf-8")
    (project / "mock_server.py").write_text("VALUE = 1\n", encoding="utf-8")
    (project / "test_user.py").write_text(USER_TEST, encoding="utf-8")
    run = subprocess.run(  # noqa: S603 - the new environment's pytest on the user project
        [str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider", "-W", "error"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert "3 passed" in run.stdout
    suite = subprocess.run(  # noqa: S603 - the installed contract suite, in-process target only
        [
            str(python),
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-p",
            "uipath_emulator.contract_tests.options",
            "--pyargs",
            "uipath_emulator.contract_tests",
            "--target",
            "inprocess",
        ],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert suite.returncode == 0, suite.stdout[-3000:] + suite.stderr[-3000:]
    assert " passed" in suite.stdout
    mock = subprocess.run(  # noqa: S603 - the console script the wheel installed
        [str(environment / "bin" / "uipath-mock"), "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert mock.returncode == 0
    assert "usage: uipath-mock" in mock.stdout
