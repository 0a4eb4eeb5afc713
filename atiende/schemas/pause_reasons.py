"""Pause reasons as supervisors keep them."""

from pydantic import BaseModel, Field

from atiende.schemas.params import Id


class PauseReasonOut(BaseModel):
    id: int
    name: str
    active: bool
    position: int
    in_use: int = Field(description="Agents paused with it now (or offline, to return with it)")


class PauseReasonIn(BaseModel):
    id: Id | None = Field(default=None, description="None for a new reason")
    name: str = Field(max_length=200)
    active: bool = True


class PauseReasonsIn(BaseModel):
    """The whole list, in the menu's order; every existing reason is in it."""

    reasons: list[PauseReasonIn] = Field(max_length=100)
