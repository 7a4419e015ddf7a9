"""A bucket file's path: what is valid, and the one way it is stored and answered.

Paths are case-sensitive object keys (as in Azure Blob and S3). `\\` separates like `/`
(Studio writes `folder\\file.txt`); the stored form has one leading `/` and no empty, `.` or
`..` segment, so no path can climb out of its bucket or name two files.
"""

MAX_PATH_LENGTH = 1024
"""The longest stored path, in characters (Azure's limit for a blob name)."""


class InvalidPathError(ValueError):
    """A path no file can have; the message says why."""


def file_path(text: str) -> str:
    """The stored form of a file's path (`/invoices/2026/INV-1001.pdf`); raises
    `InvalidPathError`."""
    segments = text.replace("\\", "/").lstrip("/").split("/")
    if segments == [""]:
        raise InvalidPathError("The path of a file is required.")
    for segment in segments:
        if segment in ("", ".", ".."):
            raise InvalidPathError(
                f"The path '{text}' is not valid: no segment may be empty, '.' or '..'."
            )
        if any(ord(character) < 0x20 or ord(character) == 0x7F for character in segment):
            raise InvalidPathError(f"The path {text!r} is not valid: it holds a control character.")
        if any(0xD800 <= ord(character) <= 0xDFFF for character in segment):
            raise InvalidPathError(f"The path {text!r} is not valid: it holds a lone surrogate.")
    stored = "/" + "/".join(segments)
    if len(stored) > MAX_PATH_LENGTH:
        raise InvalidPathError(f"The path is longer than {MAX_PATH_LENGTH} characters.")
    return stored


def directory_path(text: str | None) -> str:
    """A directory as a prefix of stored paths: `/` for the root, else `/a/b/`."""
    if text is None or not text.replace("\\", "/").strip("/"):
        return "/"
    return file_path(text.rstrip("/\\")) + "/"


def file_name(path: str) -> str:
    """The last segment of a stored path."""
    return path.rsplit("/", 1)[-1]
