"""Error mapping: statuses to exception classes, and the Orchestrator error body to attributes."""

from __future__ import annotations

import pytest
import responses

from tests.client.fakes import MACHINES_URL, TRACE_ID, add_tokens, orchestrator_error
from uipath_emulator import client
from uipath_emulator.client import (
    APIError,
    BadRequestError,
    ConflictError,
    ForbiddenError,
    NotFoundError,
    RateLimitedError,
    ServerError,
    UiPathClient,
    UiPathError,
    UnauthorizedError,
    UnexpectedResponseError,
)
from uipath_emulator.client import _errors as errors_module

MACHINE_URL = f"{MACHINES_URL}(999)"


@pytest.fixture(autouse=True)
def _token(rsps: responses.RequestsMock) -> None:
    """Every test here starts with a working token endpoint."""
    add_tokens(rsps)


@pytest.mark.parametrize(
    ("status", "error_class"),
    [
        (400, BadRequestError),
        (401, UnauthorizedError),
        (403, ForbiddenError),
        (404, NotFoundError),
        (409, ConflictError),
        (429, RateLimitedError),
        (500, ServerError),
        (503, ServerError),
        (422, APIError),
    ],
)
def test_status_maps_to_its_exception_class_with_the_body_fields(
    rsps: responses.RequestsMock, uipath: UiPathClient, status: int, error_class: type[APIError]
) -> None:
    """Each status raises its class carrying status, errorCode, message and traceId."""
    rsps.get(MACHINE_URL, **orchestrator_error(status, "Machine does not exist.", 1002))
    with pytest.raises(error_class) as caught:
        uipath.machines.get(999)
    error = caught.value
    assert type(error) is error_class
    assert (error.status, error.error_code, error.message, error.trace_id) == (
        status,
        1002,
        "Machine does not exist.",
        TRACE_ID,
    )
    assert (error.method, error.url) == ("GET", MACHINE_URL)


def test_error_text_names_request_status_message_code_and_trace(
    rsps: responses.RequestsMock, uipath: UiPathClient
) -> None:
    """`str(error)` is one line naming the request, status, message, errorCode and traceId."""
    rsps.get(MACHINE_URL, **orchestrator_error(404, "Machine does not exist.", 1002))
    with pytest.raises(NotFoundError) as caught:
        uipath.machines.get(999)
    assert str(caught.value) == (
        f"HTTP 404 GET {MACHINE_URL}: Machine does not exist. (errorCode 1002, traceId {TRACE_ID})"
    )


def test_pascal_case_error_bodies_are_read_too(
    rsps: responses.RequestsMock, uipath: UiPathClient
) -> None:
    """The spec's PascalCase `Message`/`ErrorCode`/`TraceId` fill the same attributes."""
    body = {"Message": "Name already used.", "ErrorCode": 1001, "TraceId": TRACE_ID}
    rsps.post(MACHINES_URL, status=409, json=body)
    with pytest.raises(ConflictError) as caught:
        uipath.machines.create({"Name": "taken"})
    assert (caught.value.message, caught.value.error_code, caught.value.trace_id) == (
        "Name already used.",
        1001,
        TRACE_ID,
    )


def test_non_json_error_bodies_become_a_one_line_message(
    rsps: responses.RequestsMock, uipath: UiPathClient
) -> None:
    """An HTML error page gives a whitespace-collapsed, shortened message and no errorCode."""
    page = "<html>\n  <body>\n    <h1>403 Forbidden</h1>" + " padding" * 100 + "</body></html>"
    rsps.get(MACHINE_URL, status=403, body=page, content_type="text/html")
    with pytest.raises(ForbiddenError) as caught:
        uipath.machines.get(999)
    assert caught.value.message is not None
    assert caught.value.message.startswith("<html> <body> <h1>403 Forbidden</h1>")
    assert "\n" not in str(caught.value)
    assert len(caught.value.message) <= 300
    assert caught.value.error_code is None


def test_empty_401_body_takes_its_message_from_the_bearer_challenge(
    rsps: responses.RequestsMock, uipath: UiPathClient
) -> None:
    """With no body, a 401's message is the `error_description` of `WWW-Authenticate`."""
    challenge = 'Bearer error="invalid_token", error_description="The token expired"'
    rsps.get(MACHINE_URL, status=401, headers={"WWW-Authenticate": challenge})
    with pytest.raises(UnauthorizedError) as caught:
        uipath.machines.get(999)
    assert caught.value.message == "The token expired"


def test_empty_error_body_falls_back_to_the_reason_phrase(
    rsps: responses.RequestsMock, uipath: UiPathClient
) -> None:
    """With no body and no challenge, the message is the HTTP reason phrase."""
    rsps.get(MACHINE_URL, status=404)
    with pytest.raises(NotFoundError) as caught:
        uipath.machines.get(999)
    assert caught.value.message == "Not Found"


def test_success_without_a_json_object_is_an_unexpected_response(
    rsps: responses.RequestsMock, uipath: UiPathClient
) -> None:
    """A 200 whose body is not a JSON object raises `UnexpectedResponseError`, not a JSON error."""
    rsps.get(MACHINE_URL, body="<html>login page</html>", content_type="text/html")
    with pytest.raises(UnexpectedResponseError) as caught:
        uipath.machines.get(999)
    assert caught.value.status == 200


def test_every_exception_is_exported_drawn_in_the_docstring_and_a_uipath_error() -> None:
    """Each exception class of the errors module is exported, drawn, and derives `UiPathError`."""
    drawing = errors_module.__doc__ or ""
    defined = [
        item
        for item in vars(errors_module).values()
        if isinstance(item, type) and issubclass(item, Exception)
    ]
    assert len(defined) == 14
    for exception in defined:
        assert issubclass(exception, UiPathError)
        assert exception.__name__ in client.__all__
        assert exception.__name__ in drawing.split()
