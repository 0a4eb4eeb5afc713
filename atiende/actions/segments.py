"""Which campaign and agent each segment of an attention had, read from its transfers and
its "opened" events (segment n+1 starts with transfer n)."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select

from atiende.actions.work import Work
from atiende.db.models import Attention, AttentionEvent, Transfer


@dataclass(frozen=True)
class Segment:
    number: int
    campaign_id: int
    agent_id: int | None


async def segments_of(w: Work, attentions: Sequence[Attention]) -> dict[int, list[Segment]]:
    """Every segment of each attention, in order, in two queries for the whole batch."""
    ids = [a.id for a in attentions]
    if not ids:
        return {}
    transfers: dict[int, dict[int, Transfer]] = defaultdict(dict)
    for t in await w.session.scalars(select(Transfer).where(Transfer.attention_id.in_(ids))):
        transfers[t.attention_id][t.sequence] = t
    openers: dict[tuple[int, int], int] = {}
    opened = await w.session.execute(
        select(AttentionEvent.attention_id, AttentionEvent.segment, AttentionEvent.actor_id)
        .where(AttentionEvent.attention_id.in_(ids), AttentionEvent.kind == "opened")
        .order_by(AttentionEvent.id)
    )
    for attention_id, segment, actor_id in opened:
        if actor_id is not None:
            openers[(attention_id, segment)] = actor_id  # the last to open it wins
    return {a.id: _segments(a, transfers[a.id], openers) for a in attentions}


def _segments(
    a: Attention, transfers: dict[int, Transfer], openers: dict[tuple[int, int], int]
) -> list[Segment]:
    out = []
    for n in range(1, a.segment + 1):
        leaving, arriving = transfers.get(n), transfers.get(n - 1)
        if arriving is not None:
            campaign = arriving.to_campaign_id
        elif leaving is not None:
            campaign = leaving.from_campaign_id
        else:
            campaign = a.campaign_id
        agent = openers.get((a.id, n))
        if agent is None and leaving is not None:
            agent = leaving.from_agent_id
        if agent is None and n == a.segment:
            agent = a.agent_id or a.closed_by_id
        out.append(Segment(n, campaign, agent))
    return out
