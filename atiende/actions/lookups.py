"""Rows by id, in one query each, for the names a listing shows."""

from sqlalchemy import select

from atiende.actions.work import Work
from atiende.db.models import Campaign, User


async def users_by_id(w: Work, ids: set[int]) -> dict[int, User]:
    if not ids:
        return {}
    rows = await w.session.scalars(select(User).where(User.id.in_(ids)))
    return {u.id: u for u in rows}


async def campaigns_by_id(w: Work, ids: set[int]) -> dict[int, Campaign]:
    if not ids:
        return {}
    rows = await w.session.scalars(select(Campaign).where(Campaign.id.in_(ids)))
    return {c.id: c for c in rows}
