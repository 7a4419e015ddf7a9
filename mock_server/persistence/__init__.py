"""Durable state (`--state FILE`): a snapshot of the world and an append-only journal of commits.

A write is acknowledged only once its commit is in the journal and flushed to disk; the journal
is folded into a new snapshot in the background when it grows, and at every start. A failed
save raises `PersistenceError` and changes nothing.
"""

from uipath_emulator.mock_server.persistence.durable import DurableState, PersistenceError

__all__ = ["DurableState", "PersistenceError"]
