"""Administration: WhatsApp channels and the webhooks kept for inspection."""

from datetime import datetime

from fastapi import APIRouter
from pydantic import BaseModel, Field
from sqlalchemy import select

from atiende.actions.channels import ChannelSpec, do_create_channel
from atiende.api.deps import WorkDep, require_role
from atiende.api.params import Id, Limit
from atiende.db.models import Channel, WebhookFailure

router = APIRouter(prefix="/api/admin", tags=["admin"])
ADMIN = require_role("admin")
STAFF = require_role("admin", "supervisor")


class ChannelIn(BaseModel):
    name: str = Field(min_length=1, max_length=120)
    phone_number_id: str = Field(min_length=1, max_length=64)
    display_phone_number: str = Field(min_length=1, max_length=32)
    access_token: str = Field(min_length=1)
    app_secret: str = Field(min_length=1, max_length=200)
    verify_token: str = Field(min_length=1, max_length=200)
    entry_campaign_id: Id
    waba_id: str = ""
    portfolio_id: str = "default"
    graph_base_url: str = "https://graph.facebook.com"
    graph_version: str = "v23.0"


class ChannelOut(BaseModel):
    """Secrets (token, app secret, verify token) never leave the server."""

    id: int
    name: str
    phone_number_id: str
    display_phone_number: str
    waba_id: str
    portfolio_id: str
    graph_base_url: str
    graph_version: str
    entry_campaign_id: int


class FailureOut(BaseModel):
    id: int
    channel_id: int | None
    error: str
    received_at: datetime
    body: str


@router.post("/channels", status_code=201, dependencies=[ADMIN])
async def create_channel(body: ChannelIn, w: WorkDep) -> ChannelOut:
    channel = await do_create_channel(w, ChannelSpec(**body.model_dump()))
    return ChannelOut.model_validate(channel, from_attributes=True)


@router.get("/channels", dependencies=[ADMIN])
async def list_channels(w: WorkDep) -> list[ChannelOut]:
    rows = await w.session.scalars(select(Channel).order_by(Channel.id))
    return [ChannelOut.model_validate(c, from_attributes=True) for c in rows]


@router.get("/webhook-failures", dependencies=[STAFF])
async def webhook_failures(w: WorkDep, limit: Limit = 100) -> list[FailureOut]:
    rows = await w.session.scalars(
        select(WebhookFailure).order_by(WebhookFailure.id.desc()).limit(limit)
    )
    return [
        FailureOut(
            id=f.id,
            channel_id=f.channel_id,
            error=f.error,
            received_at=f.received_at,
            body=f.body.decode("utf-8", errors="replace"),
        )
        for f in rows
    ]
