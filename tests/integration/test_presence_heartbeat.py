"""The presence heartbeat: one statement for every agent with a socket on this process, and a
row someone else holds locked is skipped, not waited for, then touched on its own."""

import asyncio
from datetime import timedelta

from sqlalchemy import select, update

from atiende.actions import presence
from atiende.db.models import User
from atiende.db.types import utcnow
from tests.history_seed import counting
from tests.integration.conftest import World


async def last_seen(world: World) -> dict[str, object]:
    async with world.rt.work() as w:
        rows = await w.session.execute(select(User.username, User.last_seen_at))
        return {name: at for name, at in rows}


async def test_one_statement_touches_every_connected_agent(world: World) -> None:
    await world.online("agente1", "agente2", "supervisor")
    hour_ago = utcnow() - timedelta(hours=1)
    async with world.rt.work() as w:
        await w.session.execute(update(User).values(last_seen_at=hour_ago))
    with counting(world.rt) as statements:
        await world.app.state.workers.presence_once()
    touches = [s for s in statements if s.lstrip().upper().startswith("UPDATE USERS")]
    assert len(touches) == 1, touches
    seen = await last_seen(world)
    for username in ("agente1", "agente2", "supervisor"):
        assert seen[username] > hour_ago  # type: ignore[operator]
    assert seen["admin"] == hour_ago


async def test_a_locked_row_is_skipped_then_touched_alone(world: World) -> None:
    if not world.rt.engine.url.get_backend_name().startswith("postgresql"):
        return  # SQLite has one writer: no row is ever locked by another transaction
    ids = [world.users[u].id for u in ("agente1", "agente2")]
    hour_ago = utcnow() - timedelta(hours=1)
    async with world.rt.work() as w:
        await w.session.execute(update(User).values(last_seen_at=hour_ago))
    held = asyncio.Event()
    release = asyncio.Event()

    async def hold_agente1() -> None:
        async with world.rt.work() as w:
            await w.session.execute(select(User.id).where(User.id == ids[0]).with_for_update())
            held.set()
            await release.wait()

    holder = asyncio.create_task(hold_agente1())
    await held.wait()
    async with world.rt.work() as w:
        touched = await asyncio.wait_for(presence.touch_all(w, ids), timeout=10)
    assert touched == {ids[1]}
    release.set()
    await holder
    seen = await last_seen(world)
    assert seen["agente1"] == hour_ago and seen["agente2"] > hour_ago  # type: ignore[operator]
