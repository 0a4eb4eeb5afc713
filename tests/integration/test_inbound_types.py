"""Every inbound type through the webhook: stored once, shown where it belongs."""

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from atiende.db.models import Attention, Customer, Message, WebhookFailure
from atiende.emulator import payloads
from atiende.emulator.config import Customer as EmulatedCustomer
from tests.integration.conftest import CUSTOMERS, World
from tests.unit.test_content import MESSAGES

MARIA = CUSTOMERS["maria"]


def envelope(world: World, *messages: dict[str, Any], contacts: bool = True) -> bytes:
    value: dict[str, Any] = {"messages": list(messages)}
    if contacts:
        value["contacts"] = [payloads.inbound_contact(MARIA)]
    return json.dumps(payloads.messages_webhook(world.business, value)).encode()


async def deliver(world: World, *messages: dict[str, Any], contacts: bool = True) -> None:
    response = await world.deliver(envelope(world, *messages, contacts=contacts))
    assert response.status_code == 200, response.text


async def shown(client: Any, attention_id: int) -> list[dict[str, Any]]:
    response = await client.get(f"/api/attentions/{attention_id}/messages")
    return response.json()["messages"]  # type: ignore[no-any-return]


async def test_every_type_is_stored_and_shown(world: World) -> None:
    sockets = await world.online("agente1")
    agent = await world.login("agente1")
    standalone = [
        k
        for k in MESSAGES
        if k
        not in ("reaction", "reaction_removed", "edit", "revoke", "system_number", "system_user_id")
    ]
    await deliver(world, *[MESSAGES[k] for k in standalone])
    attention_id = (await agent.get("/api/agent/attentions")).json()["assigned"][0]["id"]
    await agent.post(f"/api/attentions/{attention_id}/open")
    messages = await shown(agent, attention_id)
    assert [m["type"] for m in messages] == [MESSAGES[k]["type"] for k in standalone]
    by_type = {m["type"]: m for m in messages}
    # Dated by WhatsApp's timestamp, when the customer wrote it, not when it reached us.
    assert messages[0]["sent_at"].startswith("2025-11-25T08:40:00")
    assert by_type["location"]["content"]["name"] == "Oficina central"
    assert by_type["document"]["content"]["filename"] == "factura-0042.pdf"
    assert by_type["unsupported"]["content"]["kind"] == "poll_creation"
    reply = next(m for m in messages if m["reply_to"])
    assert reply["reply_to"]["message_id"] is None, "it quotes an outgoing message we never sent"
    assert any(m["forwarded"] for m in messages)

    # Reaction, edit and deletion change the first message, live, and are not messages.
    first = messages[0]
    await deliver(world, MESSAGES["reaction"])
    await deliver(world, MESSAGES["edit"])
    after = await shown(agent, attention_id)
    assert len(after) == len(messages)
    edited = next(m for m in after if m["id"] == first["id"])
    assert edited["reactions"] == [{"emoji": "👍", "by": "customer"}]
    assert edited["edited"] and edited["text"] == "Hola, ¿tienen envío a Guadalajara?"
    assert edited["previous_text"] == "Hola, ¿tienen envío a Monterrey?"
    await deliver(world, MESSAGES["reaction_removed"])
    await deliver(world, MESSAGES["revoke"])
    gone = next(m for m in await shown(agent, attention_id) if m["id"] == first["id"])
    assert gone["deleted"] and gone["reactions"] == []
    updates = [e["message"]["id"] for e in sockets["agente1"].of_type("message.updated")]
    assert updates == [first["id"]] * 4

    # Delivered again, nothing is stored twice.
    await deliver(world, *[MESSAGES[k] for k in MESSAGES])
    async with world.rt.work() as w:
        total = await w.session.scalar(select(func.count()).select_from(Message))
    # Four changes filed away, and the two system notices that were not delivered before.
    assert total == len(standalone) + 4 + 2


async def test_the_customer_record_follows_a_change_of_number(world: World) -> None:
    await deliver(world, MESSAGES["text"])
    await deliver(world, MESSAGES["system_number"], contacts=False)
    async with world.rt.work() as w:
        customers = (await w.session.scalars(select(Customer))).all()
    assert len(customers) == 1
    assert customers[0].phone == "5215511112222"
    # A new number comes with a new BSUID, which the record now answers to.
    assert customers[0].bsuid == "MX.55501234567890123456"


async def test_a_new_bsuid_keeps_the_same_customer_and_attention(world: World) -> None:
    """The next message, by the BSUID a system notice gave, lands in the same live attention."""
    await deliver(world, MESSAGES["text"])
    await deliver(world, MESSAGES["system_number"], contacts=False)
    await deliver(world, MESSAGES["system_user_id"], contacts=False)
    latest = "MX.77702345678901234567"
    again = {k: v for k, v in MESSAGES["text"].items() if k != "from"}
    await deliver(world, {**again, "id": "wamid.AFTER1", "from_user_id": latest}, contacts=False)
    async with world.rt.work() as w:
        customers = (await w.session.scalars(select(Customer))).all()
        attentions = (await w.session.scalars(select(Attention))).all()
        messages = (await w.session.scalars(select(Message).order_by(Message.id))).all()
    assert [(c.bsuid, c.phone) for c in customers] == [(latest, "5215511112222")]
    assert len(attentions) == 1
    assert [m.type for m in messages] == ["text", "system", "system", "text"]
    assert {m.attention_id for m in messages} == {attentions[0].id}


async def test_request_welcome_starts_an_attention(world: World) -> None:
    await world.online("agente1")
    agent = await world.login("agente1")
    await deliver(world, MESSAGES["request_welcome"])
    assigned = (await agent.get("/api/agent/attentions")).json()["assigned"]
    assert len(assigned) == 1 and assigned[0]["window_ends_at"]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=20,
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(junk=json_values, cut=st.integers(min_value=0, max_value=400))
async def test_random_or_truncated_signed_bodies_never_5xx_and_are_never_lost(
    world: World, junk: Any, cut: int
) -> None:
    message = {**MESSAGES["text"], "id": f"wamid.H{cut}", "extra": junk}
    for body in (
        envelope(world, message),
        envelope(world, message)[:cut],
        json.dumps(junk).encode(),
    ):
        async with world.rt.work() as w:
            before = await w.session.scalar(select(func.count()).select_from(WebhookFailure))
        response = await world.deliver(body)
        assert response.status_code == 200, response.text
        async with world.rt.work() as w:
            after = await w.session.scalar(select(func.count()).select_from(WebhookFailure))
            stored = await w.session.scalar(
                select(func.count())
                .select_from(Message)
                .where(Message.wa_message_id == message["id"])
            )
        assert stored == 1 or after == (before or 0) + 1, "either ingested or kept for inspection"


async def test_after_the_phone_page_changes_number_and_bsuid_one_chat_continues(
    world: World,
) -> None:
    """Driven from the emulator as a trainer would: a new number, then a new BSUID; the
    customer stays one record with one live attention, and the agent's reply reaches him."""
    await world.online("agente1")
    agent = await world.login("agente1")
    phone = world.phone()
    await world.customer_writes(CUSTOMERS["maria"], "Hola")
    changed = await phone.post(
        "/emulator/api/customers/maria/number", json={"phone": "5215599990000"}
    )
    assert changed.status_code == 200 and changed.json()["delivered_to_app"], changed.text
    renamed = await phone.post("/emulator/api/customers/maria/user-id")
    assert renamed.status_code == 200 and renamed.json()["delivered_to_app"], renamed.text
    await world.customer_writes(CUSTOMERS["maria"], "Ya tengo número nuevo")

    now = (await phone.get("/emulator/api/customers/maria/messages")).json()["customer"]
    async with world.rt.work() as w:
        customers = (await w.session.scalars(select(Customer))).all()
        attentions = (await w.session.scalars(select(Attention))).all()
    assert [(c.phone, c.bsuid) for c in customers] == [("5215599990000", now["bsuid"])]
    assert now["bsuid"] != MARIA.bsuid
    [attention] = attentions
    await agent.post(f"/api/attentions/{attention.id}/open")
    shown_now = await shown(agent, attention.id)
    assert [m["type"] for m in shown_now] == ["text", "system", "system", "text"]
    sent = await agent.post(
        f"/api/attentions/{attention.id}/messages", json={"text": "Anotado", "client_id": "n1"}
    )
    assert sent.status_code == 201, sent.text
    await world.dispatch()
    chat = (await phone.get("/emulator/api/customers/maria/messages")).json()["messages"]
    assert [m["text"] for m in chat if m["direction"] == "outbound"] == ["Anotado"]


async def test_the_phone_page_refuses_a_number_another_customer_has(world: World) -> None:
    taken = CUSTOMERS["juan"].phone
    answer = await world.phone().post("/emulator/api/customers/maria/number", json={"phone": taken})
    assert answer.status_code == 422
    assert "Juan" in answer.json()["detail"]


async def test_one_batch_that_changes_its_own_messages(world: World) -> None:
    """A message, then a reaction to it, its edit and another message, applied in one batch:
    the message exists before it is changed, and its holder hears it created before changed."""
    sockets = await world.online("agente1")
    agent = await world.login("agente1")
    await deliver(world, payloads.text_message(MARIA, "wamid.B0", "Hola", 1_764_060_000))
    attention_id = (await agent.get("/api/agent/attentions")).json()["assigned"][0]["id"]
    await world.without_background_processor()
    at = 1_764_060_100
    await deliver(
        world,
        payloads.text_message(MARIA, "wamid.B1", "¿Tienen envío?", at),
        payloads.reaction_message(MARIA, "wamid.B2", at + 1, "wamid.B1", "👍"),
        payloads.edit_message(MARIA, "wamid.B3", at + 2, "wamid.B1", "¿Tienen envío hoy?"),
        payloads.text_message(MARIA, "wamid.B4", "Gracias", at + 3),
    )
    messages = await shown(agent, attention_id)
    assert [m["text"] for m in messages] == ["Hola", "¿Tienen envío hoy?", "Gracias"]
    changed = messages[1]
    assert changed["reactions"] == [{"emoji": "👍", "by": "customer"}] and changed["edited"]
    heard = [
        (e["type"], e["message"]["id"])
        for e in sockets["agente1"].sent
        if e["type"] in ("message.created", "message.updated")
    ]
    ids = [m["id"] for m in messages]
    # The first came before the attention was his: he read it in his list.
    assert heard == [
        ("message.created", ids[1]),
        ("message.updated", ids[1]),
        ("message.updated", ids[1]),
        ("message.created", ids[2]),
    ]


async def test_new_customers_of_one_batch_each_get_one_attention(world: World) -> None:
    """Brand-new senders are inserted together for the batch; one who writes twice, or whose
    number another new BSUID brings in the same batch, is still one customer each."""
    await world.without_background_processor()
    people = [
        EmulatedCustomer(f"c{n}", f"Cliente {n}", f"MX.B{n:03d}", f"5215550000{n:03d}")
        for n in range(6)
    ]
    # The same number as the first, under another BSUID: the number moves to the newcomer.
    taker = EmulatedCustomer("otro", "Otra persona", "MX.OTHER", people[0].phone)
    messages = [
        payloads.text_message(p, f"wamid.N{n}", f"hola {n}", 1_764_060_000 + n)
        for n, p in enumerate(people)
    ]
    messages.append(payloads.text_message(people[1], "wamid.N1b", "otra vez", 1_764_060_010))
    messages.append(payloads.text_message(taker, "wamid.N9", "soy otro", 1_764_060_011))
    value = {
        "messages": messages,
        "contacts": [payloads.inbound_contact(p) for p in [*people, taker]],
    }
    body = json.dumps(payloads.messages_webhook(world.business, value)).encode()
    assert (await world.deliver(body)).status_code == 200
    async with world.rt.work() as w:
        rows = list(
            await w.session.execute(
                select(Customer.bsuid, Customer.phone, func.count(Attention.id))
                .join(Attention, Attention.customer_id == Customer.id)
                .group_by(Customer.bsuid, Customer.phone)
                .order_by(Customer.bsuid)
            )
        )
        stored = await w.session.scalar(select(func.count()).select_from(Message))
        failures = await w.session.scalar(select(func.count()).select_from(WebhookFailure))
    assert stored == 8 and failures == 0
    owners = {bsuid: (phone, n) for bsuid, phone, n in rows}
    assert owners["MX.OTHER"] == (people[0].phone, 1)
    assert owners[people[0].bsuid] == (None, 1), "never two people on one number"
    for p in people[1:]:
        assert owners[p.bsuid] == (p.phone, 1)
