"""Supervisors' search of attentions (any state) by id, customer and conversation words."""

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Query

from atiende.actions.attention_search import SearchFilter, search_attentions
from atiende.api.deps import WorkDep, require_role
from atiende.schemas.attentions import AttentionOut
from atiende.schemas.params import Id
from atiende.schemas.search import AttentionSearchPage, FoundAttentionOut

router = APIRouter(prefix="/api/search", tags=["search"])
STAFF = require_role("admin", "supervisor")

SearchText = Annotated[str | None, Query(max_length=200)]
SearchLimit = Annotated[int, Query(ge=1, le=100)]


@router.get("/attentions", dependencies=[STAFF])
async def search(
    w: WorkDep,
    attention_id: Id | None = None,
    customer: SearchText = None,
    words: SearchText = None,
    date_from: date | None = None,
    date_to: date | None = None,
    campaign_id: Id | None = None,
    state: Literal["closed", "live"] | None = None,
    tz: Annotated[str, Query(max_length=64)] = "UTC",
    before_id: Id | None = None,
    limit: SearchLimit = 50,
) -> AttentionSearchPage:
    """`customer`: part of a name or username, or of a phone's digits; `words`: every word
    in one message (prefixes, accents ignored), or an exact phrase in double quotes; dates
    are days of `tz`, on when the attention started."""
    f = SearchFilter(attention_id, customer, words, date_from, date_to, campaign_id, state, tz)
    found, next_before_id = await search_attentions(w, f, before_id, limit)
    return AttentionSearchPage(
        items=[
            FoundAttentionOut(
                **AttentionOut.of(x.attention).model_dump(), matched_text=x.matched_text
            )
            for x in found
        ],
        next_before_id=next_before_id,
    )
