"""The command line's user commands are audited like the console's, with no actor: the audit
log shows them as done from the command line."""

import asyncio
from pathlib import Path

from sqlalchemy import select

from atiende.db.engine import create_engine
from atiende.db.models import AuditEntry, User
from tests.procs import run


async def test_user_create_deactivate_reactivate_are_audited_with_no_actor(
    database_url: str, tmp_path: Path
) -> None:
    env = {
        "ATIENDE_DATABASE_URL": database_url,
        "ATIENDE_MEDIA_DIR": str(tmp_path / "media"),
        "ATIENDE_REDIS_URL": "",
    }
    create = ["user", "create", "--username", "rocio", "--name", "Rocío"]
    for args in (
        [*create, "--password", "clave-larga-1", "--campaign", "Ventas"],
        ["user", "deactivate", "--username", "rocio"],
        ["user", "reactivate", "--username", "rocio"],
    ):
        await asyncio.to_thread(run, args, env)

    engine = create_engine(database_url)
    try:
        async with engine.connect() as conn:
            user_id = await conn.scalar(select(User.id).where(User.username == "rocio"))
            rows = (
                await conn.execute(
                    select(
                        AuditEntry.actor_id,
                        AuditEntry.entity,
                        AuditEntry.entity_id,
                        AuditEntry.action,
                        AuditEntry.changes,
                    ).order_by(AuditEntry.id)
                )
            ).all()
    finally:
        await engine.dispose()

    assert user_id is not None
    assert [(r.actor_id, r.entity, r.entity_id, r.action) for r in rows] == [
        (None, "user", user_id, "created"),
        (None, "user", user_id, "deactivated"),
        (None, "user", user_id, "reactivated"),
    ]
    created, deactivated, reactivated = (r.changes for r in rows)
    # The password is never written, only that one was set (masked).
    assert "clave-larga-1" not in str(created)
    assert created["username"] == [None, "rocio"]
    assert created["password"][0] is None and created["password"][1] != "clave-larga-1"
    assert created["campaigns"] == [None, ["Ventas"]]
    assert deactivated == {"active": [True, False]}
    assert reactivated == {"active": [False, True]}
