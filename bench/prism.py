"""Stoplight Prism as a second baseline: a static OpenAPI mock of the same two requests."""

import json
import os
import shutil
import subprocess
from pathlib import Path

from bench.common import MACHINES_PATH, TOKEN_PATH, Answer

PACKAGE = "@stoplight/prism-cli"


def npx_env() -> dict[str, str]:
    """npm without prompts or update checks."""
    return {
        "npm_config_yes": "true",
        "npm_config_update_notifier": "false",
        "NO_UPDATE_NOTIFIER": "1",
    }


def available(timeout: float) -> tuple[bool, str]:
    """Whether `npx` can run Prism (installing it into npx's cache first); `(ok, why)`."""
    npx = shutil.which("npx")
    if npx is None:
        return False, "npx not found on PATH"
    try:
        completed = subprocess.run(  # noqa: S603 - fixed argv
            [npx, "-y", PACKAGE, "--version"],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            env={**os.environ, **npx_env()},
        )
    except subprocess.TimeoutExpired:
        return False, f"npx could not install/run {PACKAGE} within {timeout:.0f} s"
    if completed.returncode != 0:
        reason = (completed.stderr or completed.stdout).strip().splitlines()[-1:] or ["?"]
        return False, f"npx {PACKAGE} failed: {reason[0]}"
    return True, f"Prism {completed.stdout.strip()}"


def write_spec(path: Path, machines: Answer, token: Answer) -> Path:
    """A minimal OpenAPI 3 document whose two operations answer the emulator's bodies."""

    def operation(description: str, answer: Answer) -> dict[str, object]:
        example = json.loads(answer.body)
        content = {"application/json": {"example": example}}
        return {"responses": {"200": {"description": description, "content": content}}}

    token_operation = operation("token", token)
    token_operation["requestBody"] = {
        "content": {"application/x-www-form-urlencoded": {"schema": {"type": "object"}}}
    }
    document = {
        "openapi": "3.0.3",
        "info": {"title": "uipath-cloud-emulator bench (static)", "version": "1"},
        "paths": {
            MACHINES_PATH: {"get": operation("machines", machines)},
            TOKEN_PATH: {"post": token_operation},
        },
    }
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def command(spec: Path, port: int) -> list[str]:
    """Prism serving `spec` statically on 127.0.0.1:`port`, logging errors only."""
    npx = shutil.which("npx") or "npx"
    return [
        npx,
        "-y",
        PACKAGE,
        "mock",
        "-h",
        "127.0.0.1",
        "-p",
        str(port),
        "-v",
        "error",
        str(spec),
    ]
