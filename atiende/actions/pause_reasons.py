"""The reasons an agent may pause for: read by the agent's menu and by presence, kept by
supervisors (added, renamed, reordered, deactivated; never deleted, since the status history
points at them). Each change is written to the audit log in the same transaction."""

from dataclasses import dataclass

from sqlalchemy import func, select

from atiende.actions import audit_log, notify
from atiende.actions.work import Work
from atiende.db.models import PauseReason, User
from atiende.domain.errors import Invalid
from atiende.domain.forms import FieldProblem, codes, messages
from atiende.domain.kinds import Presence
from atiende.domain.pause_reasons import (
    DEFAULT_PAUSE_REASONS,
    MAX_REASONS,
    name_key,
    name_problem,
)


@dataclass(frozen=True)
class ReasonSpec:
    """One row of the list as the supervisor saves it; `id` None for a new reason."""

    id: int | None
    name: str
    active: bool


@dataclass(frozen=True)
class Listed:
    reason: PauseReason
    # Agents paused with it right now (or offline, to come back paused with it).
    in_use: int


async def active_names(w: Work) -> list[str]:
    """The agent's menu, in the supervisors' order."""
    return list(
        await w.session.scalars(
            select(PauseReason.name).where(PauseReason.active).order_by(PauseReason.position)
        )
    )


async def by_name(w: Work, name: str) -> PauseReason | None:
    return await w.session.scalar(select(PauseReason).where(PauseReason.name == name))


async def listed(w: Work) -> list[Listed]:
    reasons = list(await w.session.scalars(select(PauseReason).order_by(PauseReason.position)))
    used = dict(
        (
            await w.session.execute(
                select(User.pause_reason, func.count())
                .where(User.pause_reason.is_not(None), User.status != Presence.AVAILABLE)
                .group_by(User.pause_reason)
            )
        ).all()
    )
    return [Listed(r, int(used.get(r.name, 0))) for r in reasons]


async def do_seed_defaults(w: Work) -> None:
    """The six reasons a new center starts with, when it has none at all."""
    if await w.session.scalar(select(func.count()).select_from(PauseReason)):
        return
    for position, name in enumerate(DEFAULT_PAUSE_REASONS, start=1):
        w.session.add(PauseReason(name=name, position=position))
    await w.session.flush()


def _shown(reason: PauseReason) -> dict[str, object]:
    return {"name": reason.name, "active": reason.active, "position": reason.position}


def _problems(specs: list[ReasonSpec], known: set[int]) -> dict[str, FieldProblem]:
    """Per row (its index in the list), what is wrong with it."""
    problems: dict[str, FieldProblem] = {}
    seen: set[str] = set()
    for i, spec in enumerate(specs):
        if spec.id is not None and spec.id not in known:
            problems[str(i)] = FieldProblem("invalid", "Valor no válido.")
        elif (p := name_problem(spec.name)) is not None:
            problems[str(i)] = p
        elif name_key(spec.name) in seen:
            problems[str(i)] = FieldProblem("name_repeated", "Ese nombre ya está en la lista.")
        seen.add(name_key(spec.name))
    return problems


async def do_save(w: Work, actor_id: int, specs: list[ReasonSpec]) -> list[Listed]:
    """The whole list in its new order. Every reason there is must be in it (a reason is
    deactivated, never removed) and at least one stays active, or nobody could pause. An
    agent paused with a reason renamed now shows the new name; one deactivated stays valid
    for whoever is paused with it until he changes his status."""
    current = {
        r.id: r
        for r in await w.session.scalars(
            select(PauseReason).order_by(PauseReason.id).with_for_update()
        )
    }
    if len(specs) > MAX_REASONS:
        raise Invalid("pause_reasons_too_many", "Demasiados motivos.", params={"max": MAX_REASONS})
    problems = _problems(specs, set(current))
    if problems:
        raise Invalid(
            "pause_reasons_invalid",
            "Revise los motivos de pausa.",
            {"errors": messages(problems), "error_codes": codes(problems)},
        )
    if {s.id for s in specs if s.id is not None} != set(current):
        raise Invalid("pause_reasons_incomplete", "Un motivo no se borra: desactívelo.")
    if not any(s.active for s in specs):
        raise Invalid("pause_reasons_none_active", "Deje al menos un motivo activo.")
    before = {rid: _shown(r) for rid, r in current.items()}
    # Names and positions are moved out of the way first, so that swapping two names never
    # meets the unique index halfway.
    for r in current.values():
        r.position = -r.id
        r.name = f"~{r.id}"
    await w.session.flush()
    renamed: dict[str, str] = {}
    for position, spec in enumerate(specs, start=1):
        name = spec.name.strip()
        if spec.id is None:
            reason = PauseReason(name=name, position=position, active=spec.active)
            w.session.add(reason)
            await w.session.flush()
            audit_log.record(w, actor_id, "pause_reason", reason.id, "created", {}, _shown(reason))
            continue
        reason = current[spec.id]
        reason.name, reason.position, reason.active = name, position, spec.active
        old = before[spec.id]
        if old["name"] != name:
            renamed[str(old["name"])] = name
        audit_log.record(w, actor_id, "pause_reason", reason.id, "updated", old, _shown(reason))
    await w.session.flush()
    await _follow_renames(w, renamed)
    return await listed(w)


async def _follow_renames(w: Work, renamed: dict[str, str]) -> None:
    """Agents paused with a renamed reason (or offline, to come back with it) show the new
    name; their status history keeps the name they chose."""
    if not renamed:
        return
    agents = await w.session.scalars(
        select(User).where(User.pause_reason.in_(renamed)).order_by(User.id).with_for_update()
    )
    for agent in agents.all():
        agent.pause_reason = renamed[agent.pause_reason or ""]
        if agent.status == Presence.PAUSED:
            notify.agent_status(w, agent)
    await w.session.flush()
