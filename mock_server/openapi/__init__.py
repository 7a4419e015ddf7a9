"""The emulator's OpenAPI 3.0 document, Swagger UI to explore it, and the routes serving both."""

from uipath_emulator.mock_server.openapi.document import build_document

__all__ = ["build_document"]
