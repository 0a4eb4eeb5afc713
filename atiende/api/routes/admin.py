"""Administration: WhatsApp channels and the webhooks kept for inspection."""

from fastapi import APIRouter

from atiende.actions import channel_settings, webhooks
from atiende.actions.channel_settings import ChannelChange, ChannelSpec, do_create_channel
from atiende.api.deps import CurrentUser, RuntimeDep, WorkDep, require_role
from atiende.schemas.channels import ChannelIn, ChannelOut, ChannelPatch, ChannelTestOut, FailureOut
from atiende.schemas.params import Id, Limit

router = APIRouter(prefix="/api/admin", tags=["admin"])
ADMIN = require_role("admin")
STAFF = require_role("admin", "supervisor")


@router.post("/channels", status_code=201, dependencies=[ADMIN])
async def create_channel(body: ChannelIn, actor: CurrentUser, w: WorkDep) -> ChannelOut:
    """Checked field by field (`channel_invalid` with `errors` and `error_codes`)."""
    channel = await do_create_channel(w, ChannelSpec(**body.model_dump()), actor.id)
    return ChannelOut.of(channel)


@router.get("/channels", dependencies=[ADMIN])
async def list_channels(w: WorkDep) -> list[ChannelOut]:
    return [ChannelOut.of(c) for c in await channel_settings.all_channels(w)]


@router.patch("/channels/{channel_id}", dependencies=[ADMIN])
async def patch_channel(
    channel_id: Id, body: ChannelPatch, actor: CurrentUser, w: WorkDep
) -> ChannelOut:
    """Only the fields given change; a secret given replaces the stored one."""
    change = ChannelChange(**body.model_dump())
    return ChannelOut.of(await channel_settings.do_update_channel(w, channel_id, change, actor.id))


@router.post("/channels/{channel_id}/test", dependencies=[ADMIN])
async def test_channel(channel_id: Id, w: WorkDep, rt: RuntimeDep) -> ChannelTestOut:
    """*Probar conexión*: asks Graph for the number with the channel's token. Answers 200
    with what was found, good or bad; only an unknown channel is refused."""
    channel = await channel_settings.get_channel(w, channel_id)
    target = channel_settings.graph_target(channel)
    outcome = await channel_settings.check_connection(rt.http, target, channel.display_phone_number)
    return ChannelTestOut.model_validate(outcome, from_attributes=True)


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
