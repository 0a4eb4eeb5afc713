"""An agent's capacity, taken and released with conditional updates.

Locking the attention does not stop two processes from giving two different attentions to
the same agent; the WHERE clause of the update on his row does, with the CHECK behind it.
A slot is counted on the agent (users.active_count); his share of one campaign is counted
from the attentions he holds there, while his row is locked.
"""

from collections.abc import Iterable, Mapping
from datetime import datetime

from sqlalchemy import (
    ARRAY,
    ColumnElement,
    Integer,
    ScalarSelect,
    case,
    column,
    func,
    literal,
    select,
    update,
)

from atiende.actions.work import Work
from atiende.db.among import among
from atiende.db.models import Attention, CampaignMember, User
from atiende.domain.kinds import Presence
from atiende.domain.states import HOLDS_SLOT


async def lock_users(w: Work, user_ids: Iterable[int]) -> None:
    """Lock several agents' rows in id order first, so two actions that touch the same two
    agents in opposite order wait for each other instead of deadlocking.

    The order of locks everywhere: attention rows (blocking, or SKIP LOCKED) before agent
    rows, several agents by id."""
    ids = sorted({i for i in user_ids})
    if len(ids) > 1:
        await w.session.execute(
            select(User.id).where(User.id.in_(ids)).order_by(User.id).with_for_update()
        )


async def take_slot(
    w: Work, agent_id: int, campaign_id: int, now: datetime, *, routing: bool = True
) -> bool:
    """One slot of the agent's capacity in the campaign, or none.

    `routing` also requires him to be available (routing, offers); a transfer or a move to a
    named agent only requires that he is not offline.
    """
    # The agent's row first; then his room in the campaign, counted. A failed attempt rolls
    # back to its savepoint, which also lets go of the row it locked: routing that tries one
    # agent after another never sits on an agent it did not get.
    status_ok = User.status == Presence.AVAILABLE if routing else User.status != Presence.OFFLINE
    try:
        async with w.session.begin_nested():
            user = await w.session.execute(
                update(User)
                .where(User.id == agent_id, status_ok, User.active_count < User.capacity)
                .values(active_count=User.active_count + 1, last_assigned_at=now)
                .execution_options(synchronize_session=False)
            )
            if user.rowcount != 1:  # type: ignore[attr-defined]
                raise _NoRoom
            # The agent's row is ours now: every take and release of his waits for it, so
            # the count below cannot move under us.
            room = await w.session.scalar(
                select(CampaignMember.capacity - held_by_member()).where(
                    CampaignMember.campaign_id == campaign_id, CampaignMember.user_id == agent_id
                )
            )
            if room is None or room <= 0:
                raise _NoRoom
    except _NoRoom:
        return False
    return True


async def take_slots(
    w: Work, campaign_id: int, takes: Mapping[int, int], now: datetime
) -> set[int]:
    """`takes[agent]` slots of each agent's capacity in the campaign, for routing, all or
    none: the agents who had not the room (empty when every slot was taken).

    The same two checks as `take_slot`, for many agents in two statements: the conditional
    update of their rows (locked in id order, as `lock_users` does), then their room in the
    campaign counted while the rows are ours.
    """
    agents = sorted(a for a, n in takes.items() if n > 0)
    if not agents:
        return set()
    k: ColumnElement[int]
    theirs: tuple[ColumnElement[bool], ...]
    if w.dialect == "postgresql":
        # As two arrays: the statement's text is the same however many agents (a CASE with a
        # WHEN each was a new statement to build, parse and prepare for each batch size).
        wants = (
            func.unnest(
                literal(agents, ARRAY(Integer)), literal([takes[a] for a in agents], ARRAY(Integer))
            )
            .table_valued(column("id", Integer), column("k", Integer))
            .render_derived("wants")
        )
        k, theirs = wants.c.k, (User.id == wants.c.id,)
    else:
        k, theirs = case({a: takes[a] for a in agents}, value=User.id), ()
    refused: set[int] = set()
    try:
        async with w.session.begin_nested():
            locking = (
                select(User.id)
                .where(among(w.dialect, User.id, agents))
                .order_by(User.id)
                .with_for_update()
            )
            # On PostgreSQL locked once, up front (a CTE): as a subquery of the join with
            # the arrays it was scanned and locked again for each agent.
            ours = (
                select(locking.cte("ours").c.id)
                if w.dialect == "postgresql"
                else locking.scalar_subquery()
            )
            taken = await w.session.scalars(
                update(User)
                .where(
                    *theirs,
                    User.id.in_(ours),
                    User.status == Presence.AVAILABLE,
                    User.active_count + k <= User.capacity,
                )
                .values(active_count=User.active_count + k, last_assigned_at=now)
                .returning(User.id)
                .execution_options(synchronize_session=False)
            )
            refused = set(agents) - set(taken.all())
            if not refused:
                rooms = dict(
                    (
                        await w.session.execute(
                            select(
                                CampaignMember.user_id, CampaignMember.capacity - held_by_member()
                            ).where(
                                CampaignMember.campaign_id == campaign_id,
                                among(w.dialect, CampaignMember.user_id, agents),
                            )
                        )
                    ).all()
                )
                refused = {a for a in agents if rooms.get(a, 0) < takes[a]}
            if refused:
                raise _NoRoom
    except _NoRoom:
        return refused
    return set()


class _NoRoom(Exception):
    """No slot here: undo this attempt only."""


async def release_slot(w: Work, agent_id: int) -> None:
    """The caller changes the attention in the same transaction (its campaign count)."""
    await w.session.execute(
        update(User)
        .where(User.id == agent_id, User.active_count > 0)
        .values(active_count=User.active_count - 1)
        .execution_options(synchronize_session=False)
    )


def held_by_member() -> ScalarSelect[int]:
    """How many attentions of the member's campaign he holds (correlated with the member)."""
    return (
        select(func.count(Attention.id))
        .where(
            Attention.agent_id == CampaignMember.user_id,
            Attention.campaign_id == CampaignMember.campaign_id,
            Attention.state.in_(HOLDS_SLOT),
        )
        .correlate(CampaignMember)
        .scalar_subquery()
    )
