"""Orchestrator's errors, defined once: codes, statuses, texts, and the two body shapes.

Most errors are `{"message", "errorCode", "traceId"}` (camelCase, as captured). A valid token
without the operation's OAuth scope gets ASP.NET Boilerplate's envelope instead, as captured
from the cloud (`orchestrator-core-facts.md` section 0.1). The core raises these; the web edge
renders them (`ApiError.body`).
"""

from collections.abc import Mapping
from typing import Any

INVALID_REQUEST = 1000
"""Invalid request or OData query (`InvalidRequest`)."""
NAME_ALREADY_USED = 1001
ITEM_NOT_FOUND = 1002
INVALID_ARGUMENT = 1009
DUPLICATE_REFERENCE = 1016
FOLDER_NOT_FOUND = 1100
FOLDER_REQUIRED = 1101

NOT_AUTHENTICATED = "You are not authenticated!"
NOT_AUTHORIZED = "You are not authorized!"
NOT_ALLOWED_DETAILS = "You are not allowed to perform this operation."


class ApiError(Exception):
    """An answer in Orchestrator's error shape: `{"message", "errorCode", "traceId"}`."""

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

    def body(self, trace_id: str) -> dict[str, Any]:
        """The JSON body of the answer."""
        return {"message": self.message, "errorCode": self.error_code, "traceId": trace_id}


class NotAuthorizedError(ApiError):
    """403 for a valid token lacking the operation's scope, in ASP.NET Boilerplate's envelope."""

    def __init__(self) -> None:
        super().__init__(403, NOT_AUTHORIZED, 0)

    def body(self, trace_id: str) -> dict[str, Any]:
        """The ABP envelope, key order as captured (no trace id in it)."""
        return {
            "message": NOT_AUTHORIZED,
            "errorCode": 0,
            "result": None,
            "targetUrl": None,
            "success": False,
            "error": {
                "code": 0,
                "message": NOT_AUTHORIZED,
                "details": NOT_ALLOWED_DETAILS,
                "validationErrors": None,
            },
            "unAuthorizedRequest": True,
            "__abp": True,
        }


def bad_request(message: str, error_code: int = INVALID_REQUEST) -> ApiError:
    """400: an invalid request or query (errorCode 1000 unless said otherwise)."""
    return ApiError(400, message, error_code)


def not_found(message: str) -> ApiError:
    """404 with `ItemNotFound` (1002)."""
    return ApiError(404, message, ITEM_NOT_FOUND)


def conflict(message: str, error_code: int = NAME_ALREADY_USED) -> ApiError:
    """409 with `NameAlreadyUsed` (1001) unless said otherwise."""
    return ApiError(409, message, error_code)


def unavailable(message: str) -> ApiError:
    """503: the emulator could not carry out the request (e.g. its state could not be saved)."""
    return ApiError(503, message, 0, {"Retry-After": "1"})


def organization_not_found(name: str) -> ApiError:
    """404 for an organization the world does not have."""
    return ApiError(404, f"Organization '{name}' does not exist.")


def tenant_not_found(organization: str, name: str) -> ApiError:
    """404 for a tenant the organization does not have."""
    return ApiError(404, f"Tenant '{name}' does not exist in organization '{organization}'.")


def folder_required() -> ApiError:
    """400/1101: a folder-scoped operation without any folder header."""
    return ApiError(400, "A folder is required for this action.", FOLDER_REQUIRED)


def folder_not_accessible() -> ApiError:
    """400/1100: the folder header names no folder the caller may use."""
    return ApiError(
        400,
        "Folder does not exist or the user does not have access to the folder.",
        FOLDER_NOT_FOUND,
    )
