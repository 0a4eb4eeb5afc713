"""Campaigns as supervisors run them from the console: created, renamed, archived and
unarchived, and the WhatsApp numbers that enter each. Every change is checked field by field
and written to the audit log in the same transaction.

Archiving is refused while the campaign would still take attentions or holds some: while a
number enters it (the refusal names them: choose another campaign for each first) and while
attentions are queued, assigned or open in it (end or move them first). So an archived
campaign has nothing to route and nothing enters it; transfers and moves into it are refused
(`enterable`), and it stays in reports and history under its name."""

from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, select

from atiende.actions import audit_log
from atiende.actions.campaigns import SETTINGS, do_update_settings
from atiende.actions.work import Work
from atiende.db.models import Attention, Campaign, Channel
from atiende.db.types import utcnow
from atiende.domain.campaigns import name_key, name_problem
from atiende.domain.errors import Invalid, NotFound
from atiende.domain.forms import FieldProblem, codes, messages
from atiende.domain.states import State


def _refuse(problems: dict[str, FieldProblem]) -> None:
    if problems:
        raise Invalid(
            "campaign_invalid",
            "Revise los datos de la campaña.",
            {"errors": messages(problems), "error_codes": codes(problems)},
        )


async def _locked(w: Work, campaign_id: int) -> Campaign:
    campaign = await w.session.scalar(
        select(Campaign).where(Campaign.id == campaign_id).with_for_update()
    )
    if campaign is None:
        raise NotFound("campaign_not_found", "La campaña no existe.")
    return campaign


async def enterable(w: Work, campaign_id: int) -> Campaign:
    """The campaign an attention or a number is about to enter, shared-locked so that an
    archiving waits for it (and is then refused by what it finds), or refused if archived."""
    campaign = await w.session.scalar(
        select(Campaign).where(Campaign.id == campaign_id).with_for_update(read=True)
    )
    if campaign is None:
        raise NotFound("campaign_not_found", "La campaña no existe.")
    if campaign.archived_at is not None:
        raise Invalid(
            "campaign_archived",
            "La campaña está archivada.",
            params={"campaign": campaign.name},
        )
    return campaign


async def _name_problems(w: Work, name: str, own_id: int | None) -> dict[str, FieldProblem]:
    if (p := name_problem(name)) is not None:
        return {"name": p}
    names = await w.session.execute(select(Campaign.id, Campaign.name))
    if any(cid != own_id and name_key(n) == name_key(name) for cid, n in names):
        return {"name": FieldProblem("campaign_name_taken", "Ya hay una campaña con ese nombre.")}
    return {}


async def do_create(w: Work, actor_id: int, name: str) -> Campaign:
    """A campaign with the default settings, no members, no numbers and no form yet."""
    _refuse(await _name_problems(w, name, None))
    campaign = Campaign(name=name.strip())
    w.session.add(campaign)
    await w.session.flush()
    shown = {"name": campaign.name} | {k: getattr(campaign, k) for k in SETTINGS}
    audit_log.record(w, actor_id, "campaign", campaign.id, "created", {}, shown)
    return campaign


async def do_update(w: Work, actor_id: int, campaign_id: int, changes: dict[str, Any]) -> Campaign:
    """A rename, an archiving or unarchiving and the routing settings, in one save."""
    campaign = await _locked(w, campaign_id)
    problems: dict[str, FieldProblem] = {}
    name = changes.get("name")
    if name is not None and name.strip() != campaign.name:
        problems |= await _name_problems(w, name, campaign.id)
    archived = changes.get("archived")
    if archived and campaign.archived_at is None:
        if (p := await _archive_problem(w, campaign.id)) is not None:
            problems["archived"] = p
    _refuse(problems)
    before = {"name": campaign.name, "archived": campaign.archived_at is not None}
    if name is not None:
        campaign.name = name.strip()
    if archived is not None and archived != (campaign.archived_at is not None):
        campaign.archived_at = utcnow() if archived else None
    after = {"name": campaign.name, "archived": campaign.archived_at is not None}
    action = "archived" if archived and not before["archived"] else "updated"
    if archived is False and before["archived"]:
        action = "unarchived"
    audit_log.record(w, actor_id, "campaign", campaign.id, action, before, after)
    await w.session.flush()
    settings = {k: v for k, v in changes.items() if k in SETTINGS}
    if settings:
        campaign = await do_update_settings(w, campaign.id, settings, actor_id)
    return campaign


async def _archive_problem(w: Work, campaign_id: int) -> FieldProblem | None:
    entering = list(
        await w.session.scalars(
            select(Channel.name)
            .where(Channel.entry_campaign_id == campaign_id)
            .order_by(Channel.name)
        )
    )
    if entering:
        return FieldProblem(
            "campaign_entered_by",
            "Estos números entran a la campaña; elija otra campaña para ellos antes de archivarla: "
            + ", ".join(entering),
            {"channels": ", ".join(entering)},
        )
    live = await w.session.scalar(
        select(func.count()).where(
            Attention.campaign_id == campaign_id, Attention.state != State.CLOSED
        )
    )
    if live:
        return FieldProblem(
            "campaign_has_attentions",
            f"Tiene {live} atenciones sin terminar: termínelas o muévalas antes de archivarla.",
            {"n": int(live)},
        )
    return None


async def entry_channels(w: Work) -> list[tuple[Channel, Campaign]]:
    """Every number with the campaign it enters."""
    rows = await w.session.execute(
        select(Channel, Campaign)
        .join(Campaign, Campaign.id == Channel.entry_campaign_id)
        .order_by(Channel.name, Channel.id)
    )
    return [(ch, c) for ch, c in rows]


async def do_set_entry_channels(
    w: Work, actor_id: int, campaign_id: int, channel_ids: Iterable[int]
) -> Campaign:
    """These numbers enter this campaign from now on (a customer already in an attention
    stays where he is). A number always enters exactly one campaign, so one that enters this
    campaign now cannot be left out: choose its new campaign from that campaign instead."""
    wanted = set(channel_ids)
    campaign = await _locked(w, campaign_id)
    if campaign.archived_at is not None:
        raise Invalid(
            "campaign_archived", "La campaña está archivada.", params={"campaign": campaign.name}
        )
    channels = {
        ch.id: ch
        for ch in await w.session.scalars(
            select(Channel)
            .where(Channel.id.in_(wanted) | (Channel.entry_campaign_id == campaign.id))
            .order_by(Channel.id)
            .with_for_update()
        )
    }
    problems: dict[str, FieldProblem] = {}
    if wanted - channels.keys():
        problems["channels"] = FieldProblem("invalid", "Valor no válido.")
    left = sorted(
        ch.name
        for ch in channels.values()
        if ch.entry_campaign_id == campaign.id and ch.id not in wanted
    )
    if left:
        problems["channels"] = FieldProblem(
            "entry_channel_left",
            "Un número siempre entra a una campaña: elija la nueva campaña de "
            + ", ".join(left)
            + " desde esa campaña.",
            {"channels": ", ".join(left)},
        )
    _refuse(problems)
    moving = [
        ch for ch in channels.values() if ch.id in wanted and ch.entry_campaign_id != campaign.id
    ]
    names = dict(
        (
            await w.session.execute(
                select(Campaign.id, Campaign.name).where(
                    Campaign.id.in_({ch.entry_campaign_id for ch in moving})
                )
            )
        ).all()
    )
    before = {f"entry.{ch.name}": names[ch.entry_campaign_id] for ch in moving}
    for ch in moving:
        ch.entry_campaign_id = campaign.id
    after = {f"entry.{ch.name}": campaign.name for ch in moving}
    audit_log.record(w, actor_id, "campaign", campaign.id, "entry_channels", before, after)
    await w.session.flush()
    return campaign
