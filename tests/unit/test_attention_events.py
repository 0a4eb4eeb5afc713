"""Routing's events written straight from the row read exactly as the schemas write them."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from atiende.db.models import Attention, AttentionMatch, Campaign, Channel, Contact, Customer
from atiende.realtime import attention_events
from atiende.realtime.events import AttentionUpdated, LiveAttentionChanged
from atiende.schemas.attentions import AttentionOut
from atiende.schemas.dashboard import EndedFigures, LiveAttention

AT = datetime(2026, 3, 4, 5, 6, 7, 891_011, tzinfo=UTC)


def bare() -> Attention:
    return Attention(
        id=7,
        state="assigned",
        version=3,
        campaign=Campaign(id=2, name="Ventas"),
        channel=Channel(id=5, name="Línea 1"),
        customer=Customer(id=11, name=None, username="ana", phone="51999", bsuid=None),
        customer_id=11,
        campaign_id=2,
        channel_id=5,
        agent_id=4,
        created_at=AT,
        queued_at=AT + timedelta(seconds=1),
        assigned_at=AT + timedelta(seconds=2),
        opened_at=None,
        closed_at=None,
        closed_by_id=None,
        last_customer_message_at=None,
        window_ends_at=None,
        unread=0,
        offered=False,
        segment=1,
        reassignments=0,
        transfer_count=0,
        orphaned=False,
        parked=False,
        last_message_at=None,
        last_message_direction=None,
        last_message_type=None,
        last_message_text=None,
        awaiting_reply_since=None,
    )


def full() -> Attention:
    a = bare()
    a.state = "closed"
    a.customer.contact = Contact(id=9, name='Ana Pérez "la" de\nabajo')
    a.match = AttentionMatch(
        record_id=None,
        base_id=3,
        base_name="Deudores",
        key="K-1",
        phone="+51999",
        name="Ana",
        fields={"deuda": "10.50", "ñ": "ü"},
        linked_by_id=4,
        linked_at=AT,
    )
    a.opened_at = a.closed_at = a.window_ends_at = a.awaiting_reply_since = AT
    a.last_customer_message_at = AT
    a.closed_by_id = 4
    a.unread, a.reassignments, a.transfer_count, a.segment = 2, 1, 3, 2
    a.orphaned = a.parked = a.offered = True
    a.last_message_at, a.last_message_direction = AT, "in"
    a.last_message_type, a.last_message_text = None, "hola 👋"
    return a


@pytest.mark.parametrize("make", [bare, full])
@pytest.mark.parametrize("offered", [False, True])
def test_attention_updated_is_the_schemas_json(
    make: Callable[[], Attention], offered: bool
) -> None:
    a = make()
    expected = AttentionUpdated(attention=AttentionOut.of(a, offered=offered)).model_dump_json()
    parts = attention_events.parts_of(a)
    assert attention_events.attention_updated(parts, offered=offered) == expected


@pytest.mark.parametrize("make", [bare, full])
@pytest.mark.parametrize(
    "ended", [None, EndedFigures(wait_seconds=1.5, handle_seconds=60, first_reply_seconds=None)]
)
def test_live_attention_is_the_schemas_json(
    make: Callable[[], Attention], ended: EndedFigures | None
) -> None:
    a = make()
    expected = LiveAttentionChanged(attention=LiveAttention.of(a, ended)).model_dump_json()
    parts = attention_events.parts_of(a)
    assert attention_events.live_attention_changed(parts, ended) == expected
