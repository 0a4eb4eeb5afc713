"""Domain refusals and malformed requests as HTTP answers, in the caller's language
(Spanish unless asked)."""

from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from atiende.domain.errors import DomainError

_ENGLISH = {
    "attention_not_found": "The attention does not exist.",
    "read_only": "Supervisors can only view this attention.",
    "invalid_state_for_open": "Only an assigned attention can be opened.",
    "invalid_state_for_write": "You can only write in an open attention.",
    "invalid_state_for_end": "Only an open attention can be ended.",
    "invalid_state_for_assign": "The attention is no longer queued.",
    "empty_text": "The message is empty.",
    "text_too_long": "The message is longer than 4096 characters.",
    "window_closed": "More than 24 hours have passed since the customer's last message: "
    "WhatsApp only allows an approved template.",
    "bad_credentials": "Wrong username or password.",
    "not_authenticated": "Please log in.",
    "csrf": "Missing or invalid CSRF token.",
    "forbidden_role": "You are not allowed to do this.",
    "invalid_status": "Unknown status.",
    "bad_signature": "Invalid X-Hub-Signature-256 signature.",
    "channel_incomplete": "The phone number id, access token or app secret is missing.",
    "unknown_campaign": "The entry campaign does not exist.",
    "channel_exists": "A channel with that phone number id already exists.",
    "too_many_attempts": "Too many failed attempts. Wait before trying again.",
    "file_missing": "The file is missing (field `file`).",
    "invalid_field": "A field of the form is not valid.",
    "media_not_found": "The file does not exist or has not been downloaded yet.",
    "user_not_found": "The user does not exist.",
    "cannot_deactivate_self": "You cannot deactivate your own user.",
}


def _wants_english(request: Request) -> bool:
    return request.headers.get("accept-language", "").lower().startswith("en")


def message_for(error: DomainError, request: Request) -> str:
    if _wants_english(request):
        return _ENGLISH.get(error.code, error.message)
    return error.message


# What went wrong with one parameter, by pydantic's error type: (Spanish, English).
_PROBLEMS = {
    "missing": ("falta", "missing"),
    "int_parsing": ("no es un número entero", "not an integer"),
    "int_type": ("no es un número entero", "not an integer"),
    "string_type": ("no es texto", "not text"),
    "greater_than": ("fuera de rango", "out of range"),
    "greater_than_equal": ("fuera de rango", "out of range"),
    "less_than": ("fuera de rango", "out of range"),
    "less_than_equal": ("fuera de rango", "out of range"),
    "string_too_short": ("demasiado corto", "too short"),
    "string_too_long": ("demasiado largo", "too long"),
    "too_short": ("demasiado corto", "too short"),
    "too_long": ("demasiado largo", "too long"),
    "literal_error": ("valor no admitido", "value not allowed"),
    "json_invalid": ("JSON ilegible", "unreadable JSON"),
}
_INVALID = ("no válido", "not valid")


def _field(loc: Sequence[Any]) -> str:
    """`attention_id`, `0.user_id`: where the problem is, without saying path or body."""
    inner = loc[1:] if len(loc) > 1 else loc
    return ".".join(str(part) for part in inner)


def _problem(error: Any, english: bool) -> str:
    spanish, in_english = _PROBLEMS.get(error["type"], _INVALID)
    return f"{_field(error['loc'])} ({in_english if english else spanish})"


def validation_detail(errors: Sequence[Any], english: bool) -> str:
    problems = [_problem(e, english) for e in errors[:5]]
    if english:
        return "The request is not valid: " + "; ".join(problems) + "."
    return "La solicitud no es válida: " + "; ".join(problems) + "."


def install(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def _invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        # FastAPI's own answer repeats each error's `input` (a password, say) and `ctx`.
        errors = exc.errors()
        return JSONResponse(
            status_code=422,
            content={
                "detail": validation_detail(errors, _wants_english(request)),
                "code": "invalid_request",
                "errors": [
                    {"loc": list(e["loc"]), "msg": e["msg"], "type": e["type"]} for e in errors
                ],
            },
        )

    @app.exception_handler(DomainError)
    async def _domain_error(request: Request, exc: DomainError) -> JSONResponse:
        retry_after = exc.extra.get("retry_after")
        return JSONResponse(
            status_code=exc.status,
            content={**exc.extra, "detail": message_for(exc, request), "code": exc.code},
            headers={"Retry-After": str(retry_after)} if retry_after is not None else None,
        )
