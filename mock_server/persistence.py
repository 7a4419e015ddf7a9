"""The optional state file: the world written back atomically after every change."""

import json
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any


class StateFile:
    """A world document on disk, replaced whole on each save so a crash never leaves half of it."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()

    def exists(self) -> bool:
        """Whether there is a saved state to start from."""
        return self.path.exists()

    def save(self, snapshot: Callable[[], dict[str, Any]]) -> None:
        """Write what `snapshot()` returns to a temporary file, then rename it over the state file.

        The snapshot is taken under the lock, so concurrent saves land in order and the file
        always ends up holding the latest state.
        """
        temporary = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        with self._lock:
            data = json.dumps(snapshot(), ensure_ascii=False, indent=1).encode("utf-8")
            with temporary.open("wb") as stream:
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
            os.replace(temporary, self.path)
            if hasattr(os, "O_DIRECTORY"):
                directory = os.open(self.path.parent, os.O_DIRECTORY)
                try:
                    os.fsync(directory)
                finally:
                    os.close(directory)

    def __repr__(self) -> str:
        return f"<StateFile {self.path}>"
