"""The agent's own desk: his lists, his queues, his status."""

from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel

from atiende.actions import presence, queries
from atiende.api.deps import CurrentUser, RuntimeDep, WorkDep, presence_grace
from atiende.schemas import AttentionOut, QueueCount, UserOut

router = APIRouter(prefix="/api/agent", tags=["agent"])


class DeskOut(BaseModel):
    assigned: list[AttentionOut]
    open: list[AttentionOut]
    queues: list[QueueCount]


class StatusIn(BaseModel):
    status: Literal["available", "paused", "offline"]
    reason: str | None = None


@router.get("/attentions")
async def desk(user: CurrentUser, w: WorkDep) -> DeskOut:
    held = await queries.held_by(w, user.id)
    return DeskOut(
        assigned=[AttentionOut.of(a) for a in held if a.state == "assigned"],
        open=[AttentionOut.of(a) for a in held if a.state == "open"],
        queues=await queries.queues_of(w, user.id),
    )


@router.put("/status")
async def set_status(body: StatusIn, user: CurrentUser, w: WorkDep, rt: RuntimeDep) -> UserOut:
    updated = await presence.do_set_status(w, user, body.status, body.reason, presence_grace(rt))
    return UserOut.of(updated)
