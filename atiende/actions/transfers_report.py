"""Supervisors' report: the attentions involved in transfers, filtered and paged."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import and_, func, or_, select, true

from atiende.actions.work import Work
from atiende.db.models import Attention, Transfer


@dataclass(frozen=True)
class TransferFilter:
    date_from: date | None = None
    date_to: date | None = None
    campaign_id: int | None = None
    agent_id: int | None = None


async def transferred_attentions(
    w: Work, f: TransferFilter, page: int, page_size: int
) -> tuple[list[tuple[Attention, int, datetime]], int]:
    """The attentions involved in transfers that match, newest transfer first."""
    conditions = []
    if f.date_from:
        conditions.append(
            Transfer.created_at >= datetime.combine(f.date_from, time.min, tzinfo=UTC)
        )
    # Through the last representable day means no upper bound (the day after would overflow).
    if f.date_to and f.date_to < date.max:
        conditions.append(
            Transfer.created_at
            < datetime.combine(f.date_to + timedelta(days=1), time.min, tzinfo=UTC)
        )
    if f.campaign_id:
        conditions.append(
            or_(
                Transfer.from_campaign_id == f.campaign_id, Transfer.to_campaign_id == f.campaign_id
            )
        )
    if f.agent_id:
        conditions.append(
            or_(Transfer.from_agent_id == f.agent_id, Transfer.to_agent_id == f.agent_id)
        )
    involved = (
        select(Transfer.attention_id, func.max(Transfer.created_at).label("last_at"))
        .where(and_(true(), *conditions))
        .group_by(Transfer.attention_id)
        .subquery()
    )
    total = await w.session.scalar(select(func.count()).select_from(involved))
    rows = await w.session.execute(
        select(Attention, Attention.transfer_count, involved.c.last_at)
        .join(involved, involved.c.attention_id == Attention.id)
        .order_by(involved.c.last_at.desc(), Attention.id.desc())
        .offset((page - 1) * page_size)
        .limit(page_size)
    )
    return [(a, n, last) for a, n, last in rows], int(total or 0)
