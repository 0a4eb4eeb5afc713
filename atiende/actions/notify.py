"""Building the events an attention change sends, and to whom."""

from collections.abc import Iterable, Mapping, Sequence
from datetime import timedelta
from typing import Any

from sqlalchemy import inspect, select
from sqlalchemy.orm import selectinload

from atiende.actions import candidates, dashboard, queues
from atiende.actions.work import Work
from atiende.db.models import Attention, Base, CampaignMember, Message, User
from atiende.domain.states import State
from atiende.realtime import attention_events, message_events
from atiende.realtime.attention_events import Loaded, Parts
from atiende.realtime.events import (
    AgentStatus,
    AttentionRemoved,
    AttentionUpdated,
    LiveAgentChanged,
    LiveAttentionChanged,
    LiveCampaignChanged,
    MessageStatusChanged,
    MessageUpdated,
    Queues,
)
from atiende.schemas.attentions import AttentionOut
from atiende.schemas.dashboard import LiveAttention
from atiende.schemas.messages import MessageError, MessageOut, ReplyTo
from atiende.schemas.users import UserOut

# How an event's attentions are loaded: each one's campaign and channel by one query for all
# (the same few rows; joined, each row would carry them again and decrypt the channel's
# secrets again), the customer joined.
SHARED_ONCE = (selectinload(Attention.campaign), selectinload(Attention.channel))


def agent_status(w: Work, user: User) -> None:
    """Every tab of the agent shows his status as it now is (the staff room hears it from
    `staff_changes`, as every other change of his row)."""
    w.notify(AgentStatus(user=UserOut.of(user)), [user.id])


def attention_changed(w: Work, attention: Attention, previous_agent_id: int | None = None) -> None:
    """Tell the holder the new state; tell a former holder it is no longer his."""
    w.touched(attention.id)
    if attention.agent_id is not None:
        # Encoded straight from the object (the schema's exact JSON): the inbox's processor
        # tells hundreds at once.
        text = attention_events.attention_updated(attention_events.parts_of(attention))
        w.notify_encoded(text, [attention.agent_id])
    if previous_agent_id is not None and previous_agent_id != attention.agent_id:
        w.notify(
            AttentionRemoved(attention_id=attention.id, version=attention.version),
            [previous_agent_id],
        )


async def offer(w: Work, attention: Attention, grace: timedelta) -> None:
    """Show a queued attention to every agent who could take it (mode "a todos")."""
    w.touched(attention.id)
    recipients = await candidates.eligible_members(w, attention.campaign_id, grace)
    w.notify(AttentionUpdated(attention=AttentionOut.of(attention, offered=True)), recipients)


async def offers_for(w: Work, agent_id: int, campaign_ids: list[int], grace: timedelta) -> None:
    """An agent who became able to take offers is shown the ones waiting in his campaigns."""
    if not campaign_ids:
        return
    for attention in await candidates.offers_open_to(w, agent_id, grace, campaign_ids):
        w.notify(AttentionUpdated(attention=AttentionOut.of(attention, offered=True)), [agent_id])


async def offer_withdrawn(
    w: Work, attention: Attention, campaign_id: int, keep: int | None
) -> None:
    """An offer is gone (taken, moved): it vanishes from everyone else's list."""
    members = await w.session.scalars(
        select(CampaignMember.user_id).where(CampaignMember.campaign_id == campaign_id)
    )
    w.notify(
        AttentionRemoved(attention_id=attention.id, version=attention.version),
        [m for m in members if m != keep],
    )


async def messages_out(w: Work, messages: Sequence[Message]) -> list[MessageOut]:
    """The public shape of messages, with what each one replies to looked up in one query."""
    replies = await replies_to(w, messages)
    return [MessageOut.of(m, reply) for m, reply in zip(messages, replies, strict=True)]


async def replies_to(
    w: Work, messages: Sequence[Message] | Sequence[Mapping[str, Any]]
) -> list[ReplyTo | None]:
    """What each message (an ORM object or a stored row's values) replies to, as shown with
    it, looked up in one query."""
    said = [m if isinstance(m, Mapping) else Loaded(m) for m in messages]
    wamids = {m["reply_to_wamid"] for m in said if m["reply_to_wamid"]}
    quoted: dict[str, Message] = {}
    if wamids:
        channel_ids = {m["channel_id"] for m in said}
        rows = await w.session.scalars(
            select(Message).where(
                Message.wa_message_id.in_(wamids), Message.channel_id.in_(channel_ids)
            )
        )
        quoted = {q.wa_message_id: q for q in rows if q.wa_message_id}
    out: list[ReplyTo | None] = []
    for m in said:
        reply = None
        if m["reply_to_wamid"]:
            q = quoted.get(m["reply_to_wamid"])
            reply = ReplyTo(
                message_id=q.id if q else None,
                text=q.text if q else None,
                type=q.type if q else None,
            )
        out.append(reply)
    return out


async def message_created(w: Work, attention: Attention, message: Message) -> None:
    if attention.agent_id is not None:
        message_shown(w, attention, message, (await replies_to(w, [message]))[0])


def message_stored(
    w: Work, attention: Attention, row: Mapping[str, Any], reply: ReplyTo | None
) -> None:
    """`message_created` of a customer's message stored as plain values (the inbox's batch),
    with what it replies to already looked up."""
    if attention.agent_id is not None:
        w.notify_encoded(message_events.stored_created(row, reply), [attention.agent_id])


def message_shown(w: Work, attention: Attention, message: Message, reply: ReplyTo | None) -> None:
    """`message_created` with what it replies to already looked up (many together), encoded
    straight from the message (the schema's exact JSON)."""
    if attention.agent_id is not None:
        w.notify_encoded(message_events.message_created(message, reply), [attention.agent_id])


async def message_updated(w: Work, attention: Attention, message: Message) -> None:
    if attention.agent_id is not None:
        shown = (await messages_out(w, [message]))[0]
        w.notify(MessageUpdated(message=shown), [attention.agent_id])


def message_status(w: Work, attention: Attention, message: Message) -> None:
    if attention.agent_id is None:
        return
    failed = message.status == "failed"
    error = MessageError(code=message.error_code, title=message.error_title) if failed else None
    event = MessageStatusChanged(
        message_id=message.id,
        attention_id=attention.id,
        status=message.status,
        error=error,
    )
    w.notify(event, [attention.agent_id])


async def queues_changed(w: Work, campaign_ids: Iterable[int]) -> None:
    """Each member of a campaign hears its new queued count (the client merges by campaign)."""
    counts = await queues.queue_counts(w, campaign_ids)
    for count in counts:
        members = await w.session.scalars(
            select(CampaignMember.user_id).where(CampaignMember.campaign_id == count.campaign_id)
        )
        w.notify(Queues(queues=[count]), members)


async def queue_counted(w: Work, campaign_id: int, name: str, queued: int) -> None:
    """`queues_changed` for one campaign whose name and count the caller knows (routing, which
    has just folded its count)."""
    count = await queues.queue_count(w, campaign_id, name, queued)
    members = await w.session.scalars(
        select(CampaignMember.user_id).where(CampaignMember.campaign_id == campaign_id)
    )
    w.notify(Queues(queues=[count]), members)


def routed(w: Work, attentions: Sequence[Parts]) -> None:
    """A routing batch's attentions, as they now are: each holder hears his, and the staff
    room hears each now instead of reading them again before the commit. Encoded straight
    from what routing read: two events per assignment, hundreds per batch."""
    for a in attentions:
        if a.row["agent_id"] is not None:
            w.notify_encoded(attention_events.attention_updated(a), [a.row["agent_id"]])
    for a in attentions:
        w.changed.discard(a.row["id"])
        w.notify_encoded(attention_events.live_attention_changed(a), [], staff=True)


async def staff_changes(w: Work) -> None:
    """Before the commit: every attention the unit changed, as it now is, to the staff room
    (supervisors and admins), with an ended one's figures; then every campaign and user whose
    dashboard row changed. Agents never hear these."""
    await w.session.flush()
    await _attentions(w)
    campaign_ids, w.changed_campaigns = sorted(w.changed_campaigns), set()
    for c in await dashboard.live_campaigns(w, campaign_ids):
        w.notify_staff(LiveCampaignChanged(campaign=c))
    user_ids, w.changed_agents = sorted(w.changed_agents), set()
    for agent in await dashboard.live_agents(w, user_ids):
        w.notify_staff(LiveAgentChanged(agent=agent))


async def _attentions(w: Work) -> None:
    if not w.changed:
        return
    ids = sorted(w.changed)
    w.changed.clear()
    held = {i: a for i in ids if (a := w.held.get(i)) is not None and _complete(a)}
    read = [i for i in ids if i not in held]
    rows = list(held.values())
    if read:
        rows += await w.session.scalars(
            select(Attention)
            .where(Attention.id.in_(read))
            .options(*SHARED_ONCE)
            .order_by(Attention.id)
            .execution_options(populate_existing=True)
        )
    rows.sort(key=lambda a: a.id)
    figures = await dashboard.ended_figures(w, [a.id for a in rows if a.state == State.CLOSED])
    for a in rows:
        if a.id in held and a.id not in figures:
            w.notify_encoded(
                attention_events.live_attention_changed(attention_events.parts_of(a)),
                [],
                staff=True,
            )
        else:
            w.notify_staff(LiveAttentionChanged(attention=LiveAttention.of(a, figures.get(a.id))))


def _complete(a: Attention) -> bool:
    """Everything the staff room's event says of it is loaded (nothing expired, say by a
    savepoint rolled back): reading it would need the database."""
    if inspect(a).unloaded:
        return False
    related: tuple[Base, ...] = (a.campaign, a.channel, a.customer)
    return not any(inspect(o).unloaded for o in related)
