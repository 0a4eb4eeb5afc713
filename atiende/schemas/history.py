"""A customer's attentions, newest first, as the agent's *Historial* lists them."""

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from atiende.domain.forms import FieldType
from atiende.schemas.common import Person, Ref


class SegmentOut(BaseModel):
    number: int
    campaign: Ref
    agent: Person | None


class FieldValueOut(BaseModel):
    key: str
    label: str
    type: FieldType
    value: Any


class SubmittedFormOut(BaseModel):
    segment: int
    campaign: Ref
    submitted_at: datetime
    values: list[FieldValueOut] = Field(description="The filled fields, in the form's order")


class HistoryItemOut(BaseModel):
    id: int
    state: Literal["queued", "assigned", "open", "closed"]
    channel: Ref
    started_at: datetime
    closed_at: datetime | None
    closed_by: Person | None
    segments: list[SegmentOut] = Field(description="Campaigns and agents, in order")
    forms: list[SubmittedFormOut]


class HistoryPage(BaseModel):
    items: list[HistoryItemOut]
    next_before_id: int | None = Field(
        description="Pass as `before_id` for the next (older) page; null at the oldest"
    )
