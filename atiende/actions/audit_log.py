"""The administration's audit log: every change an admin or supervisor makes, written in the
transaction of the change (so a change rolled back leaves no row), and read newest first.

(`actions/audit.py` is another thing: the invariant check of counters and slots.)"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, select

from atiende.actions.work import Work
from atiende.db.models import AuditEntry, Campaign, Channel, PauseReason, User
from atiende.domain.audit import diff, masked


@dataclass(frozen=True)
class AuditFilter:
    actor_id: int | None = None
    entity: str | None = None
    # The caller's day bounds, in his time zone: [since, until).
    since: datetime | None = None
    until: datetime | None = None


def record(
    w: Work,
    actor_id: int | None,
    entity: str,
    entity_id: int | None,
    action: str,
    before: Mapping[str, Any],
    after: Mapping[str, Any],
) -> AuditEntry | None:
    """One row with the fields that changed, masked; nothing when nothing changed (a save
    that sets what was there already)."""
    changes = diff(masked(before), masked(after))
    if not changes:
        return None
    entry = AuditEntry(
        actor_id=actor_id, entity=entity, entity_id=entity_id, action=action, changes=changes
    )
    w.session.add(entry)
    return entry


def _filtered(query: Select[AuditEntry], f: AuditFilter) -> Select[AuditEntry]:
    if f.actor_id is not None:
        query = query.where(AuditEntry.actor_id == f.actor_id)
    if f.entity is not None:
        query = query.where(AuditEntry.entity == f.entity)
    if f.since is not None:
        query = query.where(AuditEntry.at >= f.since)
    if f.until is not None:
        query = query.where(AuditEntry.at < f.until)
    return query


@dataclass(frozen=True)
class Page:
    entries: list[AuditEntry]
    # Who acted and what was changed, by name: {user id: name}, {(entity, id): name}.
    actors: dict[int, str]
    entities: dict[tuple[str, int], str]
    next_before: int | None


async def page(w: Work, f: AuditFilter, before_id: int | None, limit: int) -> Page:
    """Newest first; the id is the key (rows are only ever appended). Answers the page and
    the key of the next one (None on the last page)."""
    query = _filtered(select(AuditEntry), f)
    if before_id is not None:
        query = query.where(AuditEntry.id < before_id)
    rows = list(await w.session.scalars(query.order_by(AuditEntry.id.desc()).limit(limit + 1)))
    more = len(rows) > limit
    rows = rows[:limit]
    user_ids = {r.actor_id for r in rows if r.actor_id} | _ids(rows, "user")
    users = dict(
        (
            await w.session.execute(select(User.id, User.display_name).where(User.id.in_(user_ids)))
        ).all()
    )
    campaigns = dict(
        (
            await w.session.execute(
                select(Campaign.id, Campaign.name).where(Campaign.id.in_(_ids(rows, "campaign")))
            )
        ).all()
    )
    reasons = dict(
        (
            await w.session.execute(
                select(PauseReason.id, PauseReason.name).where(
                    PauseReason.id.in_(_ids(rows, "pause_reason"))
                )
            )
        ).all()
    )
    channels = dict(
        (
            await w.session.execute(
                select(Channel.id, Channel.name).where(Channel.id.in_(_ids(rows, "channel")))
            )
        ).all()
    )
    entities = (
        {("user", i): n for i, n in users.items()}
        | {("campaign", i): n for i, n in campaigns.items()}
        | {("pause_reason", i): n for i, n in reasons.items()}
        | {("channel", i): n for i, n in channels.items()}
    )
    return Page(rows, users, entities, rows[-1].id if more else None)


def _ids(rows: list[AuditEntry], entity: str) -> set[int]:
    return {r.entity_id for r in rows if r.entity == entity and r.entity_id is not None}
