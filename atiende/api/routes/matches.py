"""Coincidencia, for the agent who holds the attention: the base records that match the
customer, a search over them, and the record linked to the attention."""

from typing import Annotated

from fastapi import APIRouter, Query

from atiende.actions import matches
from atiende.api.deps import CurrentUser, WorkDep
from atiende.schemas.attentions import AttentionOut
from atiende.schemas.bases import LinkIn, MatchesOut, RecordOut
from atiende.schemas.params import Id

router = APIRouter(prefix="/api/attentions", tags=["coincidencia"])


@router.get("/{attention_id}/matches")
async def attention_matches(attention_id: Id, user: CurrentUser, w: WorkDep) -> MatchesOut:
    return await matches.matches(w, user, attention_id)


@router.get("/{attention_id}/base-records")
async def search_records(
    attention_id: Id,
    user: CurrentUser,
    w: WorkDep,
    q: Annotated[str, Query(max_length=120)] = "",
) -> list[RecordOut]:
    """Records of the campaign's bases with every word of `q` in some column, or whose phone
    is the number `q` spells."""
    return await matches.search(w, user, attention_id, q)


@router.put("/{attention_id}/match")
async def link_record(
    attention_id: Id, body: LinkIn, user: CurrentUser, w: WorkDep
) -> AttentionOut:
    return AttentionOut.of(await matches.do_link(w, user, attention_id, body.record_id))


@router.delete("/{attention_id}/match")
async def unlink_record(attention_id: Id, user: CurrentUser, w: WorkDep) -> AttentionOut:
    return AttentionOut.of(await matches.do_unlink(w, user, attention_id))
