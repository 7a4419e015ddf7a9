"""The control plane's error: `{"message": ...}` with a status."""


class ControlError(Exception):
    """A control request that cannot be carried out: `{"message": ...}` with this status."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
