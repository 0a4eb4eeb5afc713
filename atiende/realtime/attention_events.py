"""An attention's two events as JSON, written straight from what was read of it: for
routing, which publishes two per assignment, hundreds per batch.

The text is exactly what the schemas' own encoding gives (`AttentionUpdated`,
`LiveAttentionChanged`; tests/unit/test_attention_events.py holds them equal, field by field
and in order), without building and validating the models first, which cost routing more
than the database did. Routing reads its rows as plain columns (`Parts`), not as ORM objects.
"""

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from pydantic_core import to_json
from sqlalchemy import inspect

from atiende.db.models import Attention, Base
from atiende.domain.customers import display_name
from atiende.schemas.bases import LinkedRecord
from atiende.schemas.dashboard import EndedFigures


@dataclass(frozen=True, slots=True)
class Parts:
    """What the events say of an attention, however it was read."""

    # The attention's own columns, by attribute name (a row's mapping will do).
    row: Mapping[str, Any]
    campaign_name: str
    channel_name: str
    # CustomerOut's fields, in its order (`customer`).
    customer: dict[str, Any]
    base_record: LinkedRecord | None = None


def customer(
    customer_id: int,
    name: str | None,
    username: str | None,
    phone: str | None,
    bsuid: str | None,
    contact_id: int | None,
    contact_name: str | None,
) -> dict[str, Any]:
    """`CustomerOut.of`'s fields, from the customer's columns and his contact's."""
    linked = contact_id is not None
    return {
        "id": customer_id,
        "display_name": contact_name if linked else display_name(name, username, phone),
        "name": name,
        "username": username,
        "phone": phone,
        "bsuid": bsuid,
        "contact_id": contact_id,
        "contact_name": contact_name,
    }


_ABSENT = object()


class Loaded(Mapping[str, Any]):
    """An ORM object's columns as a row's mapping, each read only when the encoder asks."""

    __slots__ = ("_keys", "_known", "_obj")

    def __init__(self, obj: Base) -> None:
        self._obj = obj
        self._keys, self._known = _columns(type(obj))

    def __getitem__(self, key: str) -> Any:
        if key not in self._known:
            raise KeyError(key)
        # A loaded column's value is in the instance's dict (where SQLAlchemy keeps it): read
        # there, it skips the attribute's descriptor, a tenth of the processor's CPU in all.
        # One not loaded goes through the descriptor, which loads it or raises as always.
        found = self._obj.__dict__.get(key, _ABSENT)
        return getattr(self._obj, key) if found is _ABSENT else found

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)


@cache
def _columns(model: type[Base]) -> tuple[tuple[str, ...], frozenset[str]]:
    keys = tuple(col.key for col in inspect(model).column_attrs)
    return keys, frozenset(keys)


def parts_of(a: Attention) -> Parts:
    """An attention loaded as an ORM object, with its campaign, channel and customer."""
    c, contact = a.customer, a.customer.contact
    return Parts(
        row=Loaded(a),
        campaign_name=a.campaign.name,
        channel_name=a.channel.name,
        customer=customer(
            c.id,
            c.name,
            c.username,
            c.phone,
            c.bsuid,
            contact.id if contact else None,
            contact.name if contact else None,
        ),
        base_record=LinkedRecord.of(a.match) if a.match else None,
    )


def attention_updated(p: Parts, *, offered: bool = False) -> str:
    """`AttentionUpdated(attention=AttentionOut.of(a, offered=offered))`, encoded."""
    r = p.row
    return _text(
        {
            "type": "attention.updated",
            "attention": {
                "id": r["id"],
                "state": r["state"],
                "version": r["version"],
                "campaign": {"id": r["campaign_id"], "name": p.campaign_name},
                "channel": {"id": r["channel_id"], "name": p.channel_name},
                "customer": p.customer,
                "agent_id": r["agent_id"],
                "queued_at": r["queued_at"],
                "assigned_at": r["assigned_at"],
                "opened_at": r["opened_at"],
                "closed_at": r["closed_at"],
                "last_customer_message_at": r["last_customer_message_at"],
                "window_ends_at": r["window_ends_at"],
                "unread": r["unread"],
                "offered": offered,
                "segment": r["segment"],
                "reassignments": r["reassignments"],
                "transfer_count": r["transfer_count"],
                "orphaned": r["orphaned"],
                "parked": r["parked"],
                "base_record": p.base_record,
                "last_message": _last_message(r),
                "awaiting_reply_since": r["awaiting_reply_since"],
            },
        }
    )


def live_attention_changed(p: Parts, ended: EndedFigures | None = None) -> str:
    """`LiveAttentionChanged(attention=LiveAttention.of(a, ended))`, encoded."""
    r = p.row
    return _text(
        {
            "type": "live.attention",
            "attention": {
                "id": r["id"],
                "version": r["version"],
                "state": r["state"],
                "campaign": {"id": r["campaign_id"], "name": p.campaign_name},
                "channel": {"id": r["channel_id"], "name": p.channel_name},
                "customer": p.customer,
                "agent_id": r["agent_id"],
                "created_at": r["created_at"],
                "queued_at": r["queued_at"],
                "assigned_at": r["assigned_at"],
                "opened_at": r["opened_at"],
                "closed_at": r["closed_at"],
                "closed_by_id": r["closed_by_id"],
                "last_customer_message_at": r["last_customer_message_at"],
                "window_ends_at": r["window_ends_at"],
                "awaiting_reply_since": r["awaiting_reply_since"],
                "offered": r["offered"],
                "parked": r["parked"],
                "orphaned": r["orphaned"],
                "segment": r["segment"],
                "reassignments": r["reassignments"],
                "transfer_count": r["transfer_count"],
                "ended": ended,
            },
        }
    )


def _last_message(r: Mapping[str, Any]) -> dict[str, Any] | None:
    if r["last_message_at"] is None or r["last_message_direction"] not in ("in", "out"):
        return None
    return {
        "at": r["last_message_at"],
        "direction": r["last_message_direction"],
        "type": r["last_message_type"] or "text",
        "text": r["last_message_text"],
    }


def _text(event: dict[str, Any]) -> str:
    # Datetimes and the nested models (a linked record, ended figures) are encoded by the
    # same serializer the schemas use.
    return to_json(event).decode()
