"""channel secrets encrypted: access token, app secret and verify token as Fernet tokens

The columns become Text (a token is longer than what it encrypts) and the rows stored in
clear are encrypted with the configured key, which must be set when there are channels.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 09:00:00
"""

from collections.abc import Callable, Sequence

import sqlalchemy as sa
from alembic import op

from atiende.db.secrets import keyring_of
from atiende.keyring import Keyring

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SECRETS = ("access_token", "app_secret", "verify_token")
WIDENED = ("app_secret", "verify_token")


def upgrade() -> None:
    _retype(sa.String(length=200), sa.Text())
    _rewrite(lambda keyring, value: keyring.encrypt(value))


def downgrade() -> None:
    _rewrite(lambda keyring, value: keyring.decrypt(value))
    _retype(sa.Text(), sa.String(length=200))


def _retype(old: sa.types.TypeEngine[str], new: sa.types.TypeEngine[str]) -> None:
    # SQLite enforces no VARCHAR length, so there is nothing to widen; and the batch copy that
    # changes a declared type drops the table, which the rows referencing a channel (with
    # foreign keys on, as our connections have them) refuse or, with ON DELETE CASCADE, lose.
    if op.get_bind().dialect.name == "sqlite":
        return
    for column in WIDENED:
        op.alter_column("channels", column, existing_type=old, type_=new, existing_nullable=False)


def _rewrite(change: Callable[[Keyring, str], str]) -> None:
    # Plain SQL, not the model: its column type would encrypt or decrypt a second time.
    bind = op.get_bind()
    columns = ", ".join(SECRETS)
    rows = bind.execute(sa.text(f"SELECT id, {columns} FROM channels")).all()
    if not rows:
        return
    # Asked for only when there is something to rewrite: an empty database needs no key.
    keyring = keyring_of(bind.dialect)
    assignments = ", ".join(f"{c} = :{c}" for c in SECRETS)
    update = sa.text(f"UPDATE channels SET {assignments} WHERE id = :id")
    for row in rows:
        values = {c: change(keyring, getattr(row, c)) for c in SECRETS}
        bind.execute(update, {"id": row.id, **values})
