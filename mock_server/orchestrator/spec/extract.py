"""Extract the committed spec subset from UiPath's Orchestrator API description (20.0).

    python -m uipath_emulator.mock_server.orchestrator.spec.extract \\
        fixtures/spec/orchestrator-webapi-20.0.openapi.json.gz \\
        fixtures/spec/orchestrator-subset.json

The source is `definitions/orchestrator.yaml` of UiPath/uipathcli (MIT), converted to JSON and
committed gzipped beside the subset. The subset keeps, for the entity sets the emulator serves
or will serve (`PATH_PREFIXES`), their paths and every schema those reach, plus the security
scheme; and, for every other path, only its methods' operation ids and summaries, so that a
request to an operation the emulator lacks can be named. A test re-runs this and compares.
"""

import gzip
import json
import sys
from pathlib import Path
from typing import Any

SOURCE = "UiPath/uipathcli definitions/orchestrator.yaml (UiPath.WebApi 20.0, MIT)"
PATH_PREFIXES = (
    "/odata/Machines",
    "/odata/Folders",
    "/api/Folders/",
    "/api/FoldersNavigation/",
    "/odata/Assets",
    "/odata/QueueDefinitions",
    "/odata/Queues",
    "/odata/QueueItems",
    "/odata/Releases",
    "/odata/Processes",
    "/odata/Jobs",
    "/odata/Buckets",
    "/api/Buckets/",
    "/odata/Robots",
    "/odata/Users",
)
_METHODS = ("get", "put", "post", "delete", "patch", "head", "options")
_REF = "#/components/schemas/"


def read_source(path: Path) -> dict[str, Any]:
    """The full API description, from `.json` or `.json.gz`."""
    data = path.read_bytes()
    if path.suffix == ".gz":
        data = gzip.decompress(data)
    document: dict[str, Any] = json.loads(data)
    return document


def _references(node: Any) -> set[str]:
    found: set[str] = set()
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, dict):
            ref = current.get("$ref")
            if isinstance(ref, str) and ref.startswith(_REF):
                found.add(ref.removeprefix(_REF))
            stack.extend(current.values())
        elif isinstance(current, list):
            stack.extend(current)
    return found


def _kept(path: str) -> bool:
    return path.startswith(PATH_PREFIXES)


def extract(document: dict[str, Any]) -> dict[str, Any]:
    """The subset: kept paths whole, their schemas (transitively), every other operation named."""
    schemas: dict[str, Any] = document["components"]["schemas"]
    paths = {path: item for path, item in document["paths"].items() if _kept(path)}
    wanted = _references(paths)
    closure: set[str] = set()
    while wanted:
        name = wanted.pop()
        if name in closure:
            continue
        closure.add(name)
        wanted |= _references(schemas[name]) - closure
    operations = {
        path: {
            method: {"operationId": op.get("operationId"), "summary": op.get("summary", "")}
            for method, op in item.items()
            if method in _METHODS
        }
        for path, item in document["paths"].items()
    }
    return {
        "source": SOURCE,
        "info": document["info"],
        "paths": paths,
        "components": {
            "schemas": {name: schemas[name] for name in sorted(closure)},
            "securitySchemes": document["components"]["securitySchemes"],
        },
        "operations": operations,
    }


def render(subset: dict[str, Any]) -> str:
    """The subset as committed: the source's order (member order is wire order), a final newline."""
    return json.dumps(subset, indent=1, ensure_ascii=False) + "\n"


def main(argv: list[str]) -> int:
    """Write the subset of `argv[0]` to `argv[1]`."""
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    Path(argv[1]).write_text(render(extract(read_source(Path(argv[0])))), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
