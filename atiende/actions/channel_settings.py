"""WhatsApp numbers the center answers on, as an administrator sets them up: created with
their secrets, and what follows from those settings (which numbers signed a webhook, where
and as whom their Graph calls go)."""

from dataclasses import dataclass

from sqlalchemy import select

from atiende.actions.work import Work
from atiende.channels.whatsapp.graph import GraphTarget
from atiende.channels.whatsapp.signature import verify
from atiende.db.models import Campaign, Channel
from atiende.domain.errors import DomainError, Invalid


@dataclass(frozen=True)
class ChannelSpec:
    name: str
    phone_number_id: str
    display_phone_number: str
    access_token: str
    app_secret: str
    verify_token: str
    entry_campaign_id: int
    waba_id: str = ""
    portfolio_id: str = "default"
    graph_base_url: str = "https://graph.facebook.com"
    graph_version: str = "v23.0"


async def do_create_channel(w: Work, spec: ChannelSpec) -> Channel:
    if not spec.phone_number_id.strip() or not spec.app_secret or not spec.access_token:
        raise Invalid(
            "channel_incomplete", "Faltan el phone number id, el token de acceso o el app secret."
        )
    campaign = await w.session.get(Campaign, spec.entry_campaign_id)
    if campaign is None:
        raise Invalid("unknown_campaign", "La campaña de entrada no existe.")
    if campaign.archived_at is not None:
        # An archived campaign takes no new attentions (actions/campaign_admin.py).
        raise Invalid(
            "campaign_archived", "La campaña está archivada.", params={"campaign": campaign.name}
        )
    taken = await w.session.scalar(
        select(Channel.id).where(Channel.phone_number_id == spec.phone_number_id)
    )
    if taken is not None:
        raise DomainError("channel_exists", "Ya hay un canal con ese phone number id.")
    channel = Channel(**spec.__dict__)
    w.session.add(channel)
    await w.session.flush()
    return channel


async def channels_signed_by(w: Work, body: bytes, header: str | None) -> list[Channel]:
    """Channels whose app secret produced this signature (several numbers may share an app)."""
    channels = await w.session.scalars(select(Channel))
    return [c for c in channels if verify(body, c.app_secret, header)]


async def all_channels(w: Work) -> list[Channel]:
    return list(await w.session.scalars(select(Channel).order_by(Channel.id)))


def graph_target(channel: Channel) -> GraphTarget:
    """Where and as whom the channel's calls to the Graph API go."""
    return GraphTarget(
        base_url=channel.graph_base_url,
        version=channel.graph_version,
        phone_number_id=channel.phone_number_id,
        access_token=channel.access_token,
    )
