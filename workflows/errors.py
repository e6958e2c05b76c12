"""Domain errors. Entry points translate them: NotFound 404, Forbidden 403,
NotAllowed/Conflict 409, Invalid 400. Messages are Chinese because users read them."""

from __future__ import annotations


class DomainError(Exception):
    code = "domain_error"

    def __init__(self, message: str, **extra) -> None:
        super().__init__(message)
        self.message = message
        self.extra = extra


class NotFound(DomainError):
    code = "not_found"


class Forbidden(DomainError):
    code = "forbidden"


class NotAllowed(DomainError):
    """The event is not possible in the case's current state."""

    code = "not_allowed"

    def __init__(self, message: str, allowed: list[str] | None = None) -> None:
        super().__init__(message, allowed=allowed or [])
        self.allowed = allowed or []


class Conflict(DomainError):
    """Someone else changed the case first."""

    code = "conflict"


class Invalid(DomainError):
    code = "invalid"

    def __init__(self, fields: dict[str, str], message: str = "输入有误，请检查标出的字段。") -> None:
        super().__init__(message, fields=fields)
        self.fields = fields
