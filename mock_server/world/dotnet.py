"""Text as .NET measures it: lengths in UTF-16 code units, blankness by `char.IsWhiteSpace`,
GUIDs in every form `Guid.Parse` reads.

Python's `str.strip()` and `len()` disagree with .NET on both (Python strips U+001C-U+001F,
.NET does not; .NET strips U+0085, and counts an emoji as two characters).
"""

import uuid

DOTNET_WHITESPACE = frozenset(
    "\t\n\v\f\r \u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
    "\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
"""`char.IsWhiteSpace`: categories Zs, Zl, Zp, U+0009-U+000D and U+0085."""

NOT_BLANK_PATTERN = (
    "[^\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]"
)
"""An ECMA-262 pattern (for OpenAPI) matching text that has a character .NET does not trim."""


def utf16_length(text: str) -> int:
    """The length of `text` as .NET counts it: UTF-16 code units."""
    if text.isascii():
        return len(text)
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def is_blank(text: str) -> bool:
    """Whether .NET's `string.IsNullOrWhiteSpace` holds: empty, or only whitespace."""
    return all(character in DOTNET_WHITESPACE for character in text)


def canonical_guid(value: object) -> str | None:
    """A GUID in its usual form (lower case, hyphens), from any form .NET's `Guid.Parse` takes
    (braces, no hyphens; also quoted as in OData, or `urn:uuid:`); None for anything else."""
    if not isinstance(value, str):
        return None
    try:
        return str(uuid.UUID(value.strip().strip("'")))
    except ValueError:
        return None
