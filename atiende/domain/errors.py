"""Refusals the domain gives; the API turns each kind into its HTTP status."""

from typing import Any


class DomainError(Exception):
    """A rule said no. `code` is stable for clients; `message` is for people (Spanish)."""

    status = 409

    def __init__(self, code: str, message: str, extra: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        # Machine-readable details for the client, e.g. the errors per form field.
        self.extra = extra or {}


class NotFound(DomainError):
    status = 404


class Forbidden(DomainError):
    status = 403


class Invalid(DomainError):
    status = 422
