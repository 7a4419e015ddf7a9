"""How much the emulator stores in buckets (all of it is held in memory and in `--state`)."""

MAX_FILE_BYTES = 1024 * 1024
"""The largest file (1 MiB): the largest request body the emulator's transports read."""
MAX_STORED_BYTES = 64 * 1024 * 1024
"""The most file bytes one emulator holds, over every tenant (64 MiB)."""
