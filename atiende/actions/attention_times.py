"""When an attention reached each step, as SQL over its own rows, and the times every report
computes from them. One definition for every report (docs/reports.md):

- started: the customer's first message opened it (`attentions.created_at`);
- first assigned: the first time it was given to an agent (its first `assigned` event);
- first opened: the first time an agent accepted it (its first `opened` event);
- first agent reply: an agent's first message out (not the center's automatic ones);
- ended: `closed_at`;
- wait = first assigned − started: how long it queued before reaching an agent;
- first response = first agent reply − started: how long the customer waited for a person;
- handle time = ended − first opened (first assigned when never opened, e.g. ended by a
  supervisor): the agents' time on it, transfers included.
"""

from datetime import datetime
from typing import Any

from sqlalchemy import ScalarSelect, func, select

from atiende.db.models import Attention, AttentionEvent, Message


def _first_event(kind: str) -> ScalarSelect[Any]:
    return (
        select(func.min(AttentionEvent.created_at))
        .where(AttentionEvent.attention_id == Attention.id, AttentionEvent.kind == kind)
        .scalar_subquery()
    )


def first_assigned_at() -> ScalarSelect[Any]:
    return _first_event("assigned")


def first_opened_at() -> ScalarSelect[Any]:
    return _first_event("opened")


def first_reply_at() -> ScalarSelect[Any]:
    return (
        select(func.min(Message.created_at))
        .where(
            Message.attention_id == Attention.id,
            Message.direction == "out",
            Message.sender_id.is_not(None),
        )
        .scalar_subquery()
    )


def seconds(start: datetime | None, end: datetime | None) -> int | None:
    if start is None or end is None:
        return None
    return max(0, round((end - start).total_seconds()))


def wait_seconds(started: datetime, first_assigned: datetime | None) -> int | None:
    return seconds(started, first_assigned)


def first_response_seconds(started: datetime, first_reply: datetime | None) -> int | None:
    return seconds(started, first_reply)


def handle_seconds(
    first_opened: datetime | None, first_assigned: datetime | None, ended: datetime | None
) -> int | None:
    return seconds(first_opened or first_assigned, ended)
