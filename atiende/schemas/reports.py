"""Supervisors' reports."""

from datetime import datetime

from pydantic import BaseModel

from atiende.schemas.attentions import AttentionOut


class TransferRow(BaseModel):
    attention: AttentionOut
    transfer_count: int
    last_transfer_at: datetime


class TransferReport(BaseModel):
    items: list[TransferRow]
    total: int
    page: int
    page_size: int
