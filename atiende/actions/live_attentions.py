"""Supervisors' live view: the attentions not yet closed, filtered."""

from collections.abc import Sequence

from sqlalchemy import select

from atiende.actions.work import Work
from atiende.db.models import Attention
from atiende.domain.states import State


async def live_attentions(
    w: Work, state: str | None, campaign_id: int | None, agent_id: int | None, limit: int = 500
) -> Sequence[Attention]:
    query = select(Attention).where(Attention.state != State.CLOSED)
    if state:
        query = query.where(Attention.state == state)
    if campaign_id:
        query = query.where(Attention.campaign_id == campaign_id)
    if agent_id:
        query = query.where(Attention.agent_id == agent_id)
    rows = await w.session.scalars(query.order_by(Attention.queued_at, Attention.id).limit(limit))
    return rows.all()
