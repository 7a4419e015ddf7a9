"""Orchestrator's error shape (also the gateway's own 404s): message, errorCode, traceId."""

from collections.abc import Mapping


class ApiError(Exception):
    """An answer in Orchestrator's error shape: `{"message", "errorCode", "traceId"}`.

    Raised by the core and by routes, rendered in one place (`uipath_emulator.mock_server.web.app`).
    """

    def __init__(
        self,
        status: int,
        message: str,
        error_code: int = 0,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.error_code = error_code
        self.headers = dict(headers or {})


def organization_not_found(name: str) -> ApiError:
    """404 for an organization the world does not have."""
    return ApiError(404, f"Organization '{name}' does not exist.")


def tenant_not_found(organization: str, name: str) -> ApiError:
    """404 for a tenant the organization does not have."""
    return ApiError(404, f"Tenant '{name}' does not exist in organization '{organization}'.")
