"""What both transports put on every answer, whichever serves it."""

SERVER_HEADER = "uipath-mock"
"""The `Server` header both modes send (waitress's `ident`), so their headers are the same."""

MAX_BODY_BYTES = 1024 * 1024
"""The largest request body the emulator reads; both transports refuse larger ones with 413."""
