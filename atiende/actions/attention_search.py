"""Supervisors' search of attentions, closed or live: by id, by customer (name, username,
phone digits) and by words in the conversation, within dates and a campaign. Newest first,
a keyset page at a time. Customer and words are matched as every report's filters match
them (actions/text_search.py)."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from sqlalchemy import ColumnElement, func, or_, select

from atiende.actions import text_search
from atiende.actions.report_filters import page_ids
from atiende.actions.work import Work
from atiende.db.models import Attention, Message, Transfer
from atiende.domain.report_days import day_bounds, time_zone
from atiende.domain.search import Words, fold
from atiende.domain.states import State

# How much of a matching message a result shows.
MATCH_CHARS = 200


@dataclass(frozen=True)
class SearchFilter:
    attention_id: int | None = None
    customer: str | None = None
    words: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    campaign_id: int | None = None
    state: Literal["closed", "live"] | None = None
    # The supervisor's time zone: his dates are his days, not UTC's.
    time_zone: str = "UTC"


@dataclass(frozen=True)
class Found:
    attention: Attention
    matched_text: str | None


async def search_attentions(
    w: Work, f: SearchFilter, before_id: int | None, limit: int
) -> tuple[list[Found], int | None]:
    """A page of matching attentions, newest first, and the cursor of the next page."""
    start, end = day_bounds(f.date_from, f.date_to, time_zone(f.time_zone))
    words = text_search.words_of(f.words)
    dialect = w.dialect
    where: list[ColumnElement[bool]] = []
    if f.attention_id is not None:
        where.append(Attention.id == f.attention_id)
    if f.customer and f.customer.strip():
        where.append(Attention.customer_id.in_(text_search.customers(f.customer)))
    days: list[ColumnElement[bool]] = []
    if start is not None:
        days.append(Attention.created_at >= start)
    if end is not None:
        days.append(Attention.created_at < end)
    where += days
    if words is not None:
        within = select(Attention.id).where(*days) if days else None
        where.append(text_search.has_words(dialect, words, within=within))
    if f.campaign_id is not None:
        # Any campaign of its path: where it is now, or one it was transferred out of.
        where.append(
            or_(
                Attention.campaign_id == f.campaign_id,
                Attention.id.in_(
                    select(Transfer.attention_id).where(Transfer.from_campaign_id == f.campaign_id)
                ),
            )
        )
    if f.state == "closed":
        where.append(Attention.state == State.CLOSED)
    elif f.state == "live":
        where.append(Attention.state != State.CLOSED)
    if before_id is not None:
        where.append(Attention.id < before_id)
    newest = (Attention.id.desc(),)
    ids = page_ids(where, newest, limit + 1)
    rows = list(
        await w.session.scalars(select(Attention).where(Attention.id.in_(ids)).order_by(*newest))
    )
    page, more = rows[:limit], len(rows) > limit
    texts = await _matched_texts(w, [a.id for a in page], words) if words else {}
    found = [Found(a, texts.get(a.id)) for a in page]
    return found, page[-1].id if more and page else None


async def _matched_texts(w: Work, attention_ids: Sequence[int], words: Words) -> dict[int, str]:
    """The first matching message of each attention, shortened: why it was found."""
    if not attention_ids:
        return {}
    dialect = w.dialect
    rows = await w.session.execute(
        select(Message.attention_id, func.min(Message.id))
        .where(
            Message.attention_id.in_(attention_ids),
            Message.hidden.is_(False),
            text_search.message_matches(dialect, words),
        )
        .group_by(Message.attention_id)
    )
    first = {message_id: attention_id for attention_id, message_id in rows}
    if not first:
        return {}
    texts = await w.session.execute(
        select(Message.id, Message.text).where(Message.id.in_(list(first)))
    )
    return {first[mid]: excerpt(text or "", words.terms) for mid, text in texts}


def excerpt(text: str, terms: Sequence[str]) -> str:
    """At most MATCH_CHARS of `text` around the first of `terms` it contains."""
    text = " ".join(text.split())
    if len(text) <= MATCH_CHARS:
        return text
    # Folding keeps precomposed letters one character long, so positions line up.
    folded = fold(text)
    at = min((i for i in (folded.find(t) for t in terms) if i >= 0), default=0)
    start = max(0, min(at - MATCH_CHARS // 4, len(text) - MATCH_CHARS))
    piece = text[start : start + MATCH_CHARS]
    return ("…" if start > 0 else "") + piece + ("…" if start + MATCH_CHARS < len(text) else "")
