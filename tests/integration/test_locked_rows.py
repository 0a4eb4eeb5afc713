"""A row locked FOR UPDATE is acted on with the values it has once locked, even when the same
transaction loaded it earlier: the identity map must not hand back the stale attributes (a
reassignment that read a stale `agent_id` would free the wrong agent's slot)."""

from sqlalchemy import select, text

from atiende.db.engine import create_engine, create_sessionmaker
from atiende.db.models import User


async def test_a_row_locked_after_it_was_read_carries_the_locked_values(
    postgres_database: str,
) -> None:
    engine = create_engine(postgres_database)
    sessions = create_sessionmaker(engine)
    try:
        async with engine.begin() as conn:
            await conn.execute(text("TRUNCATE users RESTART IDENTITY CASCADE"))
            await conn.execute(
                text(
                    "INSERT INTO users (username, display_name, password_hash, role, status,"
                    " capacity, active_count, active, created_at)"
                    " VALUES ('a', 'A', 'x', 'agent', 'offline', 3, 0, true, now())"
                )
            )
        async with sessions() as mine, mine.begin():
            seen = await mine.scalar(select(User).where(User.username == "a"))
            assert seen is not None and seen.active_count == 0
            async with sessions() as other, other.begin():
                await other.execute(text("UPDATE users SET active_count = 2 WHERE username = 'a'"))
            locked = await mine.scalar(select(User).where(User.username == "a").with_for_update())
            assert locked is seen
            assert locked.active_count == 2
    finally:
        await engine.dispose()
