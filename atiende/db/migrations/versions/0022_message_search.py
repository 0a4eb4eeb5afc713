"""message search: full-text over the messages' text, accents ignored, on both databases

PostgreSQL: the unaccent extension, an IMMUTABLE `atiende_fold(text)` (lower + unaccent)
and a GIN index on to_tsvector('simple', atiende_fold(text)); building the index indexes the
rows already there. SQLite: the FTS5 table `messages_fts` (external content on `messages`,
tokenizer unicode61 remove_diacritics 2) filled from the existing rows and kept in step by
triggers. See atiende/db/search.py.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-01 07:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_SQLITE_UP = [
    "CREATE VIRTUAL TABLE messages_fts USING fts5("
    "text, content='messages', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 2')",
    "INSERT INTO messages_fts(rowid, text) SELECT id, text FROM messages WHERE text IS NOT NULL",
    # Only rows with text are indexed; the 'delete' command must repeat what was indexed.
    "CREATE TRIGGER messages_fts_ai AFTER INSERT ON messages WHEN new.text IS NOT NULL BEGIN "
    "INSERT INTO messages_fts(rowid, text) VALUES (new.id, new.text); END",
    "CREATE TRIGGER messages_fts_ad AFTER DELETE ON messages WHEN old.text IS NOT NULL BEGIN "
    "INSERT INTO messages_fts(messages_fts, rowid, text) VALUES ('delete', old.id, old.text); "
    "END",
    "CREATE TRIGGER messages_fts_au AFTER UPDATE OF text ON messages BEGIN "
    "INSERT INTO messages_fts(messages_fts, rowid, text) "
    "SELECT 'delete', old.id, old.text WHERE old.text IS NOT NULL; "
    "INSERT INTO messages_fts(rowid, text) SELECT new.id, new.text WHERE new.text IS NOT NULL; "
    "END",
]

_SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS messages_fts_au",
    "DROP TRIGGER IF EXISTS messages_fts_ad",
    "DROP TRIGGER IF EXISTS messages_fts_ai",
    "DROP TABLE IF EXISTS messages_fts",
]

_PG_UP = [
    # A trusted extension since PostgreSQL 13: the database's owner may create it.
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    # unaccent() is STABLE (its dictionary could change); naming the dictionary makes the
    # result fixed, which an index needs. The same function folds names in the search.
    "CREATE FUNCTION atiende_fold(value text) RETURNS text "
    "LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE "
    "AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, value)) $$",
    "CREATE INDEX ix_messages_text_search ON messages "
    "USING gin (to_tsvector('simple'::regconfig, atiende_fold(text)))",
]

# The extension stays: something else may use it, and creating it again is harmless.
_PG_DOWN = [
    "DROP INDEX IF EXISTS ix_messages_text_search",
    "DROP FUNCTION IF EXISTS atiende_fold(text)",
]


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for statement in _SQLITE_UP if sqlite else _PG_UP:
        op.execute(statement)


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for statement in _SQLITE_DOWN if sqlite else _PG_DOWN:
        op.execute(statement)
