"""`/api/messages/{id}/media`: a message's file, to whoever may read its attention."""

from fastapi import APIRouter
from fastapi.responses import FileResponse
from sqlalchemy import select

from atiende.actions import media
from atiende.actions.access import access_attention
from atiende.api.deps import CurrentUser, RuntimeDep, WorkDep
from atiende.db.models import Message
from atiende.domain.errors import NotFound

router = APIRouter(prefix="/api/messages", tags=["media"])
# Shown in the page; anything else (documents) is downloaded, never rendered by the browser.
_INLINE = ("image/", "audio/", "video/")


@router.get("/{message_id}/media", response_class=FileResponse)
async def message_media(
    message_id: int, user: CurrentUser, w: WorkDep, rt: RuntimeDep
) -> FileResponse:
    message = await w.session.scalar(select(Message).where(Message.id == message_id))
    if message is None:
        raise NotFound("media_not_found", "El archivo no existe.")
    await access_attention(w, user, message.attention_id)
    path = rt.media.path(media.store_key(message.id))
    if path is None:
        raise NotFound("media_not_found", "El archivo aún no se descargó o no existe.")
    content = message.content or {}
    mime = str(content.get("mime_type") or "application/octet-stream").split(";")[0].strip()
    inline = mime.startswith(_INLINE)
    name = str(content.get("filename") or f"whatsapp-{message.id}")
    return FileResponse(
        path,
        media_type=mime,
        filename=name,
        content_disposition_type="inline" if inline else "attachment",
        headers={"X-Content-Type-Options": "nosniff", "Cache-Control": "private, max-age=3600"},
    )
