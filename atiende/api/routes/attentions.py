"""One attention: read it, open it, write in it, fill its form, transfer it, end it."""

from datetime import datetime
from typing import Any, Literal

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field

from atiende.actions import attention as attention_actions
from atiende.actions import forms, messaging, notify, queries, receipts, templates
from atiende.actions.access import access_attention
from atiende.actions.transfer import Target, do_move, do_transfer
from atiende.api.deps import CurrentUser, RuntimeDep, WorkDep, presence_grace, require_role
from atiende.api.params import Cursor, Id
from atiende.db.models import AttentionEvent, Form, FormSubmission, Template, Transfer
from atiende.domain.forms import validate
from atiende.domain.templates import placeholders
from atiende.schemas import AttentionOut, MessageOut, Ref

router = APIRouter(prefix="/api/attentions", tags=["attentions"])
STAFF = require_role("admin", "supervisor")


class MessagesOut(BaseModel):
    messages: list[MessageOut]


class TextIn(BaseModel):
    text: str = Field(max_length=20_000)
    client_id: str | None = Field(default=None, max_length=64)


class FieldOut(BaseModel):
    key: str
    label: str
    type: str
    required: bool
    options: list[str] | None


class FormOut(BaseModel):
    id: int
    version: int
    campaign: Ref
    fields: list[FieldOut]

    @classmethod
    def of(cls, form: Form, campaign_name: str) -> "FormOut":
        return cls(
            id=form.id,
            version=form.version,
            campaign=Ref(id=form.campaign_id, name=campaign_name),
            fields=[
                FieldOut(
                    key=f.key, label=f.label, type=f.type, required=f.required, options=f.options
                )
                for f in form.fields
            ],
        )


class FormState(BaseModel):
    form: FormOut | None
    values: dict[str, Any]
    submitted_at: datetime | None
    segment: int
    errors: dict[str, str]


class ValuesIn(BaseModel):
    values: dict[str, Any]


class TransferIn(BaseModel):
    campaign_id: Id
    agent_id: Id | None = None
    note: str | None = Field(default=None, max_length=1000)


class MoveIn(BaseModel):
    campaign_id: Id
    agent_id: Id | None = None
    reason: str = Field(max_length=1000)


class Person(BaseModel):
    id: int
    display_name: str


class EventOut(BaseModel):
    id: int
    kind: str
    at: datetime
    segment: int
    actor: Person | None
    agent: Person | None
    campaign: Ref | None
    data: dict[str, Any]


class TimelineOut(BaseModel):
    events: list[EventOut]


class TransferOut(BaseModel):
    sequence: int
    kind: Literal["transfer", "move"]
    at: datetime
    from_campaign: Ref
    from_agent: Person | None
    to_campaign: Ref
    to_agent: Person | None
    by: Person | None
    note: str | None


@router.get("/{attention_id}")
async def get_attention(attention_id: Id, user: CurrentUser, w: WorkDep) -> AttentionOut:
    return AttentionOut.of(await access_attention(w, user, attention_id))


@router.post("/{attention_id}/open")
async def open_attention(
    attention_id: Id, user: CurrentUser, w: WorkDep, rt: RuntimeDep
) -> AttentionOut:
    opened = await attention_actions.do_open(w, user, attention_id, presence_grace(rt))
    return AttentionOut.of(opened)


@router.post("/{attention_id}/seen")
async def mark_seen(attention_id: Id, user: CurrentUser, w: WorkDep) -> AttentionOut:
    return AttentionOut.of(await attention_actions.do_mark_seen(w, user, attention_id))


class TemplateOut(BaseModel):
    id: int
    name: str
    language: str
    body: str
    params: int

    @classmethod
    def of(cls, t: Template) -> "TemplateOut":
        return cls(
            id=t.id, name=t.name, language=t.language, body=t.body, params=placeholders(t.body)
        )


class TemplateSendIn(BaseModel):
    template_id: Id
    params: list[str] = Field(default_factory=list, max_length=20)
    client_id: str | None = Field(default=None, max_length=64)


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


class TypingOut(BaseModel):
    sent: bool


@router.post("/{attention_id}/typing")
async def typing(attention_id: Id, user: CurrentUser, w: WorkDep, rt: RuntimeDep) -> TypingOut:
    """The agent is typing: the customer sees WhatsApp's indicator (at most every 20 s)."""
    return TypingOut(sent=await receipts.do_typing(w, user, attention_id, rt.typing_sent))


@router.post("/{attention_id}/end")
async def end_attention(
    attention_id: Id, user: CurrentUser, w: WorkDep, rt: RuntimeDep
) -> AttentionOut:
    ended = await attention_actions.do_end(w, user, attention_id, presence_grace(rt))
    return AttentionOut.of(ended)


@router.get("/{attention_id}/messages")
async def list_messages(
    attention_id: Id, user: CurrentUser, w: WorkDep, after_id: Cursor | None = None
) -> MessagesOut:
    await access_attention(w, user, attention_id)
    rows = await queries.messages_of(w, attention_id, after_id)
    return MessagesOut(messages=await notify.messages_out(w, rows))


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


async def _form_state(
    segment: int, form: Form | None, submission: FormSubmission | None, campaign_name: str
) -> FormState:
    values = submission.values if submission else {}
    errors: dict[str, str] = {}
    if form is not None:
        _, errors = validate(forms.specs(form), values, require=False)
    return FormState(
        form=FormOut.of(form, campaign_name) if form else None,
        values=values,
        submitted_at=submission.submitted_at if submission else None,
        segment=segment,
        errors=errors,
    )


@router.get("/{attention_id}/form")
async def get_form(attention_id: Id, user: CurrentUser, w: WorkDep) -> FormState:
    attention, segment, form, submission = await forms.do_get_state(w, user, attention_id)
    name = await _campaign_name(w, form.campaign_id if form else attention.campaign_id)
    return await _form_state(segment, form, submission, name)


@router.put("/{attention_id}/form/draft")
async def save_draft(attention_id: Id, body: ValuesIn, user: CurrentUser, w: WorkDep) -> FormState:
    submission, errors = await forms.do_save_draft(w, user, attention_id, body.values)
    form = await w.session.get(Form, submission.form_id)
    state = await _form_state(
        submission.segment, form, submission, await _campaign_name(w, submission.campaign_id)
    )
    state.errors = errors
    return state


@router.post("/{attention_id}/form/submit")
async def submit_form(attention_id: Id, body: ValuesIn, user: CurrentUser, w: WorkDep) -> FormState:
    submission = await forms.do_submit(w, user, attention_id, body.values)
    form = await w.session.get(Form, submission.form_id)
    return await _form_state(
        submission.segment, form, submission, await _campaign_name(w, submission.campaign_id)
    )


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
    await access_attention(w, user, attention_id)
    events = await queries.timeline(w, attention_id)
    people = await queries.users_by_id(
        w, {i for e in events for i in (e.actor_id, e.agent_id) if i is not None}
    )
    campaigns = await queries.campaigns_by_id(w, {e.campaign_id for e in events if e.campaign_id})
    return TimelineOut(events=[_event(e, people, campaigns) for e in events])


def _event(e: AttentionEvent, people: dict[int, Any], campaigns: dict[int, Any]) -> EventOut:
    def person(i: int | None) -> Person | None:
        u = people.get(i) if i is not None else None
        return Person(id=u.id, display_name=u.display_name) if u else None

    c = campaigns.get(e.campaign_id) if e.campaign_id else None
    return EventOut(
        id=e.id,
        kind=e.kind,
        at=e.created_at,
        segment=e.segment,
        actor=person(e.actor_id),
        agent=person(e.agent_id),
        campaign=Ref(id=c.id, name=c.name) if c else None,
        data=e.data,
    )


@router.get("/{attention_id}/transfers")
async def list_transfers(attention_id: Id, user: CurrentUser, w: WorkDep) -> list[TransferOut]:
    await access_attention(w, user, attention_id)
    rows = await queries.transfers_of(w, attention_id)
    return await transfers_out(w, rows)


async def transfers_out(w: Any, rows: Any) -> list[TransferOut]:
    people = await queries.users_by_id(
        w, {i for t in rows for i in (t.from_agent_id, t.to_agent_id, t.by_id) if i is not None}
    )
    campaigns = await queries.campaigns_by_id(
        w, {i for t in rows for i in (t.from_campaign_id, t.to_campaign_id)}
    )

    def person(i: int | None) -> Person | None:
        u = people.get(i) if i is not None else None
        return Person(id=u.id, display_name=u.display_name) if u else None

    def ref(i: int) -> Ref:
        return Ref(id=i, name=campaigns[i].name)

    return [
        TransferOut(
            sequence=t.sequence,
            kind=t.kind,
            at=t.created_at,
            from_campaign=ref(t.from_campaign_id),
            from_agent=person(t.from_agent_id),
            to_campaign=ref(t.to_campaign_id),
            to_agent=person(t.to_agent_id),
            by=person(t.by_id),
            note=t.note,
        )
        for t in rows
        if isinstance(t, Transfer)
    ]


async def _campaign_name(w: Any, campaign_id: int) -> str:
    campaigns = await queries.campaigns_by_id(w, {campaign_id})
    return campaigns[campaign_id].name if campaign_id in campaigns else ""
