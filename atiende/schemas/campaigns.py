"""Campaigns: routing settings and members."""

from typing import Literal

from pydantic import BaseModel, Field

from atiende.schemas.common import Ref
from atiende.schemas.params import Id


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
    # The country its customer bases' numbers are read in when they lack a country code.
    default_region: str
    # Archived: takes no new attentions, is no transfer target; stays in reports and history.
    archived: bool
    entry_channels: list[Ref] = Field(description="The WhatsApp numbers that enter it")
    # Service level: the share of attentions whose customer got an agent's first reply within
    # `service_level_seconds` of writing, against a target share (percent).
    service_level_seconds: int
    service_level_target: int
    queued: int
    members: list[MemberOut]


class CampaignCreate(BaseModel):
    name: str = Field(max_length=200)


class CampaignPatch(BaseModel):
    name: str | None = Field(default=None, max_length=200)
    archived: bool | None = None
    routing_mode: Literal["least_busy", "round_robin", "random", "offer_all"] | None = None
    reassign_after_seconds: int | None = Field(default=None, ge=0, le=86_400)
    max_reassignments: int | None = Field(default=None, ge=0, le=100)
    orphan_after_seconds: int | None = Field(default=None, ge=0, le=86_400)
    overflow_after_seconds: int | None = Field(default=None, ge=0, le=86_400)
    overflow_mode: Literal["none", "offer_all"] | None = None
    default_region: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")
    service_level_seconds: int | None = Field(default=None, ge=1, le=86_400)
    service_level_target: int | None = Field(default=None, ge=1, le=100)


class MemberIn(BaseModel):
    user_id: Id
    capacity: int = Field(ge=0, le=100)


class EntryChannelsIn(BaseModel):
    """Every number that is to enter the campaign, those that enter it now included."""

    channel_ids: list[Id] = Field(max_length=200)


class EntryChannelOut(BaseModel):
    """A WhatsApp number and the campaign it enters (no secrets: the supervisor's view)."""

    id: int
    name: str
    display_phone_number: str
    entry_campaign: Ref
