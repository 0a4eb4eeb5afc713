"""`/api/messages/{id}/media`: a message's file, to whoever may read its attention."""

from fastapi import APIRouter
from fastapi.responses import FileResponse

from atiende.actions.media_files import access_media_file
from atiende.api.deps import CurrentUser, RuntimeDep, WorkDep
from atiende.domain.served_media import MEDIA_CSP
from atiende.schemas.params import Id

router = APIRouter(prefix="/api/messages", tags=["media"])


@router.get("/{message_id}/media", response_class=FileResponse)
async def message_media(
    message_id: Id, user: CurrentUser, w: WorkDep, rt: RuntimeDep
) -> FileResponse:
    """Shown inline only when its bytes are an image, audio or video that cannot carry
    script; anything else is a download. Either way the browser may run nothing in it."""
    found = await access_media_file(w, user, message_id, rt.media)
    return FileResponse(
        found.path,
        media_type=found.served.mime,
        filename=found.served.filename,
        content_disposition_type="inline" if found.served.inline else "attachment",
        headers={
            "Content-Security-Policy": MEDIA_CSP,
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "private, max-age=3600",
        },
    )
