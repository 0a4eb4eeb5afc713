"""The slice of Meta's Graph API the app calls: `POST /{version}/{phone_number_id}/messages`."""

import hmac
import json
import re

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from atiende.emulator.deps import EmulatorDep
from atiende.emulator.graph_requests import GraphError, MarkRead, parse_request
from atiende.emulator.payloads import (
    graph_error,
    invalid_parameter_error,
    invalid_token_error,
    unknown_object_error,
)

router = APIRouter(include_in_schema=False)

_VERSION = re.compile(r"^v\d+\.\d+$")
_INVALID_TOKEN_CHALLENGE = (
    'OAuth "Facebook Platform" "invalid_token" "Invalid OAuth access token - Cannot parse '
    'access token"'
)


@router.post("/{version}/{phone_number_id}/messages")
async def post_messages(
    version: str, phone_number_id: str, request: Request, emulator: EmulatorDep
) -> JSONResponse:
    try:
        _check_token(request, emulator.config.access_token)
        if not _VERSION.match(version):
            path = f"/{version}/{phone_number_id}/messages"
            raise GraphError(400, graph_error(f"Unknown path components: {path}", code=2500))
        if phone_number_id != emulator.config.phone_number_id:
            raise GraphError(400, unknown_object_error(phone_number_id))
        parsed = parse_request(await _json_body(request))
        if isinstance(parsed, MarkRead):
            return JSONResponse(emulator.business_reads(parsed))
        return JSONResponse(emulator.business_sends(parsed))
    except GraphError as error:
        headers = (
            {"WWW-Authenticate": _INVALID_TOKEN_CHALLENGE} if error.status_code == 401 else None
        )
        return JSONResponse(error.payload, status_code=error.status_code, headers=headers)


def _check_token(request: Request, expected: str) -> None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer":
        # Graph also takes the token as a query parameter.
        token = request.query_params.get("access_token", "")
    if not token or not hmac.compare_digest(token.strip().encode(), expected.encode()):
        raise GraphError(401, invalid_token_error())


async def _json_body(request: Request) -> object:
    try:
        return json.loads(await request.body())
    except (ValueError, UnicodeDecodeError) as exc:
        raise GraphError(
            400, invalid_parameter_error("The request body is not valid JSON.")
        ) from exc
