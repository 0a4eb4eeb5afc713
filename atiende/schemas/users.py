"""Users: who is signed in, an agent's status, the supervisors' user list, accounts."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel

if TYPE_CHECKING:
    from atiende.db.models import User


class UserOut(BaseModel):
    id: int
    username: str
    display_name: str
    role: Literal["agent", "supervisor", "admin"]
    status: Literal["available", "paused", "offline"]
    pause_reason: str | None = None

    @classmethod
    def of(cls, user: User) -> UserOut:
        return cls.model_validate(user, from_attributes=True)


class StatusIn(BaseModel):
    status: Literal["available", "paused", "offline"]
    reason: str | None = None


class UserRow(BaseModel):
    id: int
    username: str
    display_name: str
    role: Literal["agent", "supervisor", "admin"]
    status: Literal["available", "paused", "offline"]
    pause_reason: str | None
    capacity: int
    active: int
    last_seen_at: datetime | None


class AccountOut(UserOut):
    active: bool
