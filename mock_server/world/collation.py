"""How Orchestrator's database (SQL Server, default collation) decides that two texts are equal."""


def string_key(value: str) -> str:
    """Case-insensitive, trailing-space-insensitive comparison key of a string.

    `'Agent'`, `'AGENT'` and `'agent  '` are one name to a unique index and to `$filter`'s `eq`.
    """
    return value.casefold().rstrip(" ")
