"""Approved templates: defined per campaign by supervisors, sent by agents (any time, and
the only thing WhatsApp allows outside the 24-hour window)."""

import re

from sqlalchemy import select

from atiende.actions import audit_log, messaging
from atiende.actions.access import access_attention
from atiende.actions.work import Work
from atiende.db.models import Campaign, Message, Template, User
from atiende.domain.errors import DomainError, Invalid, NotFound
from atiende.domain.states import check_transition
from atiende.domain.templates import check_params, render

_NAME = r"^[a-z0-9_]{1,512}$"


async def for_campaign(w: Work, campaign_id: int) -> list[Template]:
    rows = await w.session.scalars(
        select(Template).where(Template.campaign_id == campaign_id).order_by(Template.name)
    )
    return list(rows)


async def do_add(
    w: Work,
    campaign_id: int,
    name: str,
    language: str,
    body: str,
    actor_id: int | None = None,
) -> Template:
    if await w.session.get(Campaign, campaign_id) is None:
        raise NotFound("campaign_not_found", "La campaña no existe.")
    if not re.match(_NAME, name):
        raise Invalid("template_name", "El nombre de la plantilla usa a-z, 0-9 y _ (como en Meta).")
    if not re.match(r"^[a-z]{2}(_[A-Z]{2})?$", language) or not body.strip():
        raise Invalid("template_invalid", "Indique el idioma (p. ej. es_MX) y el texto.")
    exists = await w.session.scalar(
        select(Template.id).where(
            Template.campaign_id == campaign_id,
            Template.name == name,
            Template.language == language,
        )
    )
    if exists is not None:
        raise DomainError("template_exists", "Esa plantilla ya está en la campaña.")
    template = Template(campaign_id=campaign_id, name=name, language=language, body=body.strip())
    w.session.add(template)
    await w.session.flush()
    audit_log.record(w, actor_id, "campaign", campaign_id, "template_added", {}, _shown(template))
    return template


def _shown(t: Template) -> dict[str, str]:
    return {"template": f"{t.name} ({t.language})", "template_body": t.body}


async def do_remove(
    w: Work, campaign_id: int, template_id: int, actor_id: int | None = None
) -> None:
    template = await w.session.get(Template, template_id)
    if template is None or template.campaign_id != campaign_id:
        raise NotFound("template_not_found", "La plantilla no existe.")
    audit_log.record(w, actor_id, "campaign", campaign_id, "template_removed", _shown(template), {})
    await w.session.delete(template)


async def do_send(
    w: Work,
    user: User,
    attention_id: int,
    template_id: int,
    params: list[str],
    client_id: str | None,
) -> tuple[Message, bool]:
    existing = await messaging.repeated(w, user, client_id)
    if existing is not None:
        return existing, False
    attention = await access_attention(w, user, attention_id, write=True)
    check_transition("write", attention.state)
    template = await w.session.get(Template, template_id)
    if template is None or template.campaign_id != attention.campaign_id:
        raise NotFound("template_not_found", "La plantilla no existe en esta campaña.")
    problem = check_params(template.body, params)
    if problem:
        raise Invalid(
            "template_params", problem.message, params={"reason": problem.reason, **problem.params}
        )
    content = {"name": template.name, "language": template.language, "params": params}
    text = render(template.body, params)
    return await messaging.enqueue(w, attention, user, "template", text, client_id, content), True
