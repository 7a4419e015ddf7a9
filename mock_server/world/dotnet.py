"""Text as .NET measures it: lengths in UTF-16 code units, blankness by `char.IsWhiteSpace`,
GUIDs in every form `Guid.Parse` reads.

Python's `str.strip()` and `len()` disagree with .NET on both (Python strips U+001C-U+001F,
.NET does not; .NET strips U+0085, and counts an emoji as two characters).
"""

import re

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


_HEX = "[0-9A-Fa-f]"
_HYPHENATED = f"{_HEX}{{8}}-{_HEX}{{4}}-{_HEX}{{4}}-{_HEX}{{4}}-{_HEX}{{12}}"
_GUID_FORMS = re.compile(
    f"{_HEX}{{32}}|{_HYPHENATED}|\\{{{_HYPHENATED}\\}}|\\({_HYPHENATED}\\)", re.ASCII
)
"""`Guid.Parse`'s forms N, D, B and P: 32 digits, hyphenated, in braces, in parentheses."""


def canonical_guid(value: object) -> str | None:
    """A GUID in its usual form (lower case, hyphens), from the forms .NET's `Guid.Parse` takes
    (N, D, B, P; surrounding whitespace and OData's quotes allowed); None for anything else.

    Python's `uuid.UUID` differs both ways: it takes `urn:uuid:` and hyphens anywhere, which
    .NET refuses, and refuses the parentheses .NET takes.
    """
    if not isinstance(value, str):
        return None
    text = value.strip().strip("'").strip()
    if _GUID_FORMS.fullmatch(text) is None:
        return None
    digits = "".join(character for character in text if character not in "{}()-").lower()
    return f"{digits[:8]}-{digits[8:12]}-{digits[12:16]}-{digits[16:20]}-{digits[20:]}"
