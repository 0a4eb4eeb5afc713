"""room in each page of attentions and messages for their updates (PostgreSQL)

Every message a customer sends updates its attention (unread, last message, version), and
each status Meta reports updates a message: none of those columns is indexed, so PostgreSQL
can write the new row version beside the old one in the same page (a HOT update) and leave
the indexes alone; attentions have eleven. It can only when the page has room, and a page
filled to 100 % (the default) has none: the update then goes to another page and into every
index. SQLite has no such setting.

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-01 20:05:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0027"
down_revision: str | None = "0026"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Pages written from now on keep this share free; existing pages as they are rewritten.
FILLFACTOR = {"attentions": 70, "messages": 90}


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, percent in FILLFACTOR.items():
        op.execute(f"ALTER TABLE {table} SET (fillfactor = {percent})")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in FILLFACTOR:
        op.execute(f"ALTER TABLE {table} RESET (fillfactor)")
