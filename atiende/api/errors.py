"""Domain refusals and malformed requests as HTTP answers.

Every answer carries a stable `code` and its `params`, which the client translates with the
catalogues in `atiende/i18n/`; `detail` is the same refusal in words for whoever reads the
API itself, in the caller's language (Spanish unless asked).
"""

from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from atiende.domain.errors import DomainError
from atiende.i18n import Lang, error_text


def _wants_english(request: Request) -> bool:
    return request.headers.get("accept-language", "").lower().startswith("en")


def message_for(error: DomainError, request: Request) -> str:
    """The Spanish text written where the rule refused; in English, the catalogue's."""
    if _wants_english(request):
        return error_text("en", error.code, error.params) or error.message
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
                "params": {"fields": ", ".join(dict.fromkeys(_field(e["loc"]) for e in errors))},
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
            content={
                **exc.extra,
                "detail": message_for(exc, request),
                "code": exc.code,
                "params": exc.params,
            },
            headers={"Retry-After": str(retry_after)} if retry_after is not None else None,
        )

    @app.exception_handler(HTTPException)
    async def _http_error(request: Request, exc: HTTPException) -> JSONResponse:
        # Starlette's own refusals (an unknown route, a method the route lacks) get a code too.
        code = _HTTP_CODES.get(exc.status_code, "http_error")
        params = {"status": exc.status_code}
        lang: Lang = "en" if _wants_english(request) else "es"
        return JSONResponse(
            status_code=exc.status_code,
            content={
                "detail": error_text(lang, code, params) or exc.detail,
                "code": code,
                "params": params,
            },
            headers=exc.headers,
        )


_HTTP_CODES = {404: "not_found", 405: "method_not_allowed"}
