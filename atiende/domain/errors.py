"""Refusals the domain gives; the API turns each kind into its HTTP status."""

from typing import Any

# What a refusal may carry to fill its text: numbers and short names, never user input
# that a translation would have to escape.
Params = dict[str, str | int | float]


class DomainError(Exception):
    """A rule said no. `code` is stable for clients, which translate it with `params`
    (catalogues in `atiende/i18n/`); `message` is the Spanish text for people reading the
    API itself."""

    status = 409

    def __init__(
        self,
        code: str,
        message: str,
        extra: dict[str, Any] | None = None,
        *,
        params: Params | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        # Machine-readable details for the client, e.g. the errors per form field.
        self.extra = extra or {}
        self.params: Params = params or {}


class NotFound(DomainError):
    status = 404


class Forbidden(DomainError):
    status = 403


class Invalid(DomainError):
    status = 422
