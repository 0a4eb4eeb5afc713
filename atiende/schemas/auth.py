"""Signing in and the session."""

from pydantic import BaseModel, Field

from atiende.schemas.users import UserOut


class LoginIn(BaseModel):
    username: str = Field(max_length=200)
    # Hashing is the expensive step: a huge "password" must not reach it.
    password: str = Field(max_length=1024)


class SessionOut(BaseModel):
    user: UserOut
    csrf_token: str
