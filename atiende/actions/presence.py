"""Agent status and liveness (SPEC §3.4).

Paused or offline agents receive nothing new and lose their assigned-but-not-opened
attentions at once. Open ones stay theirs; an offline agent's open ones start the campaign's
orphan clock, stopped if he comes back in time.
"""

from datetime import timedelta

from sqlalchemy import select, update

from atiende.actions import notify, pause_reasons, reassignment, routing
from atiende.actions.work import Work
from atiende.db.models import AgentStatusChange, Attention, Campaign, User
from atiende.db.types import utcnow
from atiende.domain.errors import Invalid
from atiende.domain.kinds import Presence
from atiende.domain.states import State

STATUSES = tuple(Presence)


async def touch(w: Work, user_id: int) -> None:
    """This agent has a live socket right now. One row per transaction: see `slots`."""
    await w.session.execute(
        update(User)
        .where(User.id == user_id)
        .values(last_seen_at=utcnow())
        .execution_options(synchronize_session=False)
    )


async def touch_all(w: Work, user_ids: list[int]) -> set[int]:
    """A heartbeat for every agent with a socket on this process, in one statement.

    Rows locked right now (a slot being taken, a status changing) are skipped, not waited
    for: waiting on many users' rows in one transaction could close a circle with one that
    holds some of them (see `slots`). Returns the ids touched; the caller touches the few
    others one by one.
    """
    if not user_ids:
        return set()
    free = (
        select(User.id)
        .where(User.id.in_(user_ids))
        .order_by(User.id)
        .with_for_update(skip_locked=True)
        .scalar_subquery()
    )
    touched = await w.session.scalars(
        update(User)
        .where(User.id.in_(free))
        .values(last_seen_at=utcnow())
        .returning(User.id)
        .execution_options(synchronize_session=False)
    )
    return set(touched.all())


async def do_set_status(
    w: Work,
    user: User,
    status: str,
    reason: str | None,
    grace: timedelta,
    *,
    automatic: bool = False,
    route_now: bool = True,
) -> User:
    """`route_now=False` leaves filling his slots to the routing loop (woken)."""
    if status not in STATUSES:
        raise Invalid("invalid_status", "Estado desconocido.")
    reason_id = await _reason_id(w, user, reason) if status == Presence.PAUSED else None
    previous = user.status
    if previous == status and user.pause_reason == (reason if status == Presence.PAUSED else None):
        return user
    user.status = status
    # An automatic offline keeps the pause reason, to restore it when the socket returns.
    if status == Presence.PAUSED or not automatic:
        user.pause_reason = reason if status == Presence.PAUSED else None
    user.status_before_offline = previous if automatic and status == Presence.OFFLINE else None
    user.status_changed_at = utcnow()
    w.session.add(
        AgentStatusChange(
            user_id=user.id,
            status=status,
            reason=user.pause_reason,
            reason_id=reason_id if status == Presence.PAUSED else None,
            automatic=automatic,
        )
    )
    await w.session.flush()
    notify.agent_status(w, user)
    if status != Presence.AVAILABLE:
        await _reassign_held(
            w, user.id, "agent_paused" if status == Presence.PAUSED else "agent_offline"
        )
    if status == Presence.OFFLINE:
        await _start_orphan_clocks(w, user.id)
    else:
        await _stop_orphan_clocks(w, user.id)
    if status == Presence.AVAILABLE and route_now:
        await routing.route_for(w, user.id, grace)
    elif status == Presence.AVAILABLE:
        w.wake_routing = True
    return user


async def _reason_id(w: Work, user: User, reason: str | None) -> int | None:
    """The reason's id: an active one, or the one he is paused with now (a reason deactivated
    meanwhile stays his until he changes status, and comes back with him after a reconnect)."""
    found = await pause_reasons.by_name(w, reason) if reason else None
    if found is None or not (found.active or reason == user.pause_reason):
        raise Invalid("pause_reason", "Elija el motivo de la pausa.")
    return found.id


async def _reassign_held(w: Work, agent_id: int, reason: str) -> None:
    # SKIP LOCKED: waiting here for an attention while holding the agent's row could close a
    # circle with a timer that holds the attention and waits for the agent. What is skipped
    # is being changed right now; the timers loop reassigns whatever is still assigned to
    # an agent who is not available.
    held = await w.session.scalars(
        select(Attention)
        .where(Attention.agent_id == agent_id, Attention.state == State.ASSIGNED)
        .with_for_update(of=Attention, skip_locked=True)
    )
    for attention in held.all():
        await reassignment.reassign(w, attention, reason)


async def _start_orphan_clocks(w: Work, agent_id: int) -> None:
    now = utcnow()
    rows = await w.session.execute(
        select(Attention, Campaign.orphan_after_seconds)
        .join(Campaign, Campaign.id == Attention.campaign_id)
        .where(
            Attention.agent_id == agent_id,
            Attention.state == State.OPEN,
            Attention.orphan_at.is_(None),
        )
        .with_for_update(of=Attention)
    )
    for attention, seconds in rows.all():
        attention.orphan_at = now + timedelta(seconds=seconds)


async def _stop_orphan_clocks(w: Work, agent_id: int) -> None:
    await w.session.execute(
        update(Attention)
        .where(
            Attention.agent_id == agent_id,
            Attention.state == State.OPEN,
            Attention.orphan_at.is_not(None),
        )
        .values(orphan_at=None)
        .execution_options(synchronize_session=False)
    )


async def do_connected(w: Work, user: User, grace: timedelta) -> None:
    """A socket opened: he is live; if only presence had made him offline, he is back.

    He is not routed here: thousands of tabs reconnect together after a restart, and each
    probing the queues would make the handshake cost grow with them. The routing loop,
    woken, fills his free slots; his offers come with the snapshot his tab reloads once the
    socket is open.
    """
    await touch(w, user.id)
    if user.status == Presence.OFFLINE and user.status_before_offline in ("available", "paused"):
        back = user.status_before_offline
        reason = user.pause_reason if back == "paused" else None
        await do_set_status(w, user, back, reason, grace, route_now=False)
    elif user.status == Presence.AVAILABLE:
        w.wake_routing = True


async def stale_agents(w: Work, grace: timedelta) -> list[int]:
    """Agents who look connected by status but whose sockets have been silent too long."""
    cutoff = utcnow() - grace
    rows = await w.session.scalars(
        select(User.id).where(
            User.role == "agent",
            User.status != Presence.OFFLINE,
            (User.last_seen_at.is_(None)) | (User.last_seen_at < cutoff),
        )
    )
    return list(rows)


async def mark_offline_if_stale(w: Work, user_id: int, grace: timedelta) -> bool:
    user = await w.session.scalar(select(User).where(User.id == user_id).with_for_update())
    if user is None or user.status == Presence.OFFLINE:
        return False
    cutoff = utcnow() - grace
    if user.last_seen_at is not None and user.last_seen_at >= cutoff:
        return False  # he came back meanwhile
    await do_set_status(w, user, "offline", None, grace, automatic=True)
    return True
