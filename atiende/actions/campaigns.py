"""Campaign settings and members, by supervisors (SPEC §6)."""

from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, select

from atiende.actions import audit_log, slots
from atiende.actions.work import Work
from atiende.db.models import Attention, Campaign, CampaignMember, Channel, User
from atiende.domain.errors import Invalid, NotFound
from atiende.domain.kinds import OverflowMode, Role
from atiende.domain.phones import is_region
from atiende.domain.routing import MODES
from atiende.domain.states import State
from atiende.schemas.campaigns import CampaignOut, MemberOut
from atiende.schemas.common import Ref

SETTINGS = (
    "routing_mode",
    "reassign_after_seconds",
    "max_reassignments",
    "orphan_after_seconds",
    "overflow_after_seconds",
    "overflow_mode",
    "default_region",
    "service_level_seconds",
    "service_level_target",
)
# The service level's bounds: answered within 1 s to a day, a target of 1 to 100 %.
SERVICE_LEVEL_SECONDS = (1, 86_400)
SERVICE_LEVEL_TARGET = (1, 100)


@dataclass(frozen=True)
class MemberSpec:
    user_id: int
    capacity: int


async def all_campaigns(w: Work) -> list[Campaign]:
    return list(await w.session.scalars(select(Campaign).order_by(Campaign.name)))


async def do_ensure_campaign(w: Work, name: str) -> Campaign:
    """The campaign of that name, created with the default settings if there is none."""
    campaign = await w.session.scalar(select(Campaign).where(Campaign.name == name))
    if campaign is None:
        campaign = Campaign(name=name)
        w.session.add(campaign)
        await w.session.flush()
    return campaign


async def get_campaign(w: Work, campaign_id: int) -> Campaign:
    campaign = await w.session.get(Campaign, campaign_id)
    if campaign is None:
        raise NotFound("campaign_not_found", "La campaña no existe.")
    return campaign


async def do_update_settings(
    w: Work, campaign_id: int, changes: dict[str, Any], actor_id: int | None = None
) -> Campaign:
    campaign = await get_campaign(w, campaign_id)
    before = {key: getattr(campaign, key) for key in SETTINGS}
    if "routing_mode" in changes and changes["routing_mode"] not in MODES:
        raise Invalid("routing_mode", "Modo de asignación desconocido.")
    if "overflow_mode" in changes and changes["overflow_mode"] not in tuple(OverflowMode):
        raise Invalid("overflow_mode", "Modo de desborde desconocido.")
    if "default_region" in changes and not is_region(changes["default_region"]):
        raise Invalid("region_unknown", "País desconocido para leer los teléfonos.")
    for key, (low, high) in (
        ("service_level_seconds", SERVICE_LEVEL_SECONDS),
        ("service_level_target", SERVICE_LEVEL_TARGET),
    ):
        value = changes.get(key)
        if value is not None and (not isinstance(value, int) or not low <= value <= high):
            raise Invalid(
                "setting_range",
                f"{key} debe estar entre {low} y {high}.",
                params={"setting": key, "min": low, "max": high},
            )
    for key, value in changes.items():
        if key not in SETTINGS:
            continue
        if key.endswith(("_seconds", "_reassignments")) and (
            not isinstance(value, int) or value < 0
        ):
            raise Invalid(
                "setting_negative",
                f"{key} debe ser un entero mayor o igual a 0.",
                params={"setting": key},
            )
        setattr(campaign, key, value)
    after = {key: getattr(campaign, key) for key in SETTINGS}
    audit_log.record(w, actor_id, "campaign", campaign.id, "updated", before, after)
    await w.session.flush()
    return campaign


async def do_set_members(
    w: Work, campaign_id: int, members: list[MemberSpec], actor_id: int | None = None
) -> Campaign:
    """Replace the members; one who holds attentions of the campaign cannot be removed, and
    a capacity below what he holds now is refused (the CHECK would refuse it anyway)."""
    campaign = await get_campaign(w, campaign_id)
    wanted = {m.user_id: m for m in members}
    if any(m.capacity < 0 or m.capacity > 100 for m in members):
        raise Invalid("capacity", "La capacidad debe estar entre 0 y 100.")
    agents = set(
        await w.session.scalars(select(User.id).where(User.id.in_(wanted), User.role == Role.AGENT))
    )
    if agents != set(wanted):
        raise Invalid("not_agents", "Solo los agentes pueden ser miembros de una campaña.")
    current = {
        m.user_id: m
        for m in await w.session.scalars(
            select(CampaignMember)
            .where(CampaignMember.campaign_id == campaign_id)
            .with_for_update()
        )
    }
    before = {user_id: m.capacity for user_id, m in current.items()}
    held = dict(
        (
            await w.session.execute(
                select(CampaignMember.user_id, slots.held_by_member()).where(
                    CampaignMember.campaign_id == campaign_id
                )
            )
        ).all()
    )
    for user_id, member in current.items():
        spec = wanted.get(user_id)
        if spec is None:
            if held.get(user_id, 0) > 0:
                raise Invalid(
                    "member_busy", "Un agente con atenciones de la campaña no puede salir de ella."
                )
            await w.session.execute(
                delete(CampaignMember).where(
                    CampaignMember.campaign_id == campaign_id, CampaignMember.user_id == user_id
                )
            )
            w.agent_changed(user_id)
        elif spec.capacity < held.get(user_id, 0):
            raise Invalid(
                "capacity_below_load",
                "La capacidad no puede ser menor que lo que el agente tiene ahora.",
            )
        else:
            member.capacity = spec.capacity
    for user_id, spec in wanted.items():
        if user_id not in current:
            w.session.add(
                CampaignMember(campaign_id=campaign_id, user_id=user_id, capacity=spec.capacity)
            )
    await _audit_members(
        w, actor_id, campaign_id, before, {u: m.capacity for u, m in wanted.items()}
    )
    await w.session.flush()
    return campaign


async def _audit_members(
    w: Work, actor_id: int | None, campaign_id: int, before: dict[int, int], after: dict[int, int]
) -> None:
    """One row: each member whose capacity changed, who joined (None before) or left (None
    after), by username so that the log reads without ids."""
    ids = before.keys() | after.keys()
    names = dict(
        (await w.session.execute(select(User.id, User.username).where(User.id.in_(ids)))).all()
    )
    audit_log.record(
        w,
        actor_id,
        "campaign",
        campaign_id,
        "members",
        {f"capacity.{names[u]}": c for u, c in before.items()},
        {f"capacity.{names[u]}": c for u, c in after.items()},
    )


async def _members_by_campaign(
    w: Work, campaign_ids: list[int]
) -> dict[int, list[tuple[CampaignMember, User, int]]]:
    """Each campaign's members, their user rows, and how many of its attentions each holds."""
    rows = await w.session.execute(
        select(CampaignMember, User, slots.held_by_member())
        .join(User, User.id == CampaignMember.user_id)
        .where(CampaignMember.campaign_id.in_(campaign_ids))
        .order_by(User.display_name)
    )
    found: dict[int, list[tuple[CampaignMember, User, int]]] = {}
    for m, u, n in rows:
        found.setdefault(m.campaign_id, []).append((m, u, n))
    return found


async def _queued_by_campaign(w: Work, campaign_ids: list[int]) -> dict[int, int]:
    rows = await w.session.execute(
        select(Attention.campaign_id, func.count())
        .where(Attention.campaign_id.in_(campaign_ids), Attention.state == State.QUEUED)
        .group_by(Attention.campaign_id)
    )
    return {campaign_id: int(n) for campaign_id, n in rows}


async def _entries_by_campaign(w: Work, campaign_ids: list[int]) -> dict[int, list[Ref]]:
    rows = await w.session.execute(
        select(Channel.entry_campaign_id, Channel.id, Channel.name)
        .where(Channel.entry_campaign_id.in_(campaign_ids))
        .order_by(Channel.name, Channel.id)
    )
    found: dict[int, list[Ref]] = {}
    for campaign_id, channel_id, name in rows:
        found.setdefault(campaign_id, []).append(Ref(id=channel_id, name=name))
    return found


async def describe(w: Work, campaign: Campaign) -> CampaignOut:
    """The campaign as supervisors see it: settings, queue and members with their load."""
    return (await describe_many(w, [campaign]))[0]


async def describe_all(w: Work) -> list[CampaignOut]:
    """Every campaign, by name, described in four queries whatever their number."""
    return await describe_many(w, await all_campaigns(w))


async def describe_many(w: Work, campaigns: list[Campaign]) -> list[CampaignOut]:
    ids = [c.id for c in campaigns]
    if not ids:
        return []
    members = await _members_by_campaign(w, ids)
    queued = await _queued_by_campaign(w, ids)
    entries = await _entries_by_campaign(w, ids)
    return [
        CampaignOut(
            id=campaign.id,
            name=campaign.name,
            routing_mode=campaign.routing_mode,
            reassign_after_seconds=campaign.reassign_after_seconds,
            max_reassignments=campaign.max_reassignments,
            orphan_after_seconds=campaign.orphan_after_seconds,
            overflow_after_seconds=campaign.overflow_after_seconds,
            overflow_mode=campaign.overflow_mode,
            default_region=campaign.default_region,
            archived=campaign.archived_at is not None,
            entry_channels=entries.get(campaign.id, []),
            service_level_seconds=campaign.service_level_seconds,
            service_level_target=campaign.service_level_target,
            queued=queued.get(campaign.id, 0),
            members=[
                MemberOut(
                    user_id=u.id,
                    display_name=u.display_name,
                    capacity=m.capacity,
                    active=held,
                )
                for m, u, held in members.get(campaign.id, [])
            ],
        )
        for campaign in campaigns
    ]
