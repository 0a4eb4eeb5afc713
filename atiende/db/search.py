"""Full-text search of messages: the objects the migrations create beside the models.

PostgreSQL: a GIN index over `to_tsvector('simple', atiende_fold(text))`, where
`atiende_fold` is lower(unaccent(...)) declared IMMUTABLE so an index may use it. 'simple'
and not 'spanish': customers write "informacion" for "información" and "envio" for "envío",
and stemming would also merge words a supervisor wants apart (a name, a product code).
SQLite: an FTS5 table over `messages.text` (external content, so the text is stored once)
with the unicode61 tokenizer removing diacritics, kept in step by triggers on `messages`,
which catch every path that writes a message (ingest, sends, edits, deletions).

Neither is a model: SQLAlchemy cannot declare an FTS5 table, triggers or a dialect-only
expression index. `is_search_object` tells the schema comparison (tests/integration/
test_migrations.py, env.py) to leave them out.

A later migration that rebuilds `messages` on SQLite (batch mode copies the table and drops
the old one) drops its triggers with it: such a migration must create them again, as
0022 does (tests/integration/test_attention_search.py fails if search stops following writes).
"""

FTS_TABLE = "messages_fts"
PG_INDEX = "ix_messages_text_search"
# The expression the PostgreSQL index is built on; a query must repeat it to use the index.
PG_DOCUMENT = "to_tsvector('simple'::regconfig, atiende_fold(messages.text))"


def is_search_object(name: str | None, type_: str) -> bool:
    """A table or index of the full-text search (FTS5 also creates `messages_fts_*` tables)."""
    if name is None:
        return False
    if type_ == "table":
        return name == FTS_TABLE or name.startswith(FTS_TABLE + "_")
    return type_ == "index" and name == PG_INDEX
