"""The README's examples, run as a reader would paste them: the curl session and the pytest one."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.subprocess_helpers import EmulatorProcess

README = Path(__file__).resolve().parents[1] / "README.md"


def fenced_blocks(section: str, language: str) -> list[str]:
    """The ```language blocks of one `## section` of the README, in order."""
    text = README.read_text(encoding="utf-8")
    start = text.index(f"## {section}\n")
    end = text.find("\n## ", start + 1)
    body = text[start : end if end != -1 else len(text)]
    return re.findall(rf"```{language}\n(.*?)```", body, flags=re.DOTALL)


def run_pytest(folder: Path) -> subprocess.CompletedProcess[str]:
    """pytest run in `folder` by this interpreter, quietly, with warnings as errors."""
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-W", "error"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.mark.skipif(
    shutil.which("curl") is None or sys.platform == "win32", reason="needs curl and bash"
)
def test_curl_session_works_twice_in_a_row() -> None:
    """The guide's two requests, the Machines, folders-and-assets and buckets examples, pasted
    twice, each answer as shown."""
    script = "".join(
        fenced_blocks("The guide's two requests, against the emulator", "sh")
        + fenced_blocks("Machines API", "sh")
        + fenced_blocks("Folders and assets", "sh")
        + fenced_blocks("Storage buckets", "sh")
    )
    with EmulatorProcess() as server:
        session = script.replace("http://127.0.0.1:8080", server.base_url)
        for _ in range(2):
            run = subprocess.run(  # noqa: S603 - bash on the README's own commands, loopback only
                ["bash", "-euo", "pipefail", "-c", session],  # noqa: S607 - bash from PATH
                capture_output=True,
                text=True,
                timeout=120,
                check=False,
            )
            assert run.returncode == 0, run.stderr
            assert '"@odata.count":8' in run.stdout
            assert re.search(r"/odata/Machines\(\d+\)\n", run.stdout)
            assert '"Description":"patched"' in run.stdout
            assert '"FullyQualifiedName":"Finance/Invoices"' in run.stdout
            text_asset = (
                '"Name":"ApiBaseUrl","ValueType":"Text","Value":"https://api.example.invalid"'
            )
            assert text_asset in run.stdout
            assert run.stdout.count("emulator-credential-password") == 1
            assert "invoice,amount\nINV-1001,120.50\n" in run.stdout
            assert '{"FullPath":"/out/report.csv","Size":31}' in run.stdout
            assert "errorCode" not in run.stdout


def test_pytest_examples_pass(tmp_path: Path) -> None:
    """The "Testing your code" pytest module passes as written, with an empty world beside it."""
    (block,) = fenced_blocks("Testing your code", "python")
    (tmp_path / "test_readme_example.py").write_text(block, encoding="utf-8")
    (tmp_path / "worlds").mkdir()
    (tmp_path / "worlds" / "empty.json").write_text(
        '{"version": 1, "organizations": []}', encoding="utf-8"
    )
    run = run_pytest(tmp_path)
    assert run.returncode == 0, run.stdout[-3000:]
    assert "5 passed" in run.stdout
