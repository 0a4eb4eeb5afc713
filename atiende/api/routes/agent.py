"""The agent's own desk: his lists, his queues, his status, his attended attentions."""

from fastapi import APIRouter, Query

from atiende.actions import presence
from atiende.actions.attended import CURSOR, attended_by
from atiende.actions.desk import desk_of
from atiende.actions.pause_reasons import active_names as pause_reasons_of
from atiende.actions.transfer_targets import targets_for
from atiende.api.deps import CurrentUser, RuntimeDep, WorkDep, presence_grace
from atiende.schemas.attentions import (
    AttendedOut,
    AttendedPage,
    AttentionOut,
    DeskOut,
    TargetsOut,
)
from atiende.schemas.users import StatusIn, UserOut

router = APIRouter(prefix="/api", tags=["agent"])


@router.get("/agent/attentions")
async def desk(user: CurrentUser, w: WorkDep, rt: RuntimeDep) -> DeskOut:
    return await desk_of(w, user, presence_grace(rt))


@router.put("/agent/status")
async def set_status(body: StatusIn, user: CurrentUser, w: WorkDep, rt: RuntimeDep) -> UserOut:
    updated = await presence.do_set_status(w, user, body.status, body.reason, presence_grace(rt))
    return UserOut.of(updated)


@router.get("/pause-reasons")
async def pause_reasons(_user: CurrentUser, w: WorkDep) -> list[str]:
    """The active reasons, in the supervisors' order; the same for every signed-in user."""
    return await pause_reasons_of(w)


@router.get("/agent/attended")
async def attended(
    user: CurrentUser,
    w: WorkDep,
    q: str | None = Query(default=None, max_length=100),
    before: str | None = Query(default=None, pattern=CURSOR),
    limit: int = Query(default=20, ge=1, le=100),
) -> AttendedPage:
    """His Atendidas, newest first; `before` is the previous page's `next_before`."""
    found = await attended_by(w, user.id, q, before, limit)
    return AttendedPage(
        items=[
            AttendedOut(
                **AttentionOut.of(i.attention).model_dump(), left_at=i.left_at, outcome=i.outcome
            )
            for i in found.items
        ],
        total=found.total,
        next_before=found.next_before,
    )


@router.get("/transfer-targets")
async def transfer_targets(user: CurrentUser, w: WorkDep) -> TargetsOut:
    """The caller's campaigns and, in each, the other agents with their room."""
    return await targets_for(w, user.id)
