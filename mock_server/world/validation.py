"""The JSON Schema validator for world documents and machine bodies, with the checks they share.

Three checks go beyond jsonschema's defaults, because what passes them is stored and served:
`date-time` values must be real RFC 3339 instants (jsonschema skips the format without an
extra package), an `integer` must be a JSON integer (`5.0` would be stored as a float), and
string lengths count UTF-16 code units as .NET's `[StringLength]` does (an emoji counts 2).
"""

import re
from datetime import datetime
from typing import Any

import jsonschema
from referencing import Registry

from uipath_emulator.mock_server.world.dotnet import utf16_length

_RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})")
FORMATS = jsonschema.FormatChecker(formats=())


def is_rfc3339(value: str) -> bool:
    """Whether `value` is an RFC 3339 date-time that names a real instant."""
    if _RFC3339.fullmatch(value) is None:
        return False
    try:
        datetime.fromisoformat(value.upper().replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


@FORMATS.checks("date-time")
def _is_date_time(value: object) -> bool:
    return not isinstance(value, str) or is_rfc3339(value)


def _is_integer(checker: object, value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _max_length(validator: Any, limit: int, instance: Any, schema: Any) -> Any:
    if isinstance(instance, str) and utf16_length(instance) > limit:
        yield jsonschema.ValidationError(f"{instance!r} is longer than {limit} UTF-16 units")


def _min_length(validator: Any, limit: int, instance: Any, schema: Any) -> Any:
    if isinstance(instance, str) and utf16_length(instance) < limit:
        yield jsonschema.ValidationError(f"{instance!r} is shorter than {limit} UTF-16 units")


StrictValidator = jsonschema.validators.extend(
    jsonschema.Draft202012Validator,
    validators={"maxLength": _max_length, "minLength": _min_length},
    type_checker=jsonschema.Draft202012Validator.TYPE_CHECKER.redefine("integer", _is_integer),
)


def strict_validator(schema: dict[str, Any], registry: Registry | None = None) -> Any:
    """A Draft 2020-12 validator for `schema` with the stricter date-time and integer checks."""
    if registry is None:
        return StrictValidator(schema, format_checker=FORMATS)
    return StrictValidator(schema, registry=registry, format_checker=FORMATS)
