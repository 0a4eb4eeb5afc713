"""`/api/audit-log`: what was changed in the administration, for supervisors and admins."""

from typing import Literal

from fastapi import APIRouter, Query
from pydantic import AwareDatetime

from atiende.actions import audit_log
from atiende.api.deps import WorkDep, require_role
from atiende.schemas.audit import AuditEntryOut, AuditPage
from atiende.schemas.params import Id

router = APIRouter(prefix="/api", tags=["supervision"])
STAFF = require_role("admin", "supervisor")


@router.get("/audit-log", dependencies=[STAFF])
async def audit_entries(
    w: WorkDep,
    actor_id: Id | None = None,
    entity: Literal["user", "campaign", "attention", "pause_reason", "message_prices", "channel"]
    | None = None,
    since: AwareDatetime | None = None,
    until: AwareDatetime | None = None,
    before: Id | None = None,
    limit: int = Query(default=50, ge=1, le=200),
) -> AuditPage:
    """Newest first; `since`/`until` are the bounds of the reader's days, `[since, until)`;
    `before` is the previous page's `next_before`."""
    filters = audit_log.AuditFilter(actor_id, entity, since, until)
    found = await audit_log.page(w, filters, before, limit)
    return AuditPage(
        items=[
            AuditEntryOut(
                id=e.id,
                at=e.at,
                actor_id=e.actor_id,
                actor_name=found.actors.get(e.actor_id) if e.actor_id else None,
                entity=e.entity,
                entity_id=e.entity_id,
                entity_name=found.entities.get((e.entity, e.entity_id))
                if e.entity_id is not None
                else None,
                action=e.action,
                changes=e.changes,
            )
            for e in found.entries
        ],
        next_before=found.next_before,
    )
