"""`--record DIR`: each response written as JSON, with per-run values replaced by placeholders."""

import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests

RECORDED_HEADERS = (
    "Content-Type",
    "OData-Version",
    "Cache-Control",
    "Pragma",
    "WWW-Authenticate",
    "Location",
    "Retry-After",
)
_ID_KEYS = frozenset({"Id", "MachineId", "RobotId", "ParentId", "OrganizationUnitId"})
_SECRET_KEYS = frozenset({"ClientSecret", "client_secret", "access_token"})
_PATTERNS = [
    (re.compile(r"eyJ[\w-]+\.[\w-]+\.[\w-]*"), "<jwt>"),
    (re.compile(r"00-[0-9a-f]{32}-[0-9a-f]{16}-00"), "<trace-id>"),
    (
        re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"),
        "<guid>",
    ),
    (re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?"), "<timestamp>"),
    (re.compile(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}:\d{2}"), "<timestamp>"),
    (re.compile(r"(Machines|Assets|Folders)\(\d+L?\)"), r"\1(<id>)"),
    (re.compile(r"contract-test-[0-9a-f]+"), "contract-test-<suffix>"),
    (re.compile(r"([?&](?:sig|X-Amz-Signature|Signature)=)[^&\"\s]+"), r"\1<signature>"),
]


class Normaliser:
    """Replaces what differs from run to run and target to target with stable placeholders."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url.rstrip("/")

    def text(self, value: str) -> str:
        """A string with base URL, tokens, trace ids, GUIDs, times and ids replaced."""
        value = value.replace(self.base_url, "<base>")
        for pattern, placeholder in _PATTERNS:
            value = pattern.sub(placeholder, value)
        return value

    def value(self, value: Any, key: str | None = None) -> Any:
        """A JSON value normalised recursively."""
        if key in _SECRET_KEYS and value is not None:
            return "<secret>"
        if key in _ID_KEYS and isinstance(value, int):
            return "<id>"
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, list):
            return [self.value(item) for item in value]
        if isinstance(value, dict):
            return {k: self.value(v, k) for k, v in value.items()}
        return value

    def response(self, response: requests.Response) -> dict[str, Any]:
        """Status, selected headers and body of a response, normalised."""
        request = response.request
        url = urlsplit(request.url or "")
        try:
            body: Any = response.json()
        except ValueError:
            body = response.text or None
        return {
            "request": {
                "method": request.method,
                "path": self.text(f"{url.scheme}://{url.netloc}{url.path}"),
            },
            "status": response.status_code,
            "headers": {
                name: self.text(response.headers[name])
                for name in RECORDED_HEADERS
                if name in response.headers
            },
            "body": self.value(body),
        }


class Recorder:
    """Writes one JSON file a response, under `directory/<test name>/<n>.json`."""

    def __init__(self, directory: Path, base_url: str) -> None:
        self.directory = directory
        self.normaliser = Normaliser(base_url)
        self._test: str | None = None
        self._count = 0

    def start(self, test_name: str) -> None:
        """Responses from now on belong to this test."""
        self._test = re.sub(r"[^\w.\-\[\]]+", "_", test_name)
        self._count = 0

    def __call__(self, response: requests.Response) -> None:
        if self._test is None:
            return
        self._count += 1
        path = self.directory / self._test / f"{self._count:03d}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        record = self.normaliser.response(response)
        path.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
