"""WhatsApp channels and the webhooks kept for inspection."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, Field

from atiende.schemas.params import Id

if TYPE_CHECKING:
    from atiende.db.models import Channel


# Values are checked by the action, field by field (`channel_invalid`); these bounds only
# stop absurd bodies.
_TEXT = 1000


class ChannelIn(BaseModel):
    name: str = Field(max_length=_TEXT)
    phone_number_id: str = Field(max_length=_TEXT)
    display_phone_number: str = Field(max_length=_TEXT)
    access_token: str = Field(max_length=_TEXT)
    app_secret: str = Field(max_length=_TEXT)
    verify_token: str = Field(max_length=_TEXT)
    entry_campaign_id: Id
    waba_id: str = Field(default="", max_length=_TEXT)
    portfolio_id: str = Field(default="default", min_length=1, max_length=64)
    graph_base_url: str = Field(default="https://graph.facebook.com", max_length=_TEXT)
    graph_version: str = Field(default="v23.0", max_length=_TEXT)


class ChannelPatch(BaseModel):
    """What changes; a field left out (or null) stays. A secret given replaces the stored
    one: there is no reading it back."""

    name: str | None = Field(default=None, max_length=_TEXT)
    phone_number_id: str | None = Field(default=None, max_length=_TEXT)
    display_phone_number: str | None = Field(default=None, max_length=_TEXT)
    waba_id: str | None = Field(default=None, max_length=_TEXT)
    graph_base_url: str | None = Field(default=None, max_length=_TEXT)
    graph_version: str | None = Field(default=None, max_length=_TEXT)
    entry_campaign_id: Id | None = None
    access_token: str | None = Field(default=None, max_length=_TEXT)
    app_secret: str | None = Field(default=None, max_length=_TEXT)
    verify_token: str | None = Field(default=None, max_length=_TEXT)


class ChannelOut(BaseModel):
    """Secrets (token, app secret, verify token) never leave the server: only whether each
    is set."""

    id: int
    name: str
    phone_number_id: str
    display_phone_number: str
    waba_id: str
    portfolio_id: str
    graph_base_url: str
    graph_version: str
    entry_campaign_id: int
    access_token_set: bool
    app_secret_set: bool
    verify_token_set: bool

    @classmethod
    def of(cls, channel: Channel) -> ChannelOut:
        return cls(
            id=channel.id,
            name=channel.name,
            phone_number_id=channel.phone_number_id,
            display_phone_number=channel.display_phone_number,
            waba_id=channel.waba_id,
            portfolio_id=channel.portfolio_id,
            graph_base_url=channel.graph_base_url,
            graph_version=channel.graph_version,
            entry_campaign_id=channel.entry_campaign_id,
            access_token_set=bool(channel.access_token),
            app_secret_set=bool(channel.app_secret),
            verify_token_set=bool(channel.verify_token),
        )


class ChannelTestOut(BaseModel):
    """*Probar conexión*. `problem` null: Graph knows the number, with the stored display
    number; else what is wrong. `detail` in Spanish; `meta_code`/`meta_message` as Meta
    answered, when it did."""

    problem: (
        Literal[
            "unreachable",
            "timeout",
            "invalid_token",
            "permission",
            "unknown_number",
            "display_mismatch",
            "graph_error",
        ]
        | None
    )
    detail: str
    meta_code: int | None
    meta_message: str | None
    verified_name: str | None
    display_phone_number: str | None
    quality_rating: str | None
    code_verification_status: str | None


class FailureOut(BaseModel):
    id: int
    channel_id: int | None
    error: str
    received_at: datetime
    body: str
