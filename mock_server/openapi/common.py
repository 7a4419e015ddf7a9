"""Small builders shared by the document's parts."""

from typing import Any

COMPONENTS = "#/components/schemas/"


def ref(name: str) -> dict[str, str]:
    """A reference to a schema of `components/schemas`."""
    return {"$ref": COMPONENTS + name}


def response_ref(name: str) -> dict[str, str]:
    """A reference to a response of `components/responses`."""
    return {"$ref": f"#/components/responses/{name}"}


def parameter_ref(name: str) -> dict[str, str]:
    """A reference to a parameter of `components/parameters`."""
    return {"$ref": f"#/components/parameters/{name}"}


def json_content(schema: dict[str, Any], description: str, **extra: Any) -> dict[str, Any]:
    """A response (or request body) holding JSON of `schema`."""
    return {
        "description": description,
        "content": {"application/json": {"schema": schema}},
        **extra,
    }
