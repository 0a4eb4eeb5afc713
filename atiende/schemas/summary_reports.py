"""The summary reports: attentions per campaign and day, agent states per agent and day, one
agent's status timeline, and the price of a billable message per Meta category."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, Field

from atiende.schemas.common import Person


class SummaryFigures(BaseModel):
    """A campaign's day as counted (`actions/attentions_summary.SummaryRow` adds the cost
    in micros) and as answered (`SummaryRowOut` adds it in the prices' currency)."""

    day: date
    campaign_id: int
    campaign: str
    received: int
    answered: int
    closed: int
    still_open: int
    reassigned: int
    orphaned: int
    transferred: int
    messages_in: int
    messages_out: int
    avg_first_response_seconds: float | None
    avg_wait_seconds: float | None
    avg_handle_seconds: float | None
    # Billable outbound messages per Meta category (as Meta sent it), `other` for the rest.
    billable: dict[str, int]
    # Billable messages whose category has no price set: left out of the cost.
    unpriced_billable: int


class SummaryRowOut(SummaryFigures):
    # In `currency`; None when no price is set at all.
    cost: Decimal | None


class SummaryPage(BaseModel):
    items: list[SummaryRowOut]
    # The next page's `cursor` (the shared filters'); None on the last page.
    next_cursor: str | None
    currency: str | None
    categories: list[str]


class AgentDayOut(BaseModel):
    agent: Person
    day: date
    logged_in_seconds: float
    available_seconds: float
    paused_seconds: float
    paused_by_reason: dict[str, float]
    offline_seconds: float
    handled: int
    avg_handle_seconds: float | None


class AgentStatesPage(BaseModel):
    items: list[AgentDayOut]
    # The next page's `cursor` (the shared filters'); None on the last page.
    next_cursor: str | None


class SpanOut(BaseModel):
    status: str
    reason: str | None
    automatic: bool
    start: datetime
    end: datetime
    seconds: float
    ongoing: bool


class TimelineDay(BaseModel):
    day: date
    spans: list[SpanOut]


class AgentTimelineOut(BaseModel):
    agent: Person
    days: list[TimelineDay]


Category = Annotated[str, Field(pattern=r"^[a-z][a-z_]{0,39}$")]
Price = Annotated[Decimal, Field(ge=0, max_digits=12, decimal_places=6)]


class MessagePriceIn(BaseModel):
    category: Category
    price: Price


class MessagePricesIn(BaseModel):
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
    prices: list[MessagePriceIn] = Field(max_length=40)


class MessagePriceOut(BaseModel):
    category: str
    price: Decimal
    updated_at: datetime


class MessagePricesOut(BaseModel):
    currency: str | None
    prices: list[MessagePriceOut]
    # Meta's categories, for the form.
    categories: list[str]
