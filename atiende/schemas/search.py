"""The supervisors' attention search: a page of attentions, newest first."""

from pydantic import BaseModel, Field

from atiende.schemas.attentions import AttentionOut


class FoundAttentionOut(AttentionOut):
    matched_text: str | None = Field(
        description="Where the words were found: part of the first matching message"
    )


class AttentionSearchPage(BaseModel):
    items: list[FoundAttentionOut]
    next_before_id: int | None = Field(description="Pass as before_id for the next page")
