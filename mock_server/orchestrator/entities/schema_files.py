"""The JSON Schema of world files, generated from the registry and committed for editors.

    python -m uipath_emulator.mock_server.orchestrator.entities.schema_files \\
        fixtures/schemas/world.schema.json

A test regenerates it and compares, so the committed file always matches the registry.
"""

import json
import sys
from pathlib import Path
from typing import Any

from uipath_emulator.mock_server.orchestrator.entities.catalog import default_registry
from uipath_emulator.mock_server.orchestrator.entities.registry import Registry
from uipath_emulator.mock_server.world.schema import world_schema


def world_file_schema(registry: Registry) -> dict[str, Any]:
    """The world document's schema with every registered set's record schema."""
    return world_schema({entity_set.name: entity_set.schema for entity_set in registry})


def render(schema: dict[str, Any]) -> str:
    """The schema as committed: two-space indents, a final newline."""
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str]) -> int:
    """Write the world schema of the default registry to `argv[0]`."""
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    Path(argv[0]).write_text(render(world_file_schema(default_registry())), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
