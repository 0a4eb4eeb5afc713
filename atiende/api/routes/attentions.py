"""One attention: read it, open it, write in it, end it."""

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field

from atiende.actions import attention as attention_actions
from atiende.actions import messaging, queries
from atiende.actions.access import access_attention
from atiende.api.deps import CurrentUser, RuntimeDep, WorkDep, presence_grace
from atiende.schemas import AttentionOut, MessageOut

router = APIRouter(prefix="/api/attentions", tags=["attentions"])


class MessagesOut(BaseModel):
    messages: list[MessageOut]


class TextIn(BaseModel):
    text: str = Field(max_length=20_000)
    client_id: str | None = Field(default=None, max_length=64)


@router.get("/{attention_id}")
async def get_attention(attention_id: int, user: CurrentUser, w: WorkDep) -> AttentionOut:
    return AttentionOut.of(await access_attention(w, user, attention_id))


@router.post("/{attention_id}/open")
async def open_attention(attention_id: int, user: CurrentUser, w: WorkDep) -> AttentionOut:
    return AttentionOut.of(await attention_actions.do_open(w, user, attention_id))


@router.post("/{attention_id}/seen")
async def mark_seen(attention_id: int, user: CurrentUser, w: WorkDep) -> AttentionOut:
    return AttentionOut.of(await attention_actions.do_mark_seen(w, user, attention_id))


@router.post("/{attention_id}/end")
async def end_attention(
    attention_id: int, user: CurrentUser, w: WorkDep, rt: RuntimeDep
) -> AttentionOut:
    ended = await attention_actions.do_end(w, user, attention_id, presence_grace(rt))
    return AttentionOut.of(ended)


@router.get("/{attention_id}/messages")
async def list_messages(
    attention_id: int, user: CurrentUser, w: WorkDep, after_id: int | None = None
) -> MessagesOut:
    await access_attention(w, user, attention_id)
    rows = await queries.messages_of(w, attention_id, after_id)
    return MessagesOut(messages=[MessageOut.of(m) for m in rows])


@router.post("/{attention_id}/messages", status_code=201)
async def send_message(
    attention_id: int, body: TextIn, user: CurrentUser, w: WorkDep, response: Response
) -> MessageOut:
    message, created = await messaging.do_send_text(
        w, user, attention_id, body.text, body.client_id
    )
    if not created:
        response.status_code = 200
    return MessageOut.of(message)
