"""What both transports put on every answer, whichever serves it."""

SERVER_HEADER = "uipath-mock"
"""The `Server` header both modes send (waitress's `ident`), so their headers are the same."""
