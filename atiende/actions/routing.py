"""Routing: queued attentions, oldest first, to eligible agents of their campaign, in batches.

One transaction routes one campaign at a time and may assign hundreds of its attentions: it
holds the campaign's turn (a PostgreSQL advisory lock, `_take_turn`; SQLite has a single
writer), so two processes never route the same queue at once and neither can pass over the
other's oldest. Capacity is still the database's to enforce: the slots are taken by
conditional updates on the agents' rows (`slots.take_slots`). Ingest and everything else that
queues an attention only wake routing up (`wake`); the routing loop (atiende/workers.py) does
the rest, on every process that hears the wake-up.

Locks, in the order every action takes them: attention rows (here SKIP LOCKED, so routing
never waits on one), agent rows by id, then the campaign's row (round robin's cursor).
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    ARRAY,
    ColumnElement,
    Integer,
    Row,
    case,
    column,
    exists,
    func,
    insert,
    inspect,
    literal,
    select,
    update,
)
from sqlalchemy.orm.attributes import set_committed_value

from atiende.actions import notify, queues, slots, versions
from atiende.actions.candidates import candidates_of
from atiende.actions.timeline import record
from atiende.actions.work import Work
from atiende.db.among import among
from atiende.db.models import (
    Attention,
    AttentionEvent,
    AttentionMatch,
    Campaign,
    CampaignMember,
    Channel,
    Contact,
    Customer,
    User,
)
from atiende.db.types import utcnow
from atiende.domain.kinds import Presence, Role, RoutingMode
from atiende.domain.routing import is_eligible, plan, room_of
from atiende.domain.states import State
from atiende.realtime.attention_events import Parts, customer
from atiende.schemas.bases import LinkedRecord

# At most this many assignments per transaction: enough that a batch's fixed cost (its
# turn, candidates, slots, counts) is shared widely, few enough that the locks it holds on
# attentions and agents are let go within a fraction of a second.
BATCH = 250
# An agent whose slots another process was also taking: the batch is planned again, with
# what the database says now, at most this many times before it gives up until the next pass.
REPLANS = 3
# Any fixed 32-bit number: the first key of the campaigns' advisory locks (the second is the
# campaign's id), apart from the one-key locks other actions take.
_TURNS = 0x726F7574  # "rout"


def enqueue(attention: Attention, campaign: Campaign, now: datetime) -> None:
    """Put an attention in a campaign's queue, as a new one (SPEC §3.1, §3.7)."""
    attention.state = State.QUEUED
    attention.agent_id = None
    attention.campaign_id = campaign.id
    attention.campaign = campaign
    attention.queued_at = now
    attention.assigned_at = None
    attention.reassign_at = None
    attention.orphan_at = None
    attention.parked = False
    attention.offered = campaign.routing_mode == RoutingMode.OFFER_ALL
    attention.overflow_at = (
        now + timedelta(seconds=campaign.overflow_after_seconds)
        if campaign.overflow_after_seconds > 0
        and campaign.overflow_mode != "none"
        and not attention.offered
        else None
    )
    versions.bump(attention)


def wake(w: Work) -> None:
    """Something may be routable now: every process's routing loop looks, once committed."""
    w.wake_routing = True


@dataclass(frozen=True, slots=True)
class Assigned:
    """An attention a batch assigned, as it now is: what was read of it and what the batch
    wrote, all its events need."""

    id: int
    queued_at: datetime
    assigned_at: datetime
    parts: Parts


@dataclass
class Routed:
    """What one batch did to a campaign's queue."""

    assigned: list[Assigned] = field(default_factory=list)
    # Another transaction routes this campaign right now: it will see what we would have.
    busy: bool = False
    # More may be assignable at once: the batch was full, or the queue's head was held by
    # another transaction (a message arriving for it) and nothing behind it was taken.
    more: bool = False


async def campaigns_to_route(w: Work, grace: timedelta) -> list[int]:
    """Campaigns with a queue and someone who may have room: available, connected, under his
    own capacity (his room in the campaign is counted when the campaign is routed)."""
    waiting = [c for c, n in (await queues.queued(w)).items() if n > 0]
    if not waiting:
        return []
    someone = _someone_has_room(utcnow() - grace, CampaignMember.campaign_id == Campaign.id)
    rows = await w.session.scalars(
        select(Campaign.id)
        .where(
            Campaign.id.in_(waiting),
            Campaign.routing_mode != RoutingMode.OFFER_ALL,
            someone,
        )
        .order_by(Campaign.id)
    )
    return list(rows)


async def route_campaign(
    w: Work,
    campaign_id: int,
    grace: timedelta,
    *,
    limit: int = BATCH,
    only_agent: int | None = None,
) -> Routed:
    """Assign the head of the campaign's queue, as far as there is room, in this transaction.

    The members are told the new count once, however many were assigned. `only_agent`:
    only he takes any (a slot of his just freed, see `route_for`).
    """
    turn = await _take_turn(w, campaign_id, grace)
    if turn is None:
        return Routed()
    if not turn:
        return Routed(busy=True)
    return await _route_held(w, campaign_id, grace, limit, only_agent)


async def route_next(
    w: Work, campaign_ids: Sequence[int], grace: timedelta, *, limit: int = BATCH
) -> tuple[int, Routed] | None:
    """`route_campaign` of the first of these campaigns, in their order, that no other
    transaction is routing and where a member has room; None when there is none.

    Several processes woken at once go through the same campaigns: each one's turn is tried
    in the statement that finds the next free one, not in a transaction per campaign."""
    campaign_id = await _take_next_turn(w, campaign_ids, grace)
    if campaign_id is None:
        return None
    return campaign_id, await _route_held(w, campaign_id, grace, limit, None)


async def _route_held(
    w: Work, campaign_id: int, grace: timedelta, limit: int, only_agent: int | None
) -> Routed:
    """`route_campaign` once this transaction holds the campaign's turn."""
    campaign = await w.session.scalar(
        select(Campaign).where(Campaign.id == campaign_id).execution_options(populate_existing=True)
    )
    if campaign is None or campaign.routing_mode == RoutingMode.OFFER_ALL:
        return Routed()
    routed = Routed()
    for _ in range(REPLANS):
        now = utcnow()
        eligible = [c for c in await candidates_of(w, campaign_id) if is_eligible(c, now, grace)]
        if only_agent is not None and all(c.agent_id != only_agent for c in eligible):
            break
        room = sum(room_of(c) for c in eligible if only_agent in (None, c.agent_id))
        head, held = await _claim_head(w, campaign_id, min(room, limit))
        chosen = plan(
            campaign.routing_mode,
            eligible,
            [(a.id, a.excluded_agent_id) for a in head],
            campaign.rr_last_agent_id,
            now,
            only_agent=only_agent,
        )
        takes: dict[int, int] = {}
        for _, agent_id in chosen:
            takes[agent_id] = takes.get(agent_id, 0) + 1
        if await slots.take_slots(w, campaign_id, takes, now):
            continue  # someone's room changed under us: plan again with what is true now
        by_id = {a.id: a for a in head}
        if chosen:
            routed.assigned = await _assign_all(
                w, campaign, [(by_id[a], agent) for a, agent in chosen], now
            )
        # Again at once only while someone still has room: the batch was full, or stopped
        # short at a head held by another transaction.
        routed.more = (
            len(chosen) == len(head) and room > len(chosen) and (held or len(chosen) == limit)
        )
        break
    if routed.assigned:
        notify.routed(w, [a.parts for a in routed.assigned])
        queued = await queues.fold(w, campaign_id)
        if campaign.archived_at is None:
            await notify.queue_counted(w, campaign_id, campaign.name, queued)
    return routed


async def _take_turn(w: Work, campaign_id: int, grace: timedelta) -> bool | None:
    """True when this transaction is, until it ends, the only one routing the campaign; False
    when another one is; None when none of its members has room to take anything, which is
    asked first, in the same statement: a campaign another process has just filled costs the
    processes that come to it after one round trip, not a batch that finds nothing."""
    if w.session.get_bind().dialect.name == "sqlite":
        return True  # BEGIN IMMEDIATE: one writer at a time already
    turn = case(
        (
            _someone_has_room(utcnow() - grace, CampaignMember.campaign_id == campaign_id),
            func.pg_try_advisory_xact_lock(literal(_TURNS, Integer), literal(campaign_id, Integer)),
        ),
        else_=None,
    )
    taken = await w.session.scalar(select(turn))
    return None if taken is None else bool(taken)


async def _take_next_turn(w: Work, campaign_ids: Sequence[int], grace: timedelta) -> int | None:
    """The first of these campaigns whose turn this transaction took (see `_take_turn`)."""
    if not campaign_ids:
        return None
    if w.session.get_bind().dialect.name == "sqlite":
        return campaign_ids[0]  # BEGIN IMMEDIATE: one writer at a time already
    # Tried one after the other, in the array's order, until one is taken (LIMIT 1 stops
    # the scan there): a turn is never taken and then left unused.
    listed = (
        func.unnest(literal(list(campaign_ids), ARRAY(Integer)))
        .table_valued(column("id", Integer))
        .render_derived("listed")
    )
    turn = case(
        (
            _someone_has_room(utcnow() - grace, CampaignMember.campaign_id == listed.c.id),
            func.pg_try_advisory_xact_lock(literal(_TURNS, Integer), listed.c.id),
        ),
        else_=False,
    )
    return await w.session.scalar(select(listed.c.id).where(turn).limit(1))


def _someone_has_room(cutoff: datetime, *where: ColumnElement[bool]) -> ColumnElement[bool]:
    """A member who may take one: available, connected, under his own capacity (his room in
    the campaign is counted when the campaign is routed)."""
    return exists().where(
        *where,
        User.id == CampaignMember.user_id,
        User.role == Role.AGENT,
        User.status == Presence.AVAILABLE,
        User.last_seen_at >= cutoff,
        User.active_count < User.capacity,
    )


async def _claim_head(w: Work, campaign_id: int, n: int) -> tuple[list[Row[Any]], bool]:
    """The `n` oldest routable attentions of the queue, locked, oldest first; and whether it
    stopped short because one of them is held by another transaction right now.

    Only the unbroken run from the oldest is claimed: one locked by another transaction (a
    message arriving for it, a move) is not passed over, since a newer customer taken in its
    place would stay ahead of it if that attention then stayed queued. The rest waits for
    the next pass.

    Read as plain columns (`_CLAIMED`), not as ORM objects: hundreds of rows per batch, and
    all they are needed for is the plan and the events."""
    if n <= 0:
        return [], False
    routable = (
        Attention.state == State.QUEUED,
        Attention.campaign_id == campaign_id,
        Attention.parked.is_(False),
        Attention.offered.is_(False),
    )
    oldest = list(
        await w.session.scalars(
            select(Attention.id)
            .where(*routable)
            .order_by(Attention.queued_at, Attention.id)
            .limit(n)
        )
    )
    if not oldest:
        return [], False
    locked = {
        a.id: a
        for a in await w.session.execute(
            select(*_CLAIMED)
            .join(Customer, Customer.id == Attention.customer_id)
            .outerjoin(Contact, Contact.customer_id == Customer.id)
            .join(Channel, Channel.id == Attention.channel_id)
            .where(among(w.dialect, Attention.id, oldest), *routable)
            .with_for_update(of=Attention, skip_locked=True)
        )
    }
    head: list[Row[Any]] = []
    for attention_id in oldest:
        found = locked.get(attention_id)
        if found is None:
            return head, True
        head.append(found)
    return head, False


# What a claimed attention is read as: its own columns (by their attribute names, which are
# the column names), its customer's and his contact's for the events, and the channel's name
# only (loading the channel would decrypt its secrets).
_CLAIMED = (
    *Attention.__table__.c,
    Customer.name.label("customer_name"),
    Customer.username.label("customer_username"),
    Customer.phone.label("customer_phone"),
    Customer.bsuid.label("customer_bsuid"),
    Contact.id.label("contact_id"),
    Contact.name.label("contact_name"),
    Channel.name.label("channel_name"),
)
_OWN = tuple(c.name for c in Attention.__table__.c)
_OWN_COUNT = len(_OWN)


def assign(w: Work, attention: Attention, campaign: Campaign, agent_id: int, now: datetime) -> None:
    """The caller holds the attention's row and has taken the agent's slot."""
    for key, value in _assigned(campaign, now).items():
        setattr(attention, key, value)
    attention.agent_id = agent_id
    versions.bump(attention)
    _turn_served(campaign, agent_id)
    record(w, attention, "assigned", agent_id=agent_id)
    notify.attention_changed(w, attention)


async def _assign_all(
    w: Work, campaign: Campaign, chosen: Sequence[tuple[Row[Any], int]], now: datetime
) -> list[Assigned]:
    """`assign` for a batch, by one UPDATE and one INSERT (one statement on PostgreSQL); the
    attentions as they now are.
    The session holds none of them, unless its caller loaded one earlier in the transaction:
    that one is given the values written (as committed ones: nothing for the unit of work
    to flush)."""
    values = _assigned(campaign, now)
    ids = [a.id for a, _ in chosen]
    agents = {a.id: agent_id for a, agent_id in chosen}
    if w.dialect == "postgresql":
        await _write_assigned_pg(w, chosen, values, now)
    else:
        await _write_assigned(w, chosen, values, now)
    _turn_served(campaign, chosen[-1][1])
    matches = {
        m.attention_id: LinkedRecord.of(m)
        for m in await w.session.scalars(
            select(AttentionMatch).where(among(w.dialect, AttentionMatch.attention_id, ids))
        )
    }
    # Those of them the session holds already (a caller loaded one earlier): usually none.
    held: dict[int, Attention] = {}
    for obj in w.session.identity_map.values():
        if isinstance(obj, Attention):
            identity = inspect(obj).identity
            if identity is not None and identity[0] in agents:
                held[identity[0]] = obj
    written = (*values, "agent_id", "version")
    assigned = []
    for row, agent_id in chosen:
        # The attention's own columns first, then the rest of `_CLAIMED`, in its order.
        own, (c_name, c_username, c_phone, c_bsuid, k_id, k_name, channel_name) = (
            row[:_OWN_COUNT],
            row[_OWN_COUNT:],
        )
        now_is = dict(zip(_OWN, own, strict=True))
        now_is.update(values, agent_id=agent_id, version=now_is["version"] + 1)
        if now_is["id"] in held:
            for key in written:
                set_committed_value(held[now_is["id"]], key, now_is[key])
        parts = Parts(
            row=now_is,
            campaign_name=campaign.name,
            channel_name=channel_name,
            customer=customer(
                now_is["customer_id"], c_name, c_username, c_phone, c_bsuid, k_id, k_name
            ),
            base_record=matches.get(now_is["id"]),
        )
        assigned.append(Assigned(now_is["id"], now_is["queued_at"], now, parts))
    return assigned


async def _write_assigned(
    w: Work, chosen: Sequence[tuple[Row[Any], int]], values: dict[str, object], now: datetime
) -> None:
    """The batch's UPDATE, then its timeline rows copied from the rows just written."""
    ids = [a.id for a, _ in chosen]
    # One WHEN per agent, each with his attentions as one list: a WHEN per attention cost
    # more to build than the statement took to run.
    theirs: dict[int, list[int]] = {}
    for attention, agent_id in chosen:
        theirs.setdefault(agent_id, []).append(attention.id)
    await w.session.execute(
        update(Attention)
        .where(among(w.dialect, Attention.id, ids))
        .values(
            **values,
            agent_id=case(
                *((among(w.dialect, Attention.id, mine), a) for a, mine in theirs.items())
            ),
            version=Attention.version + 1,
        )
        .execution_options(synchronize_session=False)
    )
    # Oldest first, as they were queued.
    await w.session.execute(
        insert(AttentionEvent).from_select(
            _EVENT_COLUMNS,
            select(
                Attention.id,
                Attention.segment,
                literal("assigned"),
                Attention.agent_id,
                Attention.campaign_id,
                literal({}, AttentionEvent.data.type),
                literal(now, AttentionEvent.created_at.type),
            )
            .where(among(w.dialect, Attention.id, ids))
            .order_by(Attention.queued_at, Attention.id),
        )
    )


async def _write_assigned_pg(
    w: Work, chosen: Sequence[tuple[Row[Any], int]], values: dict[str, object], now: datetime
) -> None:
    """`_write_assigned` as one statement of the same text whatever the batch: the pairs as
    two arrays, the timeline's rows inserted from what the UPDATE returns."""
    pairs = (
        func.unnest(
            literal([a.id for a, _ in chosen], ARRAY(Integer)),
            literal([agent for _, agent in chosen], ARRAY(Integer)),
        )
        .table_valued(column("id", Integer), column("agent_id", Integer))
        .render_derived("pairs")
    )
    written = (
        update(Attention)
        .where(Attention.id == pairs.c.id)
        .values(**values, agent_id=pairs.c.agent_id, version=Attention.version + 1)
        .returning(
            Attention.id,
            Attention.segment,
            Attention.agent_id,
            Attention.campaign_id,
            Attention.queued_at,
        )
        .cte("written")
    )
    await w.session.execute(
        insert(AttentionEvent)
        .from_select(
            _EVENT_COLUMNS,
            select(
                written.c.id,
                written.c.segment,
                literal("assigned"),
                written.c.agent_id,
                written.c.campaign_id,
                literal({}, AttentionEvent.data.type),
                literal(now, AttentionEvent.created_at.type),
            ).order_by(written.c.queued_at, written.c.id),
        )
        .add_cte(written)
        .execution_options(synchronize_session=False)
    )


_EVENT_COLUMNS = [
    "attention_id",
    "segment",
    "kind",
    "agent_id",
    "campaign_id",
    "data",
    "created_at",
]


def _assigned(campaign: Campaign, now: datetime) -> dict[str, object]:
    """What assigning sets on an attention, besides its agent and version."""
    return {
        "state": State.ASSIGNED.value,
        "assigned_at": now,
        "offered": False,
        "excluded_agent_id": None,
        "overflow_at": None,
        "reassign_at": (
            now + timedelta(seconds=campaign.reassign_after_seconds)
            if campaign.reassign_after_seconds > 0
            else None
        ),
    }


def _turn_served(campaign: Campaign, agent_id: int) -> None:
    if campaign.routing_mode == RoutingMode.ROUND_ROBIN:
        # Only round robin needs the cursor; writing it always would make the campaign's row
        # a lock every assignment waits on.
        campaign.rr_last_agent_id = agent_id


async def route_for(w: Work, agent_id: int, grace: timedelta) -> int:
    """Fill this agent's free slots from his campaigns' queues, the campaign whose head has
    waited longest first, each from its oldest. A campaign another process is routing right
    now is left to it (woken, it looks again after its batch)."""
    head = (
        select(Attention.queued_at)
        .where(
            Attention.campaign_id == CampaignMember.campaign_id,
            Attention.state == State.QUEUED,
            Attention.parked.is_(False),
            Attention.offered.is_(False),
        )
        .order_by(Attention.queued_at, Attention.id)
        .limit(1)
        .correlate(CampaignMember)
        .scalar_subquery()
    )
    mine = list(
        await w.session.execute(
            select(CampaignMember.campaign_id, head).where(CampaignMember.user_id == agent_id)
        )
    )
    waiting = sorted((at, c) for c, at in mine if at is not None)
    assigned = 0
    for _, campaign_id in waiting:
        routed = await route_campaign(w, campaign_id, grace, only_agent=agent_id)
        assigned += len(routed.assigned)
        if routed.busy or routed.more:
            wake(w)
    await notify.offers_for(w, agent_id, [c for c, _ in mine], grace)
    return assigned
