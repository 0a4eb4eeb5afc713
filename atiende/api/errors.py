"""Domain refusals as HTTP answers, in the caller's language (Spanish unless asked)."""

from fastapi import FastAPI, Request
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
}


def _wants_english(request: Request) -> bool:
    return request.headers.get("accept-language", "").lower().startswith("en")


def message_for(error: DomainError, request: Request) -> str:
    if _wants_english(request):
        return _ENGLISH.get(error.code, error.message)
    return error.message


def install(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def _domain_error(request: Request, exc: DomainError) -> JSONResponse:
        return JSONResponse(
            status_code=exc.status,
            content={**exc.extra, "detail": message_for(exc, request), "code": exc.code},
        )
