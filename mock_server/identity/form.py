"""Strict parsing of an `application/x-www-form-urlencoded` token request body."""

import re
from urllib.parse import unquote_to_bytes

from uipath_emulator.mock_server.identity.errors import INVALID_REQUEST, OAuthError

_BAD_PERCENT = re.compile(rb"%(?![0-9A-Fa-f]{2})")


def parse_form(body: bytes) -> dict[str, str]:
    """The form's fields; raises `OAuthError(invalid_request)` for a body that is not a valid form.

    Raw spaces are accepted (the getting-started guide's curl sends `scope=A B` unencoded).
    Broken percent-escapes, bytes that are not UTF-8, and a parameter given twice with
    different values are rejected: RFC 6749 section 3.2 says parameters must not repeat.
    Empty fields (`code=&refresh_token=`, as UiPath's Go CLI sends) count as absent.
    """
    if _BAD_PERCENT.search(body):
        raise OAuthError(INVALID_REQUEST, "The request body has an invalid percent-encoding.")
    fields: dict[str, str] = {}
    for pair in body.split(b"&"):
        if not pair:
            continue
        raw_name, _, raw_value = pair.partition(b"=")
        try:
            name = _decode(raw_name)
            value = _decode(raw_value)
        except UnicodeDecodeError:
            raise OAuthError(INVALID_REQUEST, "The request body is not valid UTF-8.") from None
        if not value:
            continue
        if name in fields and fields[name] != value:
            raise OAuthError(INVALID_REQUEST, f"The parameter '{name}' is repeated.")
        fields[name] = value
    return fields


def _decode(raw: bytes) -> str:
    return unquote_to_bytes(raw.replace(b"+", b" ")).decode("utf-8")
