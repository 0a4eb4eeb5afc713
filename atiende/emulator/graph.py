"""The slice of Meta's Graph API the app calls: send and mark read
(`POST /{version}/{phone_number_id}/messages`), upload media
(`POST /{version}/{phone_number_id}/media`), look media up and delete it
(`GET`/`DELETE /{version}/{media-id}`), download it from the URL the look-up gives, and
read the business number itself (`GET /{version}/{phone_number_id}?fields=...`)."""

import hmac
import json
import re

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from starlette.datastructures import FormData, UploadFile

from atiende.emulator.deps import EmulatorDep
from atiende.emulator.engine import Emulator
from atiende.emulator.faults import ASYNC_FAULTS, sync_failure
from atiende.emulator.graph_requests import GraphError, MarkRead, parse_request
from atiende.emulator.media import upload_refusal
from atiende.emulator.payloads import (
    PHONE_NUMBER_FIELDS,
    PHONE_NUMBER_NODE,
    BusinessNumber,
    graph_error,
    invalid_parameter_error,
    invalid_token_error,
    nonexisting_field_error,
    phone_number_node,
    required_parameter_error,
    unknown_object_error,
)

router = APIRouter(include_in_schema=False)

_VERSION = re.compile(r"^v\d+\.\d+$")
_INVALID_TOKEN_CHALLENGE = (
    'OAuth "Facebook Platform" "invalid_token" "Invalid OAuth access token - Cannot parse '
    'access token"'
)
# Where `GET /{media-id}` points; outside the Graph namespace, as Meta's lookaside host is.
MEDIA_DOWNLOAD_PATH = "/emulator/media/"


@router.post("/{version}/{phone_number_id}/messages")
async def post_messages(
    version: str, phone_number_id: str, request: Request, emulator: EmulatorDep
) -> JSONResponse:
    try:
        _check_number(request, emulator.config.access_token, version)
        if phone_number_id != emulator.config.phone_number_id:
            raise GraphError(400, unknown_object_error(phone_number_id))
        parsed = parse_request(await _json_body(request))
        if isinstance(parsed, MarkRead):
            return JSONResponse(emulator.business_reads(parsed))
        fault = emulator.faults.take()
        if fault is not None and fault not in ASYNC_FAULTS:
            if fault == "timeout":
                await emulator.faults.hold()
            failure = sync_failure(fault)
            raise GraphError(failure.status_code, failure.payload)
        return JSONResponse(await emulator.business_sends(parsed, fault))
    except GraphError as error:
        return _graph_error(error)


@router.post("/{version}/{phone_number_id}/media")
async def upload_media(
    version: str, phone_number_id: str, request: Request, emulator: EmulatorDep
) -> JSONResponse:
    try:
        _check_number(request, emulator.config.access_token, version)
        if phone_number_id != emulator.config.phone_number_id:
            raise GraphError(400, unknown_object_error(phone_number_id))
        try:
            form = await request.form()
        except Exception as exc:  # a body that is not multipart, or a broken one
            details = "The upload must be multipart/form-data."
            raise GraphError(400, invalid_parameter_error(details)) from exc
        try:
            return await _store_upload(form, emulator)
        finally:
            # The parts were spooled to temporary files: closed here, not by the collector.
            await form.close()
    except GraphError as error:
        return _graph_error(error)


async def _store_upload(form: FormData, emulator: Emulator) -> JSONResponse:
    product = form.get("messaging_product")
    if product is None:
        raise GraphError(400, required_parameter_error("messaging_product"))
    if product != "whatsapp":
        message = f'(#100) Param messaging_product must be one of {{WHATSAPP}} - got "{product}".'
        raise GraphError(400, graph_error(message, code=100))
    upload = form.get("file")
    if not isinstance(upload, UploadFile):
        raise GraphError(400, required_parameter_error("file"))
    declared = form.get("type")
    mime_type = (
        declared
        if isinstance(declared, str) and declared
        else upload.content_type or "application/octet-stream"
    )
    data = await upload.read()
    refusal = upload_refusal(mime_type, len(data))
    if refusal is not None:
        raise GraphError(400, refusal)
    stored = emulator.media.add(data, mime_type, upload.filename)
    return JSONResponse({"id": stored.id})


@router.get("/{version}/{media_id}")
async def media_url(
    version: str, media_id: str, request: Request, emulator: EmulatorDep
) -> Response:
    """A media id, or the business number's own id (the node Graph keeps of it)."""
    if not _VERSION.match(version):
        return JSONResponse({"detail": "Not Found"}, status_code=404)
    try:
        _check_token(request, emulator.config.access_token)
        if media_id == emulator.config.phone_number_id:
            return JSONResponse(_phone_number(request, emulator))
        stored = emulator.media.get(media_id)
        if stored is None:
            raise GraphError(400, unknown_object_error(media_id, "get"))
        token = emulator.media.issue_url(media_id)
        base = str(request.base_url).rstrip("/")
        return JSONResponse(
            {
                "messaging_product": "whatsapp",
                "url": f"{base}{MEDIA_DOWNLOAD_PATH}{token}",
                "mime_type": stored.mime_type,
                "sha256": stored.sha256,
                "file_size": stored.file_size,
                "id": stored.id,
            }
        )
    except GraphError as error:
        return _graph_error(error)


def _phone_number(request: Request, emulator: Emulator) -> dict[str, object]:
    asked = request.query_params.get("fields", "")
    fields = [f.strip() for f in asked.split(",") if f.strip()]
    for name in fields:
        if name not in PHONE_NUMBER_FIELDS:
            raise GraphError(400, nonexisting_field_error(name, PHONE_NUMBER_NODE))
    config = emulator.config
    return phone_number_node(
        BusinessNumber.of(config),
        fields,
        verified_name=config.verified_name,
        quality_rating=config.quality_rating,
        code_verification_status=config.code_verification_status,
    )


@router.delete("/{version}/{media_id}")
async def delete_media(
    version: str, media_id: str, request: Request, emulator: EmulatorDep
) -> Response:
    if not _VERSION.match(version):
        return JSONResponse({"detail": "Not Found"}, status_code=404)
    try:
        _check_token(request, emulator.config.access_token)
        if not emulator.media.delete(media_id):
            raise GraphError(400, unknown_object_error(media_id, "delete"))
        return JSONResponse({"success": True})
    except GraphError as error:
        return _graph_error(error)


@router.get(MEDIA_DOWNLOAD_PATH + "{token}")
async def download_media(token: str, request: Request, emulator: EmulatorDep) -> Response:
    """The bytes behind a media URL: with the access token, and for five minutes."""
    try:
        _check_token(request, emulator.config.access_token)
    except GraphError as error:
        return _graph_error(error)
    stored = emulator.media.by_token(token)
    if stored is None:
        return Response(status_code=404)
    return Response(stored.data, media_type=stored.mime_type)


def _check_number(request: Request, token: str, version: str) -> None:
    _check_token(request, token)
    if not _VERSION.match(version):
        path = request.url.path
        raise GraphError(400, graph_error(f"Unknown path components: {path}", code=2500))


def _check_token(request: Request, expected: str) -> None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer":
        # Graph also takes the token as a query parameter.
        token = request.query_params.get("access_token", "")
    if not token or not hmac.compare_digest(token.strip().encode(), expected.encode()):
        raise GraphError(401, invalid_token_error())


def _graph_error(error: GraphError) -> JSONResponse:
    headers = {"WWW-Authenticate": _INVALID_TOKEN_CHALLENGE} if error.status_code == 401 else None
    return JSONResponse(error.payload, status_code=error.status_code, headers=headers)


async def _json_body(request: Request) -> object:
    try:
        return json.loads(await request.body())
    except (ValueError, UnicodeDecodeError) as exc:
        raise GraphError(
            400, invalid_parameter_error("The request body is not valid JSON.")
        ) from exc
