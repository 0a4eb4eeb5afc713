"""Users as an administrator manages them from the browser: listed with their campaigns,
created, renamed, given a role, deactivated and reactivated, given a new password and their
campaign memberships. Each change is checked field by field and written to the audit log in
the same transaction."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, select

from atiende.actions import audit_log, campaigns, users
from atiende.actions.auth import hash_password
from atiende.actions.work import Work
from atiende.db.models import Campaign, CampaignMember, User, UserSession
from atiende.domain.errors import Invalid
from atiende.domain.forms import FieldProblem, codes, messages
from atiende.domain.kinds import Role
from atiende.domain.users import name_problem, password_problem, username_problem

# What the log keeps of a user: never the password (its change shows masked).
_SHOWN = ("username", "display_name", "role", "active")


@dataclass(frozen=True)
class Membership:
    campaign_id: int
    capacity: int


@dataclass(frozen=True)
class Listed:
    user: User
    memberships: list[tuple[Campaign, int]]


def _refuse(problems: dict[str, FieldProblem]) -> None:
    if problems:
        raise Invalid(
            "user_invalid",
            "Revise los datos del usuario.",
            {"errors": messages(problems), "error_codes": codes(problems)},
        )


def _shown(user: User) -> dict[str, object]:
    return {key: getattr(user, key) for key in _SHOWN}


async def listed(w: Work) -> list[Listed]:
    """Everyone, active first, by name, with the campaigns each is a member of."""
    people = list(
        await w.session.scalars(
            select(User).order_by(User.active.desc(), User.display_name, User.id)
        )
    )
    rows = await w.session.execute(
        select(CampaignMember.user_id, Campaign, CampaignMember.capacity)
        .join(Campaign, Campaign.id == CampaignMember.campaign_id)
        .order_by(Campaign.name)
    )
    by_user: dict[int, list[tuple[Campaign, int]]] = {}
    for user_id, campaign, capacity in rows:
        by_user.setdefault(user_id, []).append((campaign, capacity))
    return [Listed(u, by_user.get(u.id, [])) for u in people]


async def do_create(
    w: Work, actor: User, new: users.NewUser, memberships: Iterable[Membership]
) -> User:
    problems = {
        key: p
        for key, p in (
            ("username", username_problem(new.username)),
            ("display_name", name_problem(new.display_name)),
            ("password", password_problem(new.password)),
        )
        if p is not None
    }
    if "username" not in problems and await _taken(w, new.username):
        problems["username"] = FieldProblem("username_taken", "Ese usuario ya existe.")
    _refuse(problems)
    user = await users.do_create(w, new)
    record_created(w, actor, user)
    await do_set_memberships(w, actor, user, memberships)
    return user


def record_created(w: Work, actor: User | None, user: User, campaigns: Iterable[str] = ()) -> None:
    """The audit row of a new user; no actor: the command line (whose `--campaign` joins are
    written here, as the console's go through the campaign's members editor)."""
    after: dict[str, object] = {**_shown(user), "password": "set"}
    if joined := sorted(set(campaigns)):
        after["campaigns"] = joined
    audit_log.record(w, _id(actor), "user", user.id, "created", {}, after)


def _id(actor: User | None) -> int | None:
    return actor.id if actor is not None else None


async def _taken(w: Work, username: str) -> bool:
    return (await w.session.scalar(select(User.id).where(User.username == username))) is not None


async def do_update(
    w: Work, actor: User, user: User, display_name: str | None, role: str | None
) -> User:
    """A new name or role. Nobody demotes himself (the last admin would lock everyone out);
    an agent who holds attentions keeps his role until they are ended or moved, and one who
    stops being an agent leaves his campaigns."""
    before = _shown(user)
    problems: dict[str, FieldProblem] = {}
    if display_name is not None and (p := name_problem(display_name)) is not None:
        problems["display_name"] = p
    if role is not None and role != user.role:
        if actor.id == user.id:
            problems["role"] = FieldProblem("cannot_demote_self", "No puede cambiar su propio rol.")
        elif user.role == Role.AGENT and user.active_count > 0:
            problems["role"] = FieldProblem(
                "role_busy", "Tiene atenciones: termínelas o muévalas antes de cambiar su rol."
            )
    _refuse(problems)
    if display_name is not None:
        user.display_name = display_name.strip()
    if role is not None and role != user.role:
        if user.role == Role.AGENT:
            await w.session.execute(delete(CampaignMember).where(CampaignMember.user_id == user.id))
        user.role = role
        # His sockets were let into the staff room (or not) by the role they opened with.
        w.close_sockets(user.id)
    audit_log.record(w, actor.id, "user", user.id, "updated", before, _shown(user))
    await w.session.flush()
    return user


async def do_reset_password(w: Work, actor: User, user: User, password: str) -> None:
    """A new password set by the admin; every session of that user ends at once."""
    if (p := password_problem(password)) is not None:
        _refuse({"password": p})
    user.password_hash = hash_password(password)
    await w.session.execute(delete(UserSession).where(UserSession.user_id == user.id))
    w.close_sockets(user.id)
    audit_log.record(w, actor.id, "user", user.id, "password_reset", {}, {"password": "set"})


async def do_deactivate(w: Work, actor: User | None, user: User, grace: timedelta) -> None:
    """No actor: the command line."""
    before = _shown(user)
    await users.do_deactivate(w, actor, user, grace)
    audit_log.record(w, _id(actor), "user", user.id, "deactivated", before, _shown(user))


async def do_reactivate(w: Work, actor: User | None, user: User) -> None:
    """No actor: the command line."""
    before = _shown(user)
    users.do_reactivate(user)
    audit_log.record(w, _id(actor), "user", user.id, "reactivated", before, _shown(user))


async def do_set_memberships(
    w: Work, actor: User, user: User, memberships: Iterable[Membership]
) -> None:
    """His campaigns and his capacity in each, through the very action the campaign's
    members editor uses (one call per campaign that changes, each audited there)."""
    wanted = {m.campaign_id: m.capacity for m in memberships}
    if wanted and user.role != Role.AGENT:
        raise Invalid("not_agents", "Solo los agentes pueden ser miembros de una campaña.")
    current = {
        m.campaign_id: m
        for m in await w.session.scalars(
            select(CampaignMember).where(CampaignMember.user_id == user.id)
        )
    }
    for campaign_id in sorted(wanted.keys() | current.keys()):
        has = current.get(campaign_id)
        if has is not None and wanted.get(campaign_id) == has.capacity:
            continue
        others = await w.session.scalars(
            select(CampaignMember).where(
                CampaignMember.campaign_id == campaign_id, CampaignMember.user_id != user.id
            )
        )
        specs = [campaigns.MemberSpec(m.user_id, m.capacity) for m in others]
        if campaign_id in wanted:
            specs.append(campaigns.MemberSpec(user.id, wanted[campaign_id]))
        await campaigns.do_set_members(w, campaign_id, specs, actor.id)


async def one(w: Work, user_id: int) -> Listed:
    user = await users.access_user(w, user_id)
    rows = await w.session.execute(
        select(Campaign, CampaignMember.capacity)
        .join(CampaignMember, CampaignMember.campaign_id == Campaign.id)
        .where(CampaignMember.user_id == user_id)
        .order_by(Campaign.name)
    )
    return Listed(user, [(c, capacity) for c, capacity in rows])
