"""Oldest first per campaign while several routers run at once (as every process's routing
loop does, woken by the same event) and agents' requests route beside them; and a queue's
head held by another transaction is waited for, not passed over."""

import asyncio
from datetime import timedelta

from sqlalchemy import select

from atiende.actions import routing
from atiende.actions.auth import hash_password
from atiende.config import Settings
from atiende.db.models import (
    Attention,
    Campaign,
    CampaignMember,
    Channel,
    Customer,
    QueueChange,
    User,
)
from atiende.db.types import utcnow
from atiende.domain.states import State
from atiende.runtime import create_runtime
from atiende.workers import UNFOLDED_ROWS, Workers
from tests.integration.conftest import World
from tests.services import REDIS_URL, require_redis

QUEUED_PER_CAMPAIGN = 30
EXTRA_AGENTS = 6


async def queue_up(world: World) -> dict[str, int]:
    """Two campaigns' queues, interleaved in time, one second apart; more agents to fill."""
    start = utcnow() - timedelta(hours=1)
    async with world.rt.work() as w:
        campaigns = {c.name: c for c in await w.session.scalars(select(Campaign))}
        channel = await w.session.scalar(
            select(Channel).where(Channel.phone_number_id == world.info.phone_number_id)
        )
        assert channel is not None
        for n in range(2 * QUEUED_PER_CAMPAIGN):
            campaign = campaigns["Ventas" if n % 2 else "Soporte"]
            customer = Customer(
                portfolio_id=channel.portfolio_id, phone=f"5219000{n:05d}", name=f"C {n}"
            )
            w.session.add(customer)
            await w.session.flush()
            attention = Attention(
                channel_id=channel.id,
                customer_id=customer.id,
                campaign_id=campaign.id,
                version=0,
                unread=1,
                segment=1,
                reassignments=0,
                transfer_count=0,
                orphaned=False,
            )
            routing.enqueue(attention, campaign, start + timedelta(seconds=n))
            w.session.add(attention)
        password = hash_password("carga")
        for i in range(EXTRA_AGENTS):
            user = User(
                username=f"carga{i}",
                display_name=f"Carga {i}",
                role="agent",
                password_hash=password,
                capacity=4,
            )
            w.session.add(user)
            await w.session.flush()
            world.users[user.username] = user
            for campaign in campaigns.values():
                w.session.add(CampaignMember(campaign_id=campaign.id, user_id=user.id, capacity=3))
        return {name: c.id for name, c in campaigns.items()}


async def states_by_age(world: World, campaign_id: int) -> list[str]:
    async with world.rt.work() as w:
        rows = await w.session.scalars(
            select(Attention.state)
            .where(Attention.campaign_id == campaign_id)
            .order_by(Attention.queued_at, Attention.id)
        )
        return list(rows)


def oldest_first(states: list[str]) -> bool:
    """Every assigned one is older than every one still queued."""
    queued = [i for i, s in enumerate(states) if s == State.QUEUED]
    assigned = [i for i, s in enumerate(states) if s == State.ASSIGNED]
    return not queued or not assigned or max(assigned) < min(queued)


async def test_several_routers_at_once_assign_each_campaign_oldest_first(world: World) -> None:
    campaigns = await queue_up(world)
    names = ["agente1", "agente2", *(f"carga{i}" for i in range(EXTRA_AGENTS))]
    await world.online(*names)

    async def agent_request(name: str) -> None:
        async with world.rt.work() as w:
            await routing.route_for(w, world.users[name].id, world.app.state.workers.grace)

    # Four processes' loops and two agents' requests at once, each on its own connection.
    await asyncio.gather(
        *(Workers(world.rt).route_once() for _ in range(4)),
        agent_request("agente1"),
        agent_request("carga3"),
    )
    await world.route()  # whatever a busy campaign left for the woken loop

    total = 0
    for name, campaign_id in campaigns.items():
        states = await states_by_age(world, campaign_id)
        assert oldest_first(states), f"{name}: {states}"
        total += states.count(State.ASSIGNED)
    # Eight agents, four slots each, at most three of them in one campaign: all of them used.
    assert total == 8 * 4


async def test_a_held_head_is_waited_for_not_passed_over(world: World) -> None:
    if world.rt.engine.dialect.name == "sqlite":
        return  # one writer: nothing can hold a row while routing runs
    campaigns = await queue_up(world)
    await world.online("agente1", "agente2")
    ventas = campaigns["Ventas"]
    async with world.rt.work() as w:
        oldest = await w.session.scalar(
            select(Attention.id)
            .where(Attention.campaign_id == ventas)
            .order_by(Attention.queued_at, Attention.id)
            .limit(1)
        )
    # A message arriving for the oldest customer holds his attention's row meanwhile.
    async with world.rt.sessions() as other, other.begin():
        await other.execute(select(Attention.id).where(Attention.id == oldest).with_for_update())
        more = await asyncio.gather(*(Workers(world.rt).route_once() for _ in range(2)))
        assert any(more), "the loop is told to look again soon"
        held = await states_by_age(world, ventas)
        assert held.count(State.ASSIGNED) == 0, "nobody newer went ahead of him"
        assert (await states_by_age(world, campaigns["Soporte"])).count(State.ASSIGNED) > 0
    await world.route()
    states = await states_by_age(world, ventas)
    assert states[0] == State.ASSIGNED and oldest_first(states)


async def test_a_wake_up_reaches_every_process(settings: Settings) -> None:
    """Whatever wakes routing in one process wakes every process's routing loop: the one
    routing the campaign at that moment may be another, and it must look again."""
    require_redis()
    shared = settings.model_copy(update={"redis_url": REDIS_URL})
    one, other = create_runtime(shared), create_runtime(shared)
    await one.start()
    await other.start()
    try:
        async with one.work() as w:
            routing.wake(w)
        await asyncio.wait_for(other.routing_wakeup.wait(), timeout=10)
    finally:
        await one.close()
        await other.close()


async def test_counts_of_a_queue_routing_never_touches_are_folded_by_the_loop(
    world: World,
) -> None:
    """Offered to all: routing never takes from it, and its count still reads a row or two."""
    async with world.rt.work() as w:
        soporte = await w.session.scalar(select(Campaign).where(Campaign.name == "Soporte"))
        assert soporte is not None
        soporte.routing_mode = "offer_all"
        # An attention queued and taken, again and again: the count stays what it was.
        for n in range(UNFOLDED_ROWS + 10):
            w.session.add(QueueChange(campaign_id=soporte.id, delta=1 if n % 2 == 0 else -1))
        campaign_id = soporte.id
    await world.route()
    async with world.rt.work() as w:
        rows = list(
            await w.session.scalars(
                select(QueueChange.delta).where(QueueChange.campaign_id == campaign_id)
            )
        )
    assert rows == [], "its changes summed to nothing: no row is left"
