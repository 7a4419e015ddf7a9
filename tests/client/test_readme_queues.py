"""The README's queue example of the bundled client, run as written against the emulator."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from uipath_emulator.client import UiPathClient

README = Path(__file__).resolve().parents[2] / "README.md"


def queue_example() -> str:
    """The first python block after the client section's `Queues:` paragraph."""
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## The bundled client\n") :]
    after = section[section.index("\nQueues: `uipath.queues`") :]
    match = re.search(r"```python\n(.*?)```", after, flags=re.DOTALL)
    assert match is not None
    return match.group(1)


def test_readme_queue_example_runs(
    uipath_client: UiPathClient, capsys: pytest.CaptureFixture[str]
) -> None:
    """The example adds INV-7..9, finishes INV-7 as the robot and prints the New items."""
    exec(queue_example(), {"uipath": uipath_client})  # noqa: S102 - the README's own example
    printed = capsys.readouterr().out.splitlines()
    assert printed == [
        f"{reference} Normal"
        for reference in ("INV-1001", "INV-1002", "INV-1003", "INV-8", "INV-9")
    ]
    done = uipath_client.queues.list_items(filter="Reference eq 'INV-7'").items
    assert [item["Status"] for item in done] == ["Successful"]
