"""A customer base's rows as records: the mapping of columns, the per-row errors, the
search text. Pure: the file is read elsewhere (actions/base_files.py)."""

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Literal

from atiende.domain.phones import to_e164

ImportMode = Literal["replace", "update"]
IMPORT_MODES: tuple[ImportMode, ...] = ("replace", "update")

MAX_COLUMNS = 60
MAX_ROWS = 500_000
MAX_HEADER_CHARS = 120
# Longer cells are refused row by row: a base holds names, numbers and short codes.
MAX_CELL_CHARS = 1000
MAX_KEY_CHARS = 200

RowReason = Literal["key_missing", "key_duplicate", "key_too_long", "phone_invalid", "too_long"]


@dataclass(frozen=True)
class Mapping:
    """Which column of the file is the key, the phone and the name; the others are kept as
    the record's fields, all of them with their header names."""

    columns: tuple[str, ...]
    key: str
    phone: str
    name: str | None = None

    def index(self, column: str) -> int:
        return self.columns.index(column)


@dataclass(frozen=True)
class Record:
    row: int
    key: str
    phone: str | None
    name: str | None
    fields: dict[str, str]
    search: str


@dataclass(frozen=True)
class RowError:
    row: int
    column: str | None
    reason: RowReason
    value: str | None = None


@dataclass
class Mapper:
    """Turns rows into records, remembering the keys it saw (a key twice in one file is an
    error on its second row)."""

    mapping: Mapping
    region: str
    seen: set[str] = field(default_factory=set)

    def record(self, row: int, cells: Sequence[str]) -> Record | RowError:
        m = self.mapping
        values = {c: (cells[i] if i < len(cells) else "") for i, c in enumerate(m.columns)}
        for column, value in values.items():
            if len(value) > MAX_CELL_CHARS:
                return RowError(row, column, "too_long", value[:40])
        key = values[m.key]
        if not key:
            return RowError(row, m.key, "key_missing")
        if len(key) > MAX_KEY_CHARS:
            return RowError(row, m.key, "key_too_long", key[:40])
        if key in self.seen:
            return RowError(row, m.key, "key_duplicate", key)
        raw_phone = values[m.phone]
        phone = to_e164(raw_phone, self.region) if raw_phone else None
        if raw_phone and phone is None:
            return RowError(row, m.phone, "phone_invalid", raw_phone[:40])
        self.seen.add(key)
        name = (values[m.name] or None) if m.name else None
        return Record(row, key, phone, name, values, search_text(values.values()))


def search_text(values: Iterable[str]) -> str:
    """Every value in one lower-case, accent-free text, so a search for "jose" finds José."""
    return fold("\n".join(v for v in values if v))


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def header(cells: Sequence[object]) -> tuple[str, ...]:
    """Column names from the first row: blank names become "columna N", trailing blanks go."""
    names = [cell_text(c)[:MAX_HEADER_CHARS] for c in cells]
    while names and not names[-1]:
        names.pop()
    return tuple(n or f"columna {i + 1}" for i, n in enumerate(names))


def duplicate(columns: Sequence[str]) -> str | None:
    seen: set[str] = set()
    for column in columns:
        if fold(column) in seen:
            return column
        seen.add(fold(column))
    return None


def cell_text(value: object) -> str:
    """A cell as the text a person typed. A formula is kept as its text ("=SUM(A1)"), never
    evaluated; a whole number stored as a float loses its ".0" (phone numbers often are)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e16 else repr(value)
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(" ")
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value).strip()


_HINTS: dict[str, tuple[str, ...]] = {
    "phone": ("telefono", "celular", "movil", "phone", "whatsapp", "numero", "cel", "tel"),
    "key": ("documento", "dni", "ruc", "codigo", "clave", "key", "id"),
    "name": ("nombre", "name", "cliente", "razon social"),
}


def suggest(columns: Sequence[str]) -> dict[str, str | None]:
    """A first guess of the mapping from the header's words, for the supervisor to correct."""
    guess: dict[str, str | None] = {}
    for role, hints in _HINTS.items():
        guess[role] = next(
            (c for hint in hints for c in columns if hint in fold(c) and c not in guess.values()),
            None,
        )
    return guess
