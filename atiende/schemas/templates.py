"""Message templates of a campaign."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import BaseModel, Field

from atiende.domain.templates import placeholders

if TYPE_CHECKING:
    from atiende.db.models import Template


class TemplateOut(BaseModel):
    id: int
    name: str
    language: str
    body: str
    params: int

    @classmethod
    def of(cls, t: Template) -> TemplateOut:
        return cls(
            id=t.id, name=t.name, language=t.language, body=t.body, params=placeholders(t.body)
        )


class TemplateIn(BaseModel):
    name: str = Field(max_length=512)
    language: str = Field(max_length=16)
    body: str = Field(max_length=1024)
