"""`POST /api/attentions/{id}/media`: a file from the agent, read only once he may send it.

FastAPI reads a declared multipart body before any dependency runs, so an anonymous client
could make the process take in the whole upload before its 401. This route declares no body:
it authenticates and checks the attention in a short transaction of its own, then reads the
form (file parts spooled to disk), checks the file (converting an audio or video WhatsApp
would refuse, off the event loop and in no transaction), then sends in a second transaction.
"""

import re
from dataclasses import dataclass

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field, ValidationError
from starlette.datastructures import UploadFile

from atiende.actions import messaging, notify
from atiende.actions.access import access_attention
from atiende.api.body_limit import MB, Allowance
from atiende.api.deps import RuntimeDep, authenticate
from atiende.domain.errors import Invalid
from atiende.schemas.messages import MessageOut
from atiende.schemas.params import Id

router = APIRouter(prefix="/api/attentions", tags=["attentions"])

# WhatsApp's largest file (a 100 MB document) plus room for the multipart framing.
ALLOWANCE = Allowance("POST", re.compile(r"/api/attentions/[^/]+/media"), 101 * MB)
_FIELD_BYTES = 16 * 1024

_MULTIPART = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {"type": "string", "format": "binary"},
                        "caption": {"type": "string", "maxLength": 1024},
                        "client_id": {"type": "string", "maxLength": 64},
                    },
                }
            }
        },
    }
}


class FileFields(BaseModel):
    caption: str | None = Field(default=None, max_length=1024)
    client_id: str | None = Field(default=None, max_length=64)


@dataclass(frozen=True)
class Upload:
    data: bytes
    filename: str
    fields: FileFields


@router.post("/{attention_id}/media", status_code=201, openapi_extra=_MULTIPART)
async def send_file(
    attention_id: Id, request: Request, rt: RuntimeDep, response: Response
) -> MessageOut:
    """An image, audio, video or document from the agent (multipart `file`, optional
    `caption` and `client_id`)."""
    async with rt.work() as w:
        user = await authenticate(w, request)
        await access_attention(w, user, attention_id, write=True)
    upload = await _read(request)
    prepared = await messaging.prepare_file(upload.data)
    async with rt.work() as w:
        user = await authenticate(w, request)
        message, created = await messaging.do_send_file(
            w,
            user,
            attention_id,
            prepared,
            upload.filename,
            upload.fields.caption,
            upload.fields.client_id,
            rt.media,
        )
        out = (await notify.messages_out(w, [message]))[0]
    if not created:
        response.status_code = 200
    return out


async def _read(request: Request) -> Upload:
    async with request.form(max_files=1, max_fields=4, max_part_size=_FIELD_BYTES) as form:
        file = form.get("file")
        if not isinstance(file, UploadFile):
            raise Invalid("file_missing", "Falta el archivo (campo `file`).")
        try:
            fields = FileFields.model_validate(
                {k: v for k, v in form.items() if k in ("caption", "client_id")}
            )
        except ValidationError as exc:
            field = ".".join(str(p) for p in exc.errors()[0]["loc"])
            raise Invalid(
                "invalid_field", f"El campo {field} no es válido.", params={"field": field}
            ) from None
        return Upload(await file.read(), file.filename or "archivo", fields)
