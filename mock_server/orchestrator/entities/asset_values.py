"""What an asset holds, by value type: the members that carry its value, the rules a write must
follow, the `Value` summary, and the protected copies of passwords and secrets.

An asset's value lives in the members of its `ValueType`; every other value member holds its
empty value ("Empty when the value type is not Text", "0 when ... not Integer", spec 20.0).
A write that puts a value in another type's member is refused rather than silently dropped.
`CredentialPassword` and `SecretValue` are stored in emulator-only members and answered empty
by list and get (orchestrator-core-facts section 2.2); a write that leaves them empty keeps the
stored one, as the edit form does.
"""

from collections.abc import Mapping
from typing import Any

VALUE_MEMBERS: dict[str, tuple[str, ...]] = {
    "Text": ("StringValue",),
    "Bool": ("BoolValue",),
    "Integer": ("IntValue",),
    "Credential": ("CredentialUsername", "CredentialPassword"),
    "Secret": ("SecretValue",),
}
"""The value types the emulator serves, each with the members that carry its value."""

EMPTY: dict[str, Any] = {
    "StringValue": "",
    "BoolValue": False,
    "IntValue": 0,
    "CredentialUsername": "",
    "CredentialPassword": "",
    "SecretValue": "",
}
"""Each value member's value when the asset's type does not use it."""

PROTECTED: dict[str, str] = {
    "CredentialPassword": "ProtectedCredentialPassword",
    "SecretValue": "ProtectedSecretValue",
}
"""The members never answered by list or get, and the emulator members that keep them."""

PER_ROBOT_MEMBERS = ("UserValues", "RobotValues")
"""Per-user and per-robot values (with their own passwords): refused, not emulated."""

_OWNER = {member: kind for kind, members in VALUE_MEMBERS.items() for member in members}


class AssetValueError(ValueError):
    """A write that breaks the value rules: `member` names where, the message says how."""

    def __init__(self, member: str, message: str) -> None:
        super().__init__(message)
        self.member = member


def _article(kind: str) -> str:
    """`a` (a Text asset) or `an` (an Integer asset)."""
    return "an" if kind[:1] in "AEIOU" else "a"


def _is_empty(member: str, value: Any) -> bool:
    return value is None or value == EMPTY[member]


def settled(record: Mapping[str, Any], old: Mapping[str, Any] | None) -> dict[str, Any]:
    """The record to store: checked against its value type, secrets moved to their protected
    members (or kept from `old` when left empty), other types' members emptied, `Value` set.

    Raises `AssetValueError` for a write the rules refuse.
    """
    for member in PER_ROBOT_MEMBERS:
        if record.get(member):
            raise AssetValueError(
                member, f"{member} (per-robot and per-user values) are not emulated."
            )
    kind = record.get("ValueType")
    if kind is None:
        raise AssetValueError("ValueType", "An asset needs a ValueType.")
    members = VALUE_MEMBERS.get(kind)
    if members is None:
        served = ", ".join(VALUE_MEMBERS)
        raise AssetValueError(
            "ValueType", f"{kind} assets are not emulated; the emulator serves {served} assets."
        )
    for member, owner in _OWNER.items():
        if owner != kind and not _is_empty(member, record.get(member)):
            raise AssetValueError(
                member,
                f"{member} is for {owner} assets; this asset is {_article(kind)} {kind} asset.",
            )
    stored = dict(record)
    same_kind = old is not None and old.get("ValueType") == kind
    for member, protected in PROTECTED.items():
        given = record.get(member)
        if _OWNER[member] != kind:
            stored[protected] = None
        elif given:
            stored[protected] = given
        elif record.get(protected):  # a saved state: the protected member as it was kept
            pass
        elif same_kind and old is not None and old.get(protected):
            stored[protected] = old[protected]
        else:
            raise AssetValueError(
                member, f"{_article(kind).title()} {kind} asset needs a {member}."
            )
    if kind == "Text" and record.get("StringValue") is None:
        raise AssetValueError("StringValue", "A Text asset needs a StringValue.")
    if kind == "Bool" and not isinstance(record.get("BoolValue"), bool):
        raise AssetValueError("BoolValue", "A Bool asset needs a BoolValue.")
    if kind == "Integer" and record.get("IntValue") is None:
        raise AssetValueError("IntValue", "An Integer asset needs an IntValue.")
    if kind == "Credential" and not record.get("CredentialUsername"):
        raise AssetValueError(
            "CredentialUsername", "A Credential asset needs a CredentialUsername."
        )
    for member, empty in EMPTY.items():
        if member in PROTECTED or _OWNER[member] != kind or stored.get(member) is None:
            stored[member] = empty
    stored["Value"] = summary(stored)
    return stored


def summary(record: Mapping[str, Any]) -> str:
    """`Value`: the text, `True`/`False`, the number, the user name; never a secret."""
    kind = record.get("ValueType")
    if kind == "Text":
        return str(record.get("StringValue") or "")
    if kind == "Bool":
        return "True" if record.get("BoolValue") else "False"
    if kind == "Integer":
        return str(record.get("IntValue") or 0)
    if kind == "Credential":
        return str(record.get("CredentialUsername") or "")
    return ""


def revealed(record: Mapping[str, Any]) -> dict[str, Any]:
    """The record with its password or secret in the members a robot reads them from."""
    shown = dict(record)
    for member, protected in PROTECTED.items():
        if record.get(protected):
            shown[member] = record[protected]
    return shown
