"""Supervisors' search of attentions, closed or live: by id, by customer (name, username,
phone digits) and by words in the conversation, within dates and a campaign. Newest first,
a keyset page at a time. The full-text objects it queries are described in db/search.py."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import ColumnElement, Select, func, literal_column, or_, select, table

from atiende.actions.work import Work
from atiende.db.models import Attention, Contact, Customer, Message, Transfer
from atiende.db.search import FTS_TABLE, PG_DOCUMENT
from atiende.domain.errors import Invalid
from atiende.domain.search import (
    Words,
    fold,
    fts5_query,
    like_pattern,
    parse_words,
    pg_tsquery,
    phone_digits,
)
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
    zone = _zone(f.time_zone)
    words = parse_words(f.words) if f.words else None
    if f.words and words is None:
        raise Invalid("search_words_empty", "Escriba al menos una palabra para buscar.")
    query = select(Attention)
    if f.attention_id is not None:
        query = query.where(Attention.id == f.attention_id)
    if f.customer and f.customer.strip():
        query = query.where(Attention.customer_id.in_(_customers(f.customer)))
    if words is not None:
        dialect = w.session.get_bind().dialect.name
        hits = (
            select(Message.attention_id)
            .where(_matches(dialect, words), Message.hidden.is_(False))
            .cte("hits")
        )
        if dialect != "sqlite":
            # Read the matching messages through the GIN index first. Left to itself the
            # planner walked every message newest first, testing each one's text, and found
            # nothing for a rare word in 7.9 s at 1M messages.
            hits = hits.prefix_with("MATERIALIZED")
        query = query.where(Attention.id.in_(select(hits.c.attention_id)))
    query = _dates(query, f.date_from, f.date_to, zone)
    if f.campaign_id is not None:
        # Any campaign of its path: where it is now, or one it was transferred out of.
        query = query.where(
            or_(
                Attention.campaign_id == f.campaign_id,
                Attention.id.in_(
                    select(Transfer.attention_id).where(Transfer.from_campaign_id == f.campaign_id)
                ),
            )
        )
    if f.state == "closed":
        query = query.where(Attention.state == State.CLOSED)
    elif f.state == "live":
        query = query.where(Attention.state != State.CLOSED)
    if before_id is not None:
        query = query.where(Attention.id < before_id)
    rows = list(await w.session.scalars(query.order_by(Attention.id.desc()).limit(limit + 1)))
    page, more = rows[:limit], len(rows) > limit
    texts = await _matched_texts(w, [a.id for a in page], words) if words else {}
    found = [Found(a, texts.get(a.id)) for a in page]
    return found, page[-1].id if more and page else None


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as e:
        raise Invalid(
            "time_zone_unknown", "Zona horaria desconocida.", params={"tz": name[:64]}
        ) from e


def _dates(
    query: Select[Attention], start: date | None, end: date | None, zone: ZoneInfo
) -> Select[Attention]:
    """Started on `start` through `end`, days of the supervisor's time zone."""
    if start is not None:
        query = query.where(Attention.created_at >= datetime.combine(start, time.min, zone))
    # Through the last representable day means no upper bound (the day after would overflow).
    if end is not None and end < date.max:
        query = query.where(
            Attention.created_at < datetime.combine(end + timedelta(days=1), time.min, zone)
        )
    return query


def _customers(typed: str) -> Select[int]:
    """Customers whose WhatsApp name, contact name or username contains what was typed
    (accents and case ignored), or whose phone contains its digits."""
    folded = fold(typed.strip())
    pattern = like_pattern(folded)
    user_pattern = like_pattern(folded.lstrip("@"))
    conditions: list[ColumnElement[bool]] = [
        func.atiende_fold(Customer.name).like(pattern, escape="\\"),
        func.atiende_fold(Customer.username).like(user_pattern, escape="\\"),
        Customer.id.in_(
            select(Contact.customer_id).where(
                func.atiende_fold(Contact.name).like(pattern, escape="\\")
            )
        ),
    ]
    digits = phone_digits(typed)
    if digits is not None:
        conditions.append(Customer.phone.like(f"%{digits}%"))
    return select(Customer.id).where(or_(*conditions))


def _matches(dialect: str, words: Words) -> ColumnElement[bool]:
    """Messages whose text has the words, through each database's full-text index."""
    if dialect == "sqlite":
        fts = table(FTS_TABLE)
        return Message.id.in_(
            select(literal_column("rowid"))
            .select_from(fts)
            .where(literal_column(FTS_TABLE).op("MATCH")(fts5_query(words)))
        )
    return literal_column(PG_DOCUMENT).bool_op("@@")(
        func.to_tsquery(literal_column("'simple'::regconfig"), pg_tsquery(words))
    )


async def _matched_texts(w: Work, attention_ids: Sequence[int], words: Words) -> dict[int, str]:
    """The first matching message of each attention, shortened: why it was found."""
    if not attention_ids:
        return {}
    dialect = w.session.get_bind().dialect.name
    rows = await w.session.execute(
        select(Message.attention_id, func.min(Message.id))
        .where(
            Message.attention_id.in_(attention_ids),
            Message.hidden.is_(False),
            _matches(dialect, words),
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
