"""The supervisors' campaign list costs a fixed number of queries, however many campaigns."""

from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy import event

from atiende.actions import campaigns
from tests.integration.conftest import World


async def statements(world: World, run: Callable[[], Awaitable[object]]) -> int:
    """How many SQL statements `run` sends to the database."""
    await world.without_background_processor()
    sent: list[str] = []

    def count(*args: Any) -> None:
        sent.append(args[2])

    engine = world.rt.engine.sync_engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        await run()
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(sent)


async def more_campaigns(world: World, names: list[str]) -> None:
    """Campaigns with a member each, so every one has members to describe."""
    async with world.rt.work() as w:
        for name in names:
            campaign = await campaigns.do_ensure_campaign(w, name)
            await campaigns.do_set_members(
                w, campaign.id, [campaigns.MemberSpec(world.users["agente1"].id, 2)]
            )


async def test_one_campaign_or_five_take_the_same_queries(world: World) -> None:
    await more_campaigns(world, [f"Campaña {i}" for i in range(5)])

    async def describe(n: int) -> int:
        async with world.rt.work() as w:
            chosen = (await campaigns.all_campaigns(w))[:n]
            assert len(chosen) == n
            return await statements(world, lambda: campaigns.describe_many(w, chosen))

    # Members, queue counts and entry numbers: one query each, whatever the campaigns.
    assert await describe(1) == await describe(5) == 3


async def test_the_campaign_list_does_not_grow_with_the_campaigns(world: World) -> None:
    supervisor = await world.login("supervisor")

    async def listing() -> tuple[int, int]:
        listed: list[int] = []

        async def get() -> None:
            answer = await supervisor.get("/api/campaigns")
            assert answer.status_code == 200, answer.text
            listed.append(len(answer.json()))

        return await statements(world, get), listed[0]

    before, shown = await listing()
    await more_campaigns(world, ["Cobranza", "Retención", "Postventa", "Mayoristas"])
    after, shown_after = await listing()
    assert shown_after == shown + 4
    assert after == before
