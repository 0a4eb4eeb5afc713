"""Work rows claimed by a lease (`lease_until`), committed before the slow call that follows.

A process that dies mid-call leaves a lease that runs out, and another process picks the row
up; SKIP LOCKED keeps two processes that claim at once from taking the same rows.
"""

from datetime import timedelta

from sqlalchemy import or_, select, update

from atiende.actions.work import Work
from atiende.db.models import MediaDownload, OutboxItem
from atiende.db.types import utcnow


async def claim_due(
    w: Work, table: type[OutboxItem] | type[MediaDownload], lease: timedelta, limit: int
) -> list[int]:
    """The ids of up to `limit` pending rows that are due and not leased, oldest first, now
    leased and counted as one more attempt."""
    now = utcnow()
    ids = list(
        await w.session.scalars(
            select(table.id)
            .where(
                table.state == "pending",
                table.next_attempt_at <= now,
                or_(table.lease_until.is_(None), table.lease_until < now),
            )
            .order_by(table.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
    )
    if ids:
        await w.session.execute(
            update(table)
            .where(table.id.in_(ids))
            .values(lease_until=now + lease, attempts=table.attempts + 1)
            .execution_options(synchronize_session=False)
        )
    return ids
