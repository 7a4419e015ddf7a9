"""The Identity Server's error: OAuth 2.0 `{"error": code}` with HTTP 400 (IdentityServer)."""


class OAuthError(Exception):
    """A token request the Identity Server rejects, rendered as `{"error": code}`.

    `description` becomes `error_description` only where IdentityServer sets one; `status` is
    400 for every token-endpoint error except those the HTTP layer raises (413).
    """

    def __init__(self, code: str, description: str | None = None, status: int = 400) -> None:
        super().__init__(code if description is None else f"{code}: {description}")
        self.code = code
        self.description = description
        self.status = status


INVALID_REQUEST = "invalid_request"
INVALID_CLIENT = "invalid_client"
UNSUPPORTED_GRANT_TYPE = "unsupported_grant_type"
UNAUTHORIZED_CLIENT = "unauthorized_client"
INVALID_GRANT = "invalid_grant"
INVALID_SCOPE = "invalid_scope"
