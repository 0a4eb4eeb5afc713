"""What a supervisor typed in the attention search, made into terms the databases agree on."""

import re
import unicodedata
from dataclasses import dataclass

from atiende.domain.errors import Invalid

# Words as both full-text tokenizers see them: letters and digits (PostgreSQL's 'simple'
# parser and SQLite's unicode61 both split on everything else).
_WORD = re.compile(r"[^\W_]+")
# More words would make a slower query, never a better one; the client checks it too
# (MAX_REPORT_WORDS in web/src/supervisor/requests.ts).
MAX_WORDS = 8
# A phone fragment shorter than this matches nearly every customer.
MIN_PHONE_DIGITS = 3


def fold(value: str) -> str:
    """Lower case without accents: "Información" -> "informacion" (as atiende_fold in SQL)."""
    decomposed = unicodedata.normalize("NFKD", value)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


@dataclass(frozen=True)
class Words:
    """Folded words of a message search; `phrase`: they must come together, in this order."""

    terms: tuple[str, ...]
    phrase: bool


def parse_words(query: str) -> Words | None:
    """`"a b"` (in double quotes) is a phrase; otherwise every word must be in one message,
    each as a prefix ("factur" finds "factura"). None when nothing searchable was typed;
    more than MAX_WORDS words are refused, not cut (the rest would be silently ignored)."""
    text = query.strip()
    phrase = len(text) >= 2 and text.startswith('"') and text.endswith('"')
    terms = tuple(_WORD.findall(fold(text)))
    if not terms:
        return None
    if len(terms) > MAX_WORDS:
        raise Invalid("too_many_words", "Busque con menos palabras.", params={"max": MAX_WORDS})
    return Words(terms=terms, phrase=phrase and len(terms) > 1)


def pg_tsquery(words: Words) -> str:
    """A to_tsquery('simple', ...) text; terms are letters and digits, nothing to escape."""
    if words.phrase:
        return " <-> ".join(words.terms)
    return " & ".join(f"{t}:*" for t in words.terms)


def fts5_query(words: Words) -> str:
    """An FTS5 MATCH text; each term quoted, so none is read as an operator (AND, NEAR)."""
    if words.phrase:
        return '"' + " ".join(words.terms) + '"'
    return " ".join(f'"{t}"*' for t in words.terms)


def phone_digits(query: str) -> str | None:
    """The digits of a phone as typed ("+51 987-654" -> "51987654"), if enough to search."""
    digits = "".join(c for c in query if c.isdigit())
    return digits if len(digits) >= MIN_PHONE_DIGITS else None


def like_pattern(value: str) -> str:
    """`value` anywhere, its LIKE wildcards taken literally (escape character '\\')."""
    escaped = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
