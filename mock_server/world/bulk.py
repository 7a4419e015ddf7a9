"""Building many objects at once without the cyclic garbage collector walking them."""

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0
_was_enabled = False


@contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic collection inside the block (nor in other threads while any such block runs).

    Reading a world allocates a few objects per record and frees almost none, so each
    collection finds nothing and yet walks every object built so far: for 100,000 machines
    that is a fifth of the load (0.33 of 1.55 s, measured). The collector is left as it was
    found once the last block ends (disabled stays disabled).
    """
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()
