"""GUIDs read as .NET's `Guid.Parse` reads them: its four text forms, nothing else."""

import uuid

import pytest
from hypothesis import given
from hypothesis import strategies as st

from uipath_emulator.mock_server.world.dotnet import canonical_guid

GUID = "6F1D2B1E-0000-4000-8000-00000000000C"
CANONICAL = GUID.lower()


@pytest.mark.parametrize(
    "text",
    [GUID, GUID.replace("-", ""), "{" + GUID + "}", "(" + GUID + ")", f"'{GUID}'", f" {GUID} "],
    ids=["D", "N", "B", "P", "odata-quoted", "padded"],
)
def test_every_form_guid_parse_takes_is_read(text: str) -> None:
    """The D, N, B and P forms (and an OData-quoted or padded one) give the canonical GUID."""
    assert canonical_guid(text) == CANONICAL


@pytest.mark.parametrize(
    "text",
    [
        "urn:uuid:" + GUID,
        "{" + GUID + ")",
        GUID[:-1],
        "6F1D2B1E0-000-4000-8000-00000000000C",
        "\uff16" + GUID[1:],
        GUID + "0",
        "",
    ],
    ids=["urn", "mixed-brackets", "short", "hyphens-misplaced", "fullwidth-digit", "long", "empty"],
)
def test_forms_guid_parse_refuses_are_not_guids(text: str) -> None:
    """Text .NET refuses (a `urn:uuid:` prefix, misplaced hyphens, non-ASCII digits) is none,
    although Python's `uuid.UUID` reads some of it."""
    assert canonical_guid(text) is None


@given(st.uuids())
def test_any_guid_round_trips_in_each_form(value: uuid.UUID) -> None:
    """Any GUID written in any of the four forms, in any case, reads back as itself."""
    for text in (str(value), value.hex, f"{{{value}}}", f"({value})"):
        assert canonical_guid(text.upper()) == str(value)
