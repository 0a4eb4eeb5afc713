"""The agent's own desk: his lists, his queues, his status, his attended attentions."""

from datetime import datetime
from typing import Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel
from sqlalchemy import select

from atiende.actions import presence, queries, slots
from atiende.api.deps import CurrentUser, RuntimeDep, WorkDep, presence_grace
from atiende.api.params import Page
from atiende.db.models import Campaign, CampaignMember, User
from atiende.schemas import AttentionOut, QueueCount, UserOut

router = APIRouter(prefix="/api", tags=["agent"])


class DeskOut(BaseModel):
    assigned: list[AttentionOut]
    open: list[AttentionOut]
    offered: list[AttentionOut]
    queues: list[QueueCount]


class StatusIn(BaseModel):
    status: Literal["available", "paused", "offline"]
    reason: str | None = None


class AttendedOut(AttentionOut):
    left_at: datetime
    outcome: Literal["closed", "transferred"]


class AttendedPage(BaseModel):
    items: list[AttendedOut]
    total: int
    page: int
    page_size: int


class TargetAgent(BaseModel):
    id: int
    display_name: str
    status: str
    free_slots: int


class TargetCampaign(BaseModel):
    id: int
    name: str
    agents: list[TargetAgent]


class TargetsOut(BaseModel):
    campaigns: list[TargetCampaign]


@router.get("/agent/attentions")
async def desk(user: CurrentUser, w: WorkDep, rt: RuntimeDep) -> DeskOut:
    held = await queries.held_by(w, user.id)
    offers = await queries.offered_to(w, user, presence_grace(rt))
    return DeskOut(
        assigned=[AttentionOut.of(a) for a in held if a.state == "assigned"],
        open=[AttentionOut.of(a) for a in held if a.state == "open"],
        offered=[AttentionOut.of(a, offered=True) for a in offers],
        queues=await queries.queues_of(w, user.id),
    )


@router.put("/agent/status")
async def set_status(body: StatusIn, user: CurrentUser, w: WorkDep, rt: RuntimeDep) -> UserOut:
    updated = await presence.do_set_status(w, user, body.status, body.reason, presence_grace(rt))
    return UserOut.of(updated)


@router.get("/pause-reasons")
async def pause_reasons(user: CurrentUser) -> list[str]:
    return list(presence.PAUSE_REASONS)


@router.get("/agent/attended")
async def attended(
    user: CurrentUser,
    w: WorkDep,
    q: str | None = Query(default=None, max_length=100),
    page: Page = 1,
    page_size: int = Query(default=20, ge=1, le=100),
) -> AttendedPage:
    items, total = await queries.attended_by(w, user.id, q, page, page_size)
    return AttendedPage(
        items=[
            AttendedOut(
                **AttentionOut.of(i.attention).model_dump(), left_at=i.left_at, outcome=i.outcome
            )
            for i in items
        ],
        total=total,
        page=page,
        page_size=page_size,
    )


@router.get("/transfer-targets")
async def transfer_targets(user: CurrentUser, w: WorkDep) -> TargetsOut:
    """The caller's campaigns and, in each, the other agents with their room."""
    mine = select(CampaignMember.campaign_id).where(CampaignMember.user_id == user.id)
    campaigns = (
        await w.session.scalars(
            select(Campaign).where(Campaign.id.in_(mine)).order_by(Campaign.name)
        )
    ).all()
    rows = (
        await w.session.execute(
            select(CampaignMember, User, slots.held_by_member())
            .join(User, User.id == CampaignMember.user_id)
            .where(CampaignMember.campaign_id.in_(mine), User.role == "agent", User.id != user.id)
            .order_by(User.display_name)
        )
    ).all()
    return TargetsOut(
        campaigns=[
            TargetCampaign(
                id=c.id,
                name=c.name,
                agents=[
                    TargetAgent(
                        id=u.id,
                        display_name=u.display_name,
                        status=u.status,
                        free_slots=max(0, min(m.capacity - held, u.capacity - u.active_count)),
                    )
                    for m, u, held in rows
                    if m.campaign_id == c.id
                ],
            )
            for c in campaigns
        ]
    )
