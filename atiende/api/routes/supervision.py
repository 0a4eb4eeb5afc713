"""Supervisors and admins: campaigns, their forms, live attentions, users."""

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import AwareDatetime

from atiende.actions import campaign_admin, contact_fields, dashboard, forms, templates, users
from atiende.actions import campaigns as campaign_actions
from atiende.actions.live_attentions import LiveFilter, cursor
from atiende.actions.live_attentions import live_attentions as live_rows
from atiende.api.deps import CurrentUser, WorkDep, require_role
from atiende.domain.forms import FieldSpec
from atiende.schemas.attentions import AttentionOut, LiveAttentionsPage, LiveCursor
from atiende.schemas.campaigns import (
    CampaignCreate,
    CampaignOut,
    CampaignPatch,
    EntryChannelOut,
    EntryChannelsIn,
    MemberIn,
)
from atiende.schemas.common import Ref
from atiende.schemas.contacts import ContactFieldsIn, field_out
from atiende.schemas.dashboard import DashboardOut
from atiende.schemas.forms import FieldIn, FieldOut, FormIn, FormOut
from atiende.schemas.params import Id
from atiende.schemas.templates import TemplateIn, TemplateOut
from atiende.schemas.users import UserRow

router = APIRouter(prefix="/api", tags=["supervision"])
STAFF = require_role("admin", "supervisor")


@router.get("/campaigns", dependencies=[STAFF])
async def list_campaigns(w: WorkDep) -> list[CampaignOut]:
    return await campaign_actions.describe_all(w)


@router.post("/campaigns", status_code=201, dependencies=[STAFF])
async def create_campaign(body: CampaignCreate, user: CurrentUser, w: WorkDep) -> CampaignOut:
    campaign = await campaign_admin.do_create(w, user.id, body.name)
    return await campaign_actions.describe(w, campaign)


@router.patch("/campaigns/{campaign_id}", dependencies=[STAFF])
async def patch_campaign(
    campaign_id: Id, body: CampaignPatch, user: CurrentUser, w: WorkDep
) -> CampaignOut:
    """Settings, a new name, `archived` true or false: what is not sent stays."""
    changes = body.model_dump(exclude_none=True)
    campaign = await campaign_admin.do_update(w, user.id, campaign_id, changes)
    return await campaign_actions.describe(w, campaign)


@router.get("/entry-channels", dependencies=[STAFF])
async def list_entry_channels(w: WorkDep) -> list[EntryChannelOut]:
    """Every WhatsApp number and the campaign it enters."""
    return [
        EntryChannelOut(
            id=ch.id,
            name=ch.name,
            display_phone_number=ch.display_phone_number,
            entry_campaign=Ref(id=c.id, name=c.name),
        )
        for ch, c in await campaign_admin.entry_channels(w)
    ]


@router.put("/campaigns/{campaign_id}/entry-channels", dependencies=[STAFF])
async def put_entry_channels(
    campaign_id: Id, body: EntryChannelsIn, user: CurrentUser, w: WorkDep
) -> CampaignOut:
    campaign = await campaign_admin.do_set_entry_channels(w, user.id, campaign_id, body.channel_ids)
    return await campaign_actions.describe(w, campaign)


@router.put("/campaigns/{campaign_id}/members", dependencies=[STAFF])
async def put_members(
    campaign_id: Id, body: list[MemberIn], user: CurrentUser, w: WorkDep
) -> CampaignOut:
    specs = [campaign_actions.MemberSpec(m.user_id, m.capacity) for m in body]
    campaign = await campaign_actions.do_set_members(w, campaign_id, specs, user.id)
    return await campaign_actions.describe(w, campaign)


@router.get("/campaigns/{campaign_id}/form", dependencies=[STAFF])
async def get_campaign_form(campaign_id: Id, w: WorkDep) -> FormOut | None:
    campaign = await campaign_actions.get_campaign(w, campaign_id)
    form = await forms.current_form(w, campaign_id)
    return FormOut.of(form, campaign.name) if form else None


@router.put("/campaigns/{campaign_id}/form", dependencies=[STAFF])
async def put_campaign_form(
    campaign_id: Id, body: FormIn, user: CurrentUser, w: WorkDep
) -> FormOut:
    form = await forms.do_define_form(w, user.id, campaign_id, _specs(body.fields))
    campaign = await campaign_actions.get_campaign(w, campaign_id)
    return FormOut.of(form, campaign.name)


def _specs(fields: list[FieldIn]) -> list[FieldSpec]:
    return [
        FieldSpec(f.key, f.label, f.type, f.required, tuple(f.options) if f.options else None)
        for f in fields
    ]


@router.get("/contact-fields", dependencies=[STAFF])
async def get_contact_fields(w: WorkDep) -> list[FieldOut]:
    """The fields every contact has beside name, phones, email, document and notes."""
    return [field_out(f) for f in await contact_fields.all_fields(w)]


@router.put("/contact-fields", dependencies=[STAFF])
async def put_contact_fields(body: ContactFieldsIn, w: WorkDep) -> list[FieldOut]:
    return [field_out(f) for f in await contact_fields.do_define(w, _specs(body.fields))]


@router.get("/campaigns/{campaign_id}/templates", dependencies=[STAFF])
async def list_templates(campaign_id: Id, w: WorkDep) -> list[TemplateOut]:
    await campaign_actions.get_campaign(w, campaign_id)
    return [TemplateOut.of(t) for t in await templates.for_campaign(w, campaign_id)]


@router.post("/campaigns/{campaign_id}/templates", status_code=201, dependencies=[STAFF])
async def add_template(
    campaign_id: Id, body: TemplateIn, user: CurrentUser, w: WorkDep
) -> TemplateOut:
    template = await templates.do_add(w, campaign_id, body.name, body.language, body.body, user.id)
    return TemplateOut.of(template)


@router.delete(
    "/campaigns/{campaign_id}/templates/{template_id}", status_code=204, dependencies=[STAFF]
)
async def remove_template(campaign_id: Id, template_id: Id, user: CurrentUser, w: WorkDep) -> None:
    await templates.do_remove(w, campaign_id, template_id, user.id)


@router.get("/supervisor/dashboard", dependencies=[STAFF])
async def dashboard_snapshot(
    w: WorkDep, tz: Annotated[str, Query(min_length=1, max_length=64)] = "UTC"
) -> DashboardOut:
    """Everything the live dashboard shows, now; the staff room's events keep it current."""
    return await dashboard.snapshot(w, tz)


@router.get("/supervisor/attentions", dependencies=[STAFF])
async def live_attentions(
    w: WorkDep,
    state: Literal["queued", "assigned", "open"] | None = None,
    campaign_id: Id | None = None,
    agent_id: Id | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 100,
    after_queued_at: AwareDatetime | None = None,
    after_id: Id | None = None,
) -> LiveAttentionsPage:
    filters = LiveFilter(state=state, campaign_id=campaign_id, agent_id=agent_id)
    page = await live_rows(w, filters, limit, cursor(after_queued_at, after_id))
    nxt = page.next_after
    return LiveAttentionsPage(
        items=[AttentionOut.of(a) for a in page.items],
        total=page.total,
        next=LiveCursor(queued_at=nxt[0], id=nxt[1]) if nxt else None,
    )


@router.get("/users", dependencies=[STAFF])
async def list_users(w: WorkDep) -> list[UserRow]:
    return [
        UserRow(
            id=u.id,
            username=u.username,
            display_name=u.display_name,
            role=u.role,
            status=u.status,
            pause_reason=u.pause_reason,
            capacity=capacity,
            active=u.active_count,
            last_seen_at=u.last_seen_at,
        )
        for u, capacity in await users.all_users_with_capacity(w)
    ]
