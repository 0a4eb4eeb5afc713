"""One attention: read it, open it, write in it, fill its form, transfer it, end it."""

from fastapi import APIRouter, Response

from atiende.actions import attention as attention_actions
from atiende.actions import (
    form_state,
    forms,
    messages,
    messaging,
    notify,
    receipts,
    templates,
    transfer_history,
)
from atiende.actions.access import access_attention
from atiende.actions.timeline import timeline_of
from atiende.actions.transfer import Target, do_move, do_transfer
from atiende.api.deps import CurrentUser, RuntimeDep, WorkDep, presence_grace, require_role
from atiende.schemas.attentions import (
    AttentionOut,
    MoveIn,
    TimelineOut,
    TransferIn,
    TransferOut,
    TypingOut,
)
from atiende.schemas.forms import FormState, SegmentFormOut, ValuesIn
from atiende.schemas.messages import MessageOut, MessagesOut, TemplateSendIn, TextIn
from atiende.schemas.params import Cursor, Id, Limit
from atiende.schemas.templates import TemplateOut

router = APIRouter(prefix="/api/attentions", tags=["attentions"])
STAFF = require_role("admin", "supervisor")


@router.get("/{attention_id}")
async def get_attention(attention_id: Id, user: CurrentUser, w: WorkDep) -> AttentionOut:
    return AttentionOut.of(await access_attention(w, user, attention_id))


@router.post("/{attention_id}/open")
async def open_attention(attention_id: Id, user: CurrentUser, w: WorkDep) -> AttentionOut:
    opened = await attention_actions.do_open(w, user, attention_id)
    return AttentionOut.of(opened)


@router.post("/{attention_id}/seen")
async def mark_seen(attention_id: Id, user: CurrentUser, w: WorkDep) -> AttentionOut:
    return AttentionOut.of(await attention_actions.do_mark_seen(w, user, attention_id))


@router.get("/{attention_id}/templates")
async def attention_templates(attention_id: Id, user: CurrentUser, w: WorkDep) -> list[TemplateOut]:
    """The approved templates of the attention's campaign."""
    attention = await access_attention(w, user, attention_id)
    return [TemplateOut.of(t) for t in await templates.for_campaign(w, attention.campaign_id)]


@router.post("/{attention_id}/template", status_code=201)
async def send_template(
    attention_id: Id, body: TemplateSendIn, user: CurrentUser, w: WorkDep, response: Response
) -> MessageOut:
    message, created = await templates.do_send(
        w, user, attention_id, body.template_id, body.params, body.client_id
    )
    if not created:
        response.status_code = 200
    return (await notify.messages_out(w, [message]))[0]


@router.post("/{attention_id}/typing")
async def typing(attention_id: Id, user: CurrentUser, w: WorkDep, rt: RuntimeDep) -> TypingOut:
    """The agent is typing: the customer sees WhatsApp's indicator (at most every 20 s)."""
    return TypingOut(sent=await receipts.do_typing(w, user, attention_id, rt.typing_once))


@router.post("/{attention_id}/end")
async def end_attention(
    attention_id: Id, user: CurrentUser, w: WorkDep, rt: RuntimeDep
) -> AttentionOut:
    ended = await attention_actions.do_end(w, user, attention_id, presence_grace(rt))
    return AttentionOut.of(ended)


@router.get("/{attention_id}/messages")
async def list_messages(
    attention_id: Id,
    user: CurrentUser,
    w: WorkDep,
    after_id: Cursor | None = None,
    before_id: Id | None = None,
    limit: Limit | None = None,
) -> MessagesOut:
    """Oldest first. `limit`: only the newest that many (a long conversation read in pages,
    going back with `before_id` = the oldest id shown); `has_more` says older ones remain."""
    found, more = await messages.messages_of(w, user, attention_id, after_id, before_id, limit)
    return MessagesOut(messages=found, has_more=more)


@router.post("/{attention_id}/messages", status_code=201)
async def send_message(
    attention_id: Id, body: TextIn, user: CurrentUser, w: WorkDep, response: Response
) -> MessageOut:
    message, created = await messaging.do_send_text(
        w, user, attention_id, body.text, body.client_id
    )
    if not created:
        response.status_code = 200
    return MessageOut.of(message)


@router.get("/{attention_id}/form")
async def get_form(attention_id: Id, user: CurrentUser, w: WorkDep) -> FormState:
    return await form_state.state_for(w, user, attention_id)


@router.get("/{attention_id}/forms")
async def get_segment_forms(
    attention_id: Id, user: CurrentUser, w: WorkDep
) -> list[SegmentFormOut]:
    """Every segment's form and values, read-only (an earlier attention, a transferred one)."""
    return await form_state.segment_forms(w, user, attention_id)


@router.put("/{attention_id}/form/draft")
async def save_draft(attention_id: Id, body: ValuesIn, user: CurrentUser, w: WorkDep) -> FormState:
    submission, errors = await forms.do_save_draft(w, user, attention_id, body.values)
    state = await form_state.state_of(w, submission)
    state.errors = errors
    return state


@router.post("/{attention_id}/form/submit")
async def submit_form(attention_id: Id, body: ValuesIn, user: CurrentUser, w: WorkDep) -> FormState:
    submission = await forms.do_submit(w, user, attention_id, body.values)
    return await form_state.state_of(w, submission)


@router.post("/{attention_id}/transfer")
async def transfer(
    attention_id: Id, body: TransferIn, user: CurrentUser, w: WorkDep, rt: RuntimeDep
) -> AttentionOut:
    target = Target(body.campaign_id, body.agent_id, body.note)
    moved = await do_transfer(w, user, attention_id, target, presence_grace(rt))
    return AttentionOut.of(moved)


@router.post("/{attention_id}/move", dependencies=[STAFF])
async def move(
    attention_id: Id, body: MoveIn, user: CurrentUser, w: WorkDep, rt: RuntimeDep
) -> AttentionOut:
    target = Target(body.campaign_id, body.agent_id, body.reason)
    moved = await do_move(w, user, attention_id, target, presence_grace(rt))
    return AttentionOut.of(moved)


@router.get("/{attention_id}/timeline")
async def get_timeline(attention_id: Id, user: CurrentUser, w: WorkDep) -> TimelineOut:
    return await timeline_of(w, user, attention_id)


@router.get("/{attention_id}/transfers")
async def list_transfers(attention_id: Id, user: CurrentUser, w: WorkDep) -> list[TransferOut]:
    return await transfer_history.history_of(w, user, attention_id)
