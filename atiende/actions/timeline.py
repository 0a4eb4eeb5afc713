"""The attention's audit log: one row per state change."""

from typing import Any

from atiende.actions.work import Work
from atiende.db.models import Attention, AttentionEvent


def record(
    w: Work,
    attention: Attention,
    kind: str,
    *,
    actor_id: int | None = None,
    agent_id: int | None = None,
    data: dict[str, Any] | None = None,
) -> None:
    w.session.add(
        AttentionEvent(
            attention_id=attention.id,
            segment=attention.segment,
            kind=kind,
            actor_id=actor_id,
            agent_id=agent_id if agent_id is not None else attention.agent_id,
            campaign_id=attention.campaign_id,
            data=data or {},
        )
    )
