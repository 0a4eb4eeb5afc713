"""WhatsApp numbers the center answers on, as an administrator sets them up: created with
their secrets, and what follows from those settings (which numbers signed a webhook, where
and as whom their Graph calls go)."""

from collections.abc import Callable
from dataclasses import dataclass, fields

import httpx
from sqlalchemy import select

from atiende.actions import audit_log
from atiende.actions.work import Work
from atiende.channels.whatsapp.graph import GraphError, GraphTarget, phone_number_info
from atiende.channels.whatsapp.signature import verify
from atiende.db.models import Campaign, Channel
from atiende.domain import channels as rules
from atiende.domain.errors import Invalid, NotFound
from atiende.domain.forms import FieldProblem, codes, messages

SECRETS = ("access_token", "app_secret", "verify_token")
# What the audit log keeps of a channel besides its secrets (which show only as masked).
_SHOWN = (
    "name",
    "phone_number_id",
    "display_phone_number",
    "waba_id",
    "graph_base_url",
    "graph_version",
    "entry_campaign_id",
)


@dataclass(frozen=True)
class ChannelSpec:
    name: str
    phone_number_id: str
    display_phone_number: str
    access_token: str
    app_secret: str
    verify_token: str
    entry_campaign_id: int
    waba_id: str = ""
    portfolio_id: str = "default"
    graph_base_url: str = "https://graph.facebook.com"
    graph_version: str = "v23.0"


@dataclass(frozen=True)
class ChannelChange:
    """An edit: None leaves a value as it is; a secret is only ever replaced, never read."""

    name: str | None = None
    phone_number_id: str | None = None
    display_phone_number: str | None = None
    waba_id: str | None = None
    graph_base_url: str | None = None
    graph_version: str | None = None
    entry_campaign_id: int | None = None
    access_token: str | None = None
    app_secret: str | None = None
    verify_token: str | None = None


def _refuse(problems: dict[str, FieldProblem]) -> None:
    if problems:
        raise Invalid(
            "channel_invalid",
            "Revise los datos del canal.",
            {"errors": messages(problems), "error_codes": codes(problems)},
        )


def _shown(channel: Channel) -> dict[str, object]:
    return {key: getattr(channel, key) for key in _SHOWN}


async def _problems(
    w: Work, values: dict[str, object], channel_id: int | None
) -> dict[str, FieldProblem]:
    """Each given value checked as the form shows it, then against the other channels and
    the campaigns."""
    checks: dict[str, Callable[[str], FieldProblem | None]] = {
        "name": rules.name_problem,
        "phone_number_id": rules.meta_id_problem,
        "display_phone_number": rules.display_number_problem,
        "waba_id": lambda v: rules.meta_id_problem(v, required=False),
        "graph_base_url": rules.graph_url_problem,
        "graph_version": rules.graph_version_problem,
        **dict.fromkeys(SECRETS, rules.secret_problem),
    }
    problems = {
        key: p
        for key, check in checks.items()
        if isinstance(value := values.get(key), str) and (p := check(value)) is not None
    }
    number_id = values.get("phone_number_id")
    if "phone_number_id" not in problems and isinstance(number_id, str):
        taken = await w.session.scalar(
            select(Channel.id).where(
                Channel.phone_number_id == number_id.strip(), Channel.id != (channel_id or 0)
            )
        )
        if taken is not None:
            problems["phone_number_id"] = FieldProblem(
                "channel_exists", "Ya hay un canal con ese phone number id."
            )
    campaign_id = values.get("entry_campaign_id")
    if isinstance(campaign_id, int) and (p := await _entry_problem(w, campaign_id)) is not None:
        problems["entry_campaign_id"] = p
    return problems


async def _entry_problem(w: Work, campaign_id: int) -> FieldProblem | None:
    """Shared-locked, as `campaign_admin.enterable` takes it: an archiving of the campaign
    waits for this change and is then refused, since a number enters it."""
    campaign = await w.session.scalar(
        select(Campaign).where(Campaign.id == campaign_id).with_for_update(read=True)
    )
    if campaign is None:
        return FieldProblem("unknown_campaign", "La campaña de entrada no existe.")
    if campaign.archived_at is not None:
        return FieldProblem(
            "campaign_archived",
            f"La campaña {campaign.name} está archivada.",
            {"campaign": campaign.name},
        )
    return None


def _clean(values: dict[str, object]) -> dict[str, object]:
    """As stored: trimmed, and the display number in Meta's own writing (digits)."""
    out = {k: v.strip() if isinstance(v, str) else v for k, v in values.items()}
    number = out.get("display_phone_number")
    if isinstance(number, str):
        out["display_phone_number"] = rules.display_number(number) or number
    url = out.get("graph_base_url")
    if isinstance(url, str):
        out["graph_base_url"] = url.rstrip("/")
    return out


async def do_create_channel(
    w: Work, spec: ChannelSpec, actor_id: int | None = None, *, logged: bool = True
) -> Channel:
    """A new number, checked field by field and written to the audit log (its secrets as
    set, masked; no actor: the command line). The demo's seed is nobody's change: not
    logged."""
    _refuse(await _problems(w, spec.__dict__, None))
    channel = Channel(**_clean(spec.__dict__))
    w.session.add(channel)
    await w.session.flush()
    w.channels_changed = True
    if logged:
        after = {**_shown(channel), **dict.fromkeys(SECRETS, "set")}
        audit_log.record(w, actor_id, "channel", channel.id, "created", {}, after)
    return channel


async def get_channel(w: Work, channel_id: int, *, lock: bool = False) -> Channel:
    query = select(Channel).where(Channel.id == channel_id)
    if lock:
        query = query.with_for_update()
    channel = await w.session.scalar(query)
    if channel is None:
        raise NotFound("channel_not_found", "El canal no existe.")
    return channel


async def do_update_channel(
    w: Work, channel_id: int, change: ChannelChange, actor_id: int | None
) -> Channel:
    """Only what the change names; the next handshake and Graph call of any process use the
    new values (read from the table each time); a webhook's signature is checked against the
    app secrets each process keeps, which it forgets once this commits."""
    channel = await get_channel(w, channel_id, lock=True)
    given = {f.name: getattr(change, f.name) for f in fields(change)}
    given = {k: v for k, v in given.items() if v is not None}
    _refuse(await _problems(w, given, channel.id))
    # A secret given shows as replaced (masked on both sides); one left alone, not at all.
    replaced = {k: "set" for k in SECRETS if k in given}
    before = {**_shown(channel), **replaced}
    for key, value in _clean(given).items():
        setattr(channel, key, value)
    await w.session.flush()
    w.channels_changed = True
    after = {**_shown(channel), **replaced}
    audit_log.record(w, actor_id, "channel", channel.id, "updated", before, after)
    return channel


async def check_connection(
    http: httpx.AsyncClient, target: GraphTarget, stored_display: str
) -> rules.ConnectionOutcome:
    """*Probar conexión*: Graph asked for the channel's own number with its own token, and
    what the answer means for the administrator. Made outside any transaction."""
    try:
        info = await phone_number_info(http, target)
    except GraphError as error:
        return _failed(target, error)
    if not rules.same_number(info.display_phone_number, stored_display):
        return rules.ConnectionOutcome(
            rules.DISPLAY_MISMATCH,
            rules.detail_of(
                rules.DISPLAY_MISMATCH, remote=info.display_phone_number, stored=stored_display
            ),
            verified_name=info.verified_name,
            display_phone_number=info.display_phone_number,
            quality_rating=info.quality_rating,
            code_verification_status=info.code_verification_status,
        )
    return rules.ConnectionOutcome(
        None,
        rules.OK_DETAIL.format(
            verified_name=info.verified_name, quality=info.quality_rating or "—"
        ),
        verified_name=info.verified_name,
        display_phone_number=info.display_phone_number,
        quality_rating=info.quality_rating,
        code_verification_status=info.code_verification_status,
    )


def _failed(target: GraphTarget, error: GraphError) -> rules.ConnectionOutcome:
    if error.http_status == 0:
        problem = rules.TIMEOUT if error.timed_out else rules.UNREACHABLE
        return rules.ConnectionOutcome(
            problem, rules.detail_of(problem, url=target.base_url), meta_message=error.title
        )
    problem = rules.problem_of(error.http_status, error.code)
    detail = rules.detail_of(problem, phone_number_id=target.phone_number_id, meta=error.title)
    return rules.ConnectionOutcome(problem, detail, meta_code=error.code, meta_message=error.title)


async def channels_signed_by(w: Work, body: bytes, header: str | None) -> list[Channel]:
    """Channels whose app secret produced this signature (several numbers may share an app)."""
    channels = await w.session.scalars(select(Channel))
    return [c for c in channels if verify(body, c.app_secret, header)]


async def all_channels(w: Work) -> list[Channel]:
    return list(await w.session.scalars(select(Channel).order_by(Channel.id)))


def graph_target(channel: Channel) -> GraphTarget:
    """Where and as whom the channel's calls to the Graph API go."""
    return GraphTarget(
        base_url=channel.graph_base_url,
        version=channel.graph_version,
        phone_number_id=channel.phone_number_id,
        access_token=channel.access_token,
    )
