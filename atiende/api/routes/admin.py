"""Administration: WhatsApp channels and the webhooks kept for inspection."""

from fastapi import APIRouter

from atiende.actions import channel_settings, webhooks
from atiende.actions.channel_settings import ChannelSpec, do_create_channel
from atiende.api.deps import WorkDep, require_role
from atiende.schemas.channels import ChannelIn, ChannelOut, FailureOut
from atiende.schemas.params import Limit

router = APIRouter(prefix="/api/admin", tags=["admin"])
ADMIN = require_role("admin")
STAFF = require_role("admin", "supervisor")


@router.post("/channels", status_code=201, dependencies=[ADMIN])
async def create_channel(body: ChannelIn, w: WorkDep) -> ChannelOut:
    channel = await do_create_channel(w, ChannelSpec(**body.model_dump()))
    return ChannelOut.model_validate(channel, from_attributes=True)


@router.get("/channels", dependencies=[ADMIN])
async def list_channels(w: WorkDep) -> list[ChannelOut]:
    return [
        ChannelOut.model_validate(c, from_attributes=True)
        for c in await channel_settings.all_channels(w)
    ]


@router.get("/webhook-failures", dependencies=[STAFF])
async def webhook_failures(w: WorkDep, limit: Limit = 100) -> list[FailureOut]:
    rows = await webhooks.recent_failures(w, limit)
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
