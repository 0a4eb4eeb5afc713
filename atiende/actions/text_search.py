"""Attentions found by the words of their conversation or by their customer: the one
implementation *Buscar atenciones* and every report's `words` and `customer` filters share,
so a supervisor gets the same attentions for the same text wherever he types it.

Words go through each database's full-text index (db/search.py): accents and case ignored,
every word in one visible message (each a prefix), or a phrase in double quotes.
"""

from sqlalchemy import (
    ColumnElement,
    ScalarSelect,
    Select,
    exists,
    func,
    literal_column,
    or_,
    select,
    table,
)

from atiende.db.models import Attention, Contact, Customer, Message
from atiende.db.search import FTS_TABLE, PG_DOCUMENT
from atiende.domain.errors import Invalid
from atiende.domain.search import Words, fold, fts5_query, like_pattern, parse_words, pg_tsquery
from atiende.domain.search import phone_digits as digits_of


def words_of(text: str | None) -> Words | None:
    """The words typed, or None when nothing was (blank): a text with no word at all in it
    ("¡¿?!") is refused rather than read as no filter."""
    if not text or not text.strip():
        return None
    words = parse_words(text)
    if words is None:
        raise Invalid("search_words_empty", "Escriba al menos una palabra para buscar.")
    return words


def message_matches(dialect: str, words: Words) -> ColumnElement[bool]:
    """Messages whose text has the words, through the database's full-text index."""
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


def has_words(
    dialect: str,
    words: Words,
    *,
    few: bool = False,
    within: Select[int] | None = None,
) -> ColumnElement[bool]:
    """Attentions with a visible message that has the words. `few`: the query tests a
    handful of attentions it found otherwise (an agent's handled ones), so each one's own
    messages are read through (attention_id, id) instead of every match in the database.
    `within`: the ids of every attention the rest of the query can keep (a report's days);
    only the messages of attentions between the least and the greatest of them are read."""
    if few:
        return exists().where(
            Message.attention_id == Attention.id,
            Message.hidden.is_(False),
            message_matches(dialect, words),
        )
    hits = select(Message.attention_id).where(
        message_matches(dialect, words), Message.hidden.is_(False)
    )
    if within is not None:
        hits = hits.where(Message.attention_id.between(*_id_range(within)))
    hits_cte = hits.cte("word_hits")
    if dialect != "sqlite":
        # Read the matching messages through the GIN index first. Left to itself the
        # planner walked every message newest first, testing each one's text, and found
        # nothing for a rare word in 7.9 s at 1M messages.
        hits_cte = hits_cte.prefix_with("MATERIALIZED")
    return Attention.id.in_(select(hits_cte.c.attention_id))


def _id_range(ids: Select[int]) -> tuple[ScalarSelect[int], ScalarSelect[int]]:
    """The least and the greatest of `ids`. A common word is in a tenth of a year's
    messages, and a month's attentions are a narrow band of ids (they are numbered as they
    start): the range lets PostgreSQL intersect the word's index entries with the
    (attention_id, id) index's band before reading any message, so a month reads a month's
    matches. A range, not the ids themselves, because an index scan cannot take a set.
    `+ 0` keeps PostgreSQL from answering min/max by walking an index on the column from
    one end, which filters every older row to reach a month."""
    found = ids.subquery()
    value = found.c[0] + 0
    return (
        select(func.min(value)).scalar_subquery(),
        select(func.max(value)).scalar_subquery(),
    )


def customers(typed: str) -> Select[int]:
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
    digits = digits_of(typed)
    if digits is not None:
        conditions.append(Customer.phone.like(f"%{digits}%"))
    return select(Customer.id).where(or_(*conditions))
