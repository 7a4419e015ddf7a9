"""The one error type the OData query engine raises."""

INVALID_QUERY = "The query specified in the URI is not valid. "
"""ASP.NET OData's prefix (`SRResources.UriQueryStringInvalid`) for every rejected query option."""


class ODataQueryError(Exception):
    """A query the service rejects: rendered by the caller as HTTP 400, errorCode 1000.

    `message` is the text to send; `option` names the query option at fault (e.g. `"$filter"`).
    """

    def __init__(self, message: str, option: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.option = option


def invalid(detail: str, option: str | None = None) -> ODataQueryError:
    """An `ODataQueryError` whose message is ASP.NET's prefix followed by `detail`."""
    return ODataQueryError(INVALID_QUERY + detail, option)
