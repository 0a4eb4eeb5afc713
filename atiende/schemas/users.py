"""Users: who is signed in, an agent's status, the supervisors' user list, accounts."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, Field

from atiende.schemas.params import Id

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
    # What routing lets him hold at once: his own limit, never more than the sum of his
    # campaigns' capacities (each campaign also caps his share of it).
    capacity: int
    active: int
    last_seen_at: datetime | None


class AccountOut(UserOut):
    active: bool


class MembershipIn(BaseModel):
    campaign_id: Id
    capacity: int = Field(ge=0, le=100)


class MembershipOut(BaseModel):
    campaign_id: int
    campaign_name: str
    capacity: int


class AdminUserOut(BaseModel):
    """A user as the administrator manages him: never his password."""

    id: int
    username: str
    display_name: str
    role: Literal["agent", "supervisor", "admin"]
    active: bool
    status: Literal["available", "paused", "offline"]
    memberships: list[MembershipOut]


# Lengths are checked by the action, field by field; these bounds only stop absurd bodies.
class UserCreateIn(BaseModel):
    username: str = Field(max_length=1000)
    display_name: str = Field(max_length=1000)
    role: Literal["agent", "supervisor", "admin"]
    password: str = Field(max_length=1000)
    memberships: list[MembershipIn] = Field(default_factory=list, max_length=200)


class UserPatch(BaseModel):
    display_name: str | None = Field(default=None, max_length=1000)
    role: Literal["agent", "supervisor", "admin"] | None = None


class PasswordIn(BaseModel):
    password: str = Field(max_length=1000)
