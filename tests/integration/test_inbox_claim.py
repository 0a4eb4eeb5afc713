"""The processor's claim on the inbox: its turn and the oldest deliveries, taken out by its
transaction alone and given back if that transaction does not commit."""

import pytest
from sqlalchemy import func, select

from atiende.actions import inbox
from atiende.db.models import InboxDelivery
from tests.integration.conftest import World


async def _deliveries(world: World, count: int) -> None:
    async with world.rt.engine.begin() as conn:
        await inbox.add(conn, [(f"body {n}".encode(), f"sig {n}") for n in range(count)])


async def _waiting(world: World) -> int:
    async with world.rt.work() as w:
        return int(await w.session.scalar(select(func.count()).select_from(InboxDelivery)) or 0)


async def test_a_claim_takes_the_oldest_in_order_and_a_rollback_gives_them_back(
    world: World,
) -> None:
    await world.app.state.workers.stop()
    await _deliveries(world, 5)
    with pytest.raises(RuntimeError):
        async with world.rt.work() as w:
            taken = await inbox.claim(w, 3)
            assert taken is not None
            assert [d.body for d in taken] == [b"body 0", b"body 1", b"body 2"]
            assert [d.signature for d in taken] == ["sig 0", "sig 1", "sig 2"]
            raise RuntimeError("the batch failed")
    assert await _waiting(world) == 5
    async with world.rt.work() as w:
        taken = await inbox.claim(w, 3)
        assert taken is not None and [d.body for d in taken] == [b"body 0", b"body 1", b"body 2"]
    assert await _waiting(world) == 2


# On SQLite the single writer is the turn: a second processor waits for the lock instead.
@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
async def test_a_second_processor_gets_no_turn_while_the_first_holds_it(world: World) -> None:
    await world.app.state.workers.stop()
    await _deliveries(world, 4)
    async with world.rt.work() as first:
        mine = await inbox.claim(first, 2)
        assert mine is not None and len(mine) == 2
        async with world.rt.work() as second:
            assert await inbox.claim(second, 10) is None
    async with world.rt.work() as later:
        rest = await inbox.claim(later, 10)
        assert rest is not None
        assert [d.body for d in rest] == [b"body 2", b"body 3"]
        # An empty inbox is the turn with nothing in it, not the turn refused.
        assert await inbox.claim(later, 10) == []


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
async def test_the_group_commits_insert_keeps_the_order_it_was_given(world: World) -> None:
    """`add_committed` (asyncpg's own statement, two arrays): the rows get their ids in the
    order of the list, which is the order the processor applies them in."""
    await world.app.state.workers.stop()
    async with world.rt.engine.connect() as conn:
        autocommit = await conn.execution_options(isolation_level="AUTOCOMMIT")
        await inbox.add_committed(autocommit, [(f"b{n}".encode(), f"s{n}") for n in range(30)])
    async with world.rt.work() as w:
        taken = await inbox.claim(w, 100)
    assert taken is not None
    assert [d.body for d in taken] == [f"b{n}".encode() for n in range(30)]
    assert [d.signature for d in taken] == [f"s{n}" for n in range(30)]
    assert len({d.received_at for d in taken}) == 1
