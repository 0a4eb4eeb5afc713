"""Supervisors and admins: campaigns, their forms, live attentions, users, transfers report."""

from datetime import date, datetime
from typing import Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field
from sqlalchemy import select

from atiende.actions import campaigns as campaign_actions
from atiende.actions import forms, queries, templates
from atiende.api.deps import CurrentUser, WorkDep, require_role
from atiende.api.params import Id, Page
from atiende.api.routes.attentions import FormOut, TemplateOut
from atiende.db.models import Campaign, User
from atiende.domain.forms import FieldSpec
from atiende.schemas import AttentionOut

router = APIRouter(prefix="/api", tags=["supervision"])
STAFF = require_role("admin", "supervisor")


class MemberOut(BaseModel):
    user_id: int
    display_name: str
    capacity: int
    active: int


class CampaignOut(BaseModel):
    id: int
    name: str
    routing_mode: Literal["least_busy", "round_robin", "random", "offer_all"]
    reassign_after_seconds: int
    max_reassignments: int
    orphan_after_seconds: int
    overflow_after_seconds: int
    overflow_mode: Literal["none", "offer_all"]
    queued: int
    members: list[MemberOut]


class CampaignPatch(BaseModel):
    routing_mode: Literal["least_busy", "round_robin", "random", "offer_all"] | None = None
    reassign_after_seconds: int | None = Field(default=None, ge=0, le=86_400)
    max_reassignments: int | None = Field(default=None, ge=0, le=100)
    orphan_after_seconds: int | None = Field(default=None, ge=0, le=86_400)
    overflow_after_seconds: int | None = Field(default=None, ge=0, le=86_400)
    overflow_mode: Literal["none", "offer_all"] | None = None


class MemberIn(BaseModel):
    user_id: Id
    capacity: int = Field(ge=0, le=100)


class FieldIn(BaseModel):
    key: str = Field(max_length=64)
    label: str = Field(max_length=200)
    type: str
    required: bool = False
    options: list[str] | None = None


class FormIn(BaseModel):
    fields: list[FieldIn] = Field(max_length=100)


class UserRow(BaseModel):
    id: int
    username: str
    display_name: str
    role: str
    status: str
    pause_reason: str | None
    capacity: int
    active: int
    last_seen_at: datetime | None


class TransferRow(BaseModel):
    attention: AttentionOut
    transfers: int
    last_transfer_at: datetime


class TransferReport(BaseModel):
    items: list[TransferRow]
    total: int
    page: int
    page_size: int


async def _campaign_out(w: WorkDep, campaign: Campaign) -> CampaignOut:
    members = await campaign_actions.members_of(w, campaign.id)
    return CampaignOut(
        id=campaign.id,
        name=campaign.name,
        routing_mode=campaign.routing_mode,
        reassign_after_seconds=campaign.reassign_after_seconds,
        max_reassignments=campaign.max_reassignments,
        orphan_after_seconds=campaign.orphan_after_seconds,
        overflow_after_seconds=campaign.overflow_after_seconds,
        overflow_mode=campaign.overflow_mode,
        queued=await campaign_actions.queued_count(w, campaign.id),
        members=[
            MemberOut(
                user_id=u.id,
                display_name=u.display_name,
                capacity=m.capacity,
                active=held,
            )
            for m, u, held in members
        ],
    )


@router.get("/campaigns", dependencies=[STAFF])
async def list_campaigns(w: WorkDep) -> list[CampaignOut]:
    rows = (await w.session.scalars(select(Campaign).order_by(Campaign.name))).all()
    return [await _campaign_out(w, c) for c in rows]


@router.patch("/campaigns/{campaign_id}", dependencies=[STAFF])
async def patch_campaign(campaign_id: Id, body: CampaignPatch, w: WorkDep) -> CampaignOut:
    changes = body.model_dump(exclude_none=True)
    campaign = await campaign_actions.do_update_settings(w, campaign_id, changes)
    return await _campaign_out(w, campaign)


@router.put("/campaigns/{campaign_id}/members", dependencies=[STAFF])
async def put_members(campaign_id: Id, body: list[MemberIn], w: WorkDep) -> CampaignOut:
    specs = [campaign_actions.MemberSpec(m.user_id, m.capacity) for m in body]
    campaign = await campaign_actions.do_set_members(w, campaign_id, specs)
    return await _campaign_out(w, campaign)


@router.get("/campaigns/{campaign_id}/form", dependencies=[STAFF])
async def get_campaign_form(campaign_id: Id, w: WorkDep) -> FormOut | None:
    campaign = await campaign_actions.get_campaign(w, campaign_id)
    form = await forms.current_form(w, campaign_id)
    return FormOut.of(form, campaign.name) if form else None


@router.put("/campaigns/{campaign_id}/form", dependencies=[STAFF])
async def put_campaign_form(
    campaign_id: Id, body: FormIn, user: CurrentUser, w: WorkDep
) -> FormOut:
    specs = [
        FieldSpec(f.key, f.label, f.type, f.required, tuple(f.options) if f.options else None)
        for f in body.fields
    ]
    form = await forms.do_define_form(w, user.id, campaign_id, specs)
    campaign = await campaign_actions.get_campaign(w, campaign_id)
    return FormOut.of(form, campaign.name)


class TemplateIn(BaseModel):
    name: str = Field(max_length=512)
    language: str = Field(max_length=16)
    body: str = Field(max_length=1024)


@router.get("/campaigns/{campaign_id}/templates", dependencies=[STAFF])
async def list_templates(campaign_id: Id, w: WorkDep) -> list[TemplateOut]:
    await campaign_actions.get_campaign(w, campaign_id)
    return [TemplateOut.of(t) for t in await templates.for_campaign(w, campaign_id)]


@router.post("/campaigns/{campaign_id}/templates", status_code=201, dependencies=[STAFF])
async def add_template(campaign_id: Id, body: TemplateIn, w: WorkDep) -> TemplateOut:
    template = await templates.do_add(w, campaign_id, body.name, body.language, body.body)
    return TemplateOut.of(template)


@router.delete(
    "/campaigns/{campaign_id}/templates/{template_id}", status_code=204, dependencies=[STAFF]
)
async def remove_template(campaign_id: Id, template_id: Id, w: WorkDep) -> None:
    await templates.do_remove(w, campaign_id, template_id)


@router.get("/supervisor/attentions", dependencies=[STAFF])
async def live_attentions(
    w: WorkDep,
    state: Literal["queued", "assigned", "open"] | None = None,
    campaign_id: Id | None = None,
    agent_id: Id | None = None,
) -> list[AttentionOut]:
    rows = await queries.live_attentions(w, state, campaign_id, agent_id)
    return [AttentionOut.of(a) for a in rows]


@router.get("/users", dependencies=[STAFF])
async def list_users(w: WorkDep) -> list[UserRow]:
    rows = await w.session.scalars(select(User).order_by(User.role, User.display_name))
    return [
        UserRow(
            id=u.id,
            username=u.username,
            display_name=u.display_name,
            role=u.role,
            status=u.status,
            pause_reason=u.pause_reason,
            capacity=u.capacity,
            active=u.active_count,
            last_seen_at=u.last_seen_at,
        )
        for u in rows
    ]


@router.get("/reports/transfers", dependencies=[STAFF])
async def transfers_report(
    w: WorkDep,
    date_from: date | None = None,
    date_to: date | None = None,
    campaign_id: Id | None = None,
    agent_id: Id | None = None,
    page: Page = 1,
    page_size: int = Query(default=50, ge=1, le=200),
) -> TransferReport:
    filters = queries.TransferFilter(date_from, date_to, campaign_id, agent_id)
    rows, total = await queries.transferred_attentions(w, filters, page, page_size)
    return TransferReport(
        items=[
            TransferRow(attention=AttentionOut.of(a), transfers=n, last_transfer_at=last)
            for a, n, last in rows
        ],
        total=total,
        page=page,
        page_size=page_size,
    )
