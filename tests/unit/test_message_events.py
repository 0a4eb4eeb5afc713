"""The processor's `message.created` written straight from the message exactly as the
schemas write it."""

from datetime import UTC, datetime, timedelta

import pytest

from atiende.db.models import Message, User
from atiende.realtime import message_events
from atiende.realtime.events import MessageCreated
from atiende.schemas.messages import MessageOut, ReplyTo

AT = datetime(2026, 3, 4, 5, 6, 7, 891_011, tzinfo=UTC)


def inbound() -> Message:
    return Message(
        id=41,
        attention_id=7,
        channel_id=5,
        direction="in",
        wa_message_id="wamid.X",
        type="text",
        text='Hola, "¿tienen" envío?\n😀',
        content=None,
        reply_to_wamid=None,
        forwarded=False,
        status="received",
        error_code=None,
        error_title=None,
        created_at=AT,
        sent_at=AT - timedelta(seconds=3),
        sender=None,
        client_id=None,
        reactions=None,
        edited_at=None,
        previous_text=None,
        deleted_at=None,
    )


def media() -> Message:
    m = inbound()
    m.type, m.text = "image", "la factura"
    m.content = {"media_id": "M1", "mime_type": "image/jpeg", "caption": "la factura", "n": 1.5}
    m.forwarded = True
    return m


def changed() -> Message:
    m = inbound()
    m.reactions = [{"emoji": "👍", "by": "customer"}, {"by": "agent", "emoji": "❤️", "x": 1}]
    m.edited_at, m.previous_text, m.deleted_at = AT, "Hola", AT
    return m


def outbound() -> Message:
    m = inbound()
    m.direction, m.status, m.client_id = "out", "failed", "c-1"
    m.error_code, m.error_title = 131047, "Re-engagement message"
    m.sender = User(id=4, display_name="Ana Ruiz")
    return m


@pytest.mark.parametrize("make", [inbound, media, changed, outbound])
@pytest.mark.parametrize(
    "reply",
    [
        None,
        ReplyTo(message_id=3, text="¿y a Lima?", type="text"),
        ReplyTo(message_id=None, text=None, type=None),
    ],
)
def test_message_created_is_the_schemas_json(make: object, reply: ReplyTo | None) -> None:
    m = make()  # type: ignore[operator]
    expected = MessageCreated(message=MessageOut.of(m, reply)).model_dump_json()
    assert message_events.message_created(m, reply) == expected


@pytest.mark.parametrize("make", [inbound, media])
def test_a_stored_row_is_the_schemas_json(make: object) -> None:
    """The inbox's batch stores a customer's message as plain values: the columns it sets."""
    m = make()  # type: ignore[operator]
    row = {
        key: getattr(m, key)
        for key in (
            "id",
            "attention_id",
            "channel_id",
            "direction",
            "wa_message_id",
            "type",
            "text",
            "content",
            "reply_to_wamid",
            "forwarded",
            "status",
            "sent_at",
            "created_at",
        )
    }
    reply = ReplyTo(message_id=3, text="¿y a Lima?", type="text")
    expected = MessageCreated(message=MessageOut.of(m, reply)).model_dump_json()
    assert message_events.stored_created(row, reply) == expected
