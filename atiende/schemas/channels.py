"""WhatsApp channels and the webhooks kept for inspection."""

from datetime import datetime

from pydantic import BaseModel, Field

from atiende.schemas.params import Id


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
