"""The attention's audit log: one row per state change, recorded and read."""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import insert, select

from atiende.actions.access import access_attention
from atiende.actions.lookups import campaigns_by_id, users_by_id
from atiende.actions.work import Work
from atiende.db.models import Attention, AttentionEvent, Campaign, User
from atiende.schemas.attentions import EventOut, TimelineOut
from atiende.schemas.common import Person, Ref


def record(
    w: Work,
    attention: Attention,
    kind: str,
    *,
    actor_id: int | None = None,
    agent_id: int | None = None,
    data: dict[str, Any] | None = None,
) -> None:
    w.session.add(
        AttentionEvent(
            attention_id=attention.id,
            segment=attention.segment,
            kind=kind,
            actor_id=actor_id,
            agent_id=agent_id if agent_id is not None else attention.agent_id,
            campaign_id=attention.campaign_id,
            data=data or {},
        )
    )


async def record_all(w: Work, attentions: Sequence[Attention], kind: str) -> None:
    """`record` of one kind for many attentions, in their order, by one statement."""
    if not attentions:
        return
    await w.session.execute(
        insert(AttentionEvent),
        [
            {
                "attention_id": a.id,
                "segment": a.segment,
                "kind": kind,
                "agent_id": a.agent_id,
                "campaign_id": a.campaign_id,
                "data": {},
            }
            for a in attentions
        ],
    )


async def timeline_of(w: Work, user: User, attention_id: int) -> TimelineOut:
    await access_attention(w, user, attention_id)
    events = (
        await w.session.scalars(
            select(AttentionEvent)
            .where(AttentionEvent.attention_id == attention_id)
            .order_by(AttentionEvent.id)
        )
    ).all()
    people = await users_by_id(
        w, {i for e in events for i in (e.actor_id, e.agent_id) if i is not None}
    )
    campaigns = await campaigns_by_id(w, {e.campaign_id for e in events if e.campaign_id})
    return TimelineOut(events=[_event(e, people, campaigns) for e in events])


def _event(e: AttentionEvent, people: dict[int, User], campaigns: dict[int, Campaign]) -> EventOut:
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
