"""The event contract, as Zulip's test_events checks its own: every event an action publishes
validates against its schema and reaches exactly who may see it, and the agent's panel kept
up by events equals a fresh snapshot after each action."""

import asyncio
import json
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, get_args

import httpx
from sqlalchemy import select
from websockets.asyncio.client import connect

from atiende.db.models import Campaign, CampaignMember, Message
from atiende.emulator import payloads
from atiende.realtime.events import EVENT, Envelope, Event
from tests.integration.conftest import CUSTOMERS, FakeSocket, World, complete_form
from tests.integration.test_security_server import Server, cookie_of, server  # noqa: F401

# Sent by the socket itself, not by an action: checked on a real socket below.
SOCKET_ONLY = frozenset({"hello", "pong"})


def kinds_of_the_union() -> set[str]:
    members = get_args(get_args(Event)[0])
    return {m.model_fields["type"].default for m in members}


def test_every_kind_in_the_union_is_exercised() -> None:
    """A new kind of event fails here until a flow below publishes it (or the socket sends it)."""
    assert kinds_of_the_union() == set(FLOW_KINDS) | SOCKET_ONLY


FLOW_KINDS = (
    "agent.status",
    "attention.updated",
    "attention.removed",
    "message.created",
    "message.updated",
    "message.status",
    "queues",
    # The staff room (supervisors, admins); followed by a dashboard in test_dashboard.py.
    "live.attention",
    "live.agent",
    "live.campaign",
)


class Panel:
    """What the agent panel holds, kept as the client keeps it (docs/api.md, "WebSocket")."""

    def __init__(self, me: int, desk: dict[str, Any], user: dict[str, Any]) -> None:
        self.me = me
        # The agent's own status, as every one of his tabs shows it.
        self.status = (user["status"], user["pause_reason"])
        self.lists: dict[str, dict[int, dict[str, Any]]] = {
            name: {a["id"]: a for a in desk[name]} for name in ("assigned", "open", "offered")
        }
        self.queues = {q["campaign_id"]: q for q in desk["queues"]}
        # Chats the panel has loaded, by attention: loaded over HTTP when shown, then by events.
        self.chats: dict[int, dict[int, dict[str, Any]]] = {}

    def held(self) -> set[int]:
        return set(self.lists["assigned"]) | set(self.lists["open"])

    def apply(self, event: dict[str, Any]) -> None:
        kind = event["type"]
        if kind == "agent.status":
            self.status = (event["user"]["status"], event["user"]["pause_reason"])
        elif kind == "attention.updated":
            self._attention(event["attention"])
        elif kind == "attention.removed":
            known = [a for lst in self.lists.values() if (a := lst.get(event["attention_id"]))]
            if known and known[0]["version"] > event["version"]:
                return
            self._drop(event["attention_id"])
        elif kind in ("message.created", "message.updated"):
            message = event["message"]
            chat = self.chats.get(message["attention_id"])
            if chat is not None:
                chat[message["id"]] = message
        elif kind == "message.status":
            chat = self.chats.get(event["attention_id"])
            if chat is not None and event["message_id"] in chat:
                shown = chat[event["message_id"]]
                shown.update(status=event["status"], error=event["error"])
        elif kind == "queues":
            self.queues.update({q["campaign_id"]: q for q in event["queues"]})

    def _attention(self, attention: dict[str, Any]) -> None:
        known = [a for lst in self.lists.values() if (a := lst.get(attention["id"]))]
        if known and known[0]["version"] > attention["version"]:
            return
        self._drop(attention["id"], keep_chat=True)
        if attention["offered"]:
            self.lists["offered"][attention["id"]] = attention
        elif attention["agent_id"] == self.me and attention["state"] in ("assigned", "open"):
            self.lists[attention["state"]][attention["id"]] = attention
        else:
            self.chats.pop(attention["id"], None)

    def _drop(self, attention_id: int, keep_chat: bool = False) -> None:
        for lst in self.lists.values():
            lst.pop(attention_id, None)
        if not keep_chat:
            self.chats.pop(attention_id, None)

    def view(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "lists": {k: dict(sorted(v.items())) for k, v in self.lists.items()},
            "queues": dict(sorted(self.queues.items())),
            "chats": {k: dict(sorted(v.items())) for k, v in sorted(self.chats.items())},
        }


async def fresh(client: httpx.AsyncClient, me: int, chats: set[int]) -> Panel:
    user = (await client.get("/api/auth/me")).json()["user"]
    panel = Panel(me, (await client.get("/api/agent/attentions")).json(), user)
    for attention_id in sorted(chats & panel.held()):
        panel.chats[attention_id] = await chat_of(client, attention_id)
    return panel


async def chat_of(client: httpx.AsyncClient, attention_id: int) -> dict[int, dict[str, Any]]:
    response = await client.get(f"/api/attentions/{attention_id}/messages")
    assert response.status_code == 200, response.text
    return {m["id"]: m for m in response.json()["messages"]}


class Recorder:
    """Every envelope the actions publish, as the bus receives it."""

    def __init__(self, world: World) -> None:
        self.envelopes: list[Envelope] = []
        publish = world.rt.bus.publish

        def recording(envelope: Envelope) -> None:
            if envelope.text is not None:
                # Encoded by the action itself (routing): read back as the sockets will.
                event = EVENT.validate_json(envelope.text)
                assert event.model_dump_json() == envelope.text, "not the schema's JSON"
                self.envelopes.append(envelope.model_copy(update={"event": event}))
            else:
                self.envelopes.append(envelope)
            publish(envelope)

        world.rt.bus.publish = recording  # type: ignore[method-assign]


@dataclass
class Desk:
    """One agent's panel, its socket and the snapshot it is checked against."""

    client: httpx.AsyncClient
    me: int
    socket: FakeSocket
    panel: Panel
    seen: int = 0

    @classmethod
    async def watch(cls, client: httpx.AsyncClient, me: int, socket: FakeSocket) -> "Desk":
        return cls(client, me, socket, await fresh(client, me, set()), len(socket.sent))

    async def follows(self, what: str) -> None:
        for event in self.socket.sent[self.seen :]:
            self.panel.apply(event)
        self.seen = len(self.socket.sent)
        after = await fresh(self.client, self.me, set(self.panel.chats))
        assert self.panel.view() == after.view(), f"after {what}: events and snapshot disagree"
        # The client loads the chat of an attention that appeared, as it does when shown.
        for attention_id in after.held() - set(self.panel.chats):
            self.panel.chats[attention_id] = await chat_of(self.client, attention_id)


async def campaign(world: World, name: str) -> int:
    async with world.rt.work() as w:
        found = await w.session.scalar(select(Campaign.id).where(Campaign.name == name))
        assert found is not None
        return found


async def members(world: World, campaign_id: int) -> set[int]:
    async with world.rt.work() as w:
        rows = await w.session.scalars(
            select(CampaignMember.user_id).where(CampaignMember.campaign_id == campaign_id)
        )
        return set(rows)


async def delivered(world: World, message_id: int) -> None:
    """Wait for the emulator's status webhooks (sent in the background) to say delivered;
    up to 20 s, as a machine busy with other work may take seconds to run them.

    The emulator may answer the send and report its statuses before the dispatch commits
    the wamid: those wait in `early_statuses` for their loop, which the test runs too."""
    for _ in range(400):
        await world.early_statuses()
        async with world.rt.work() as w:
            message = await w.session.get(Message, message_id)
            assert message is not None
            if message.status in ("delivered", "read"):
                return
        await asyncio.sleep(0.05)
    raise AssertionError(f"message {message_id} was never delivered")


async def test_each_action_publishes_valid_events_to_its_recipients_and_the_panel_follows(
    world: World,
) -> None:
    ventas, soporte = await campaign(world, "Ventas"), await campaign(world, "Soporte")
    agente1 = world.users["agente1"].id
    supervisor = await world.login("supervisor")
    # agente2 works Soporte only: an agent of another campaign for whatever Ventas does.
    only_agente1 = [{"user_id": agente1, "capacity": 3}]
    moved = await supervisor.put(f"/api/campaigns/{ventas}/members", json=only_agente1)
    assert moved.status_code == 200, moved.text
    sockets = await world.online("agente1", "agente2")
    agent = await world.login("agente1")
    recorder = Recorder(world)
    desk = await Desk.watch(agent, agente1, sockets["agente1"])
    panel = desk.panel

    async def step(what: str, action: Callable[[], Awaitable[Any]]) -> None:
        await action()
        await desk.follows(what)

    maria = CUSTOMERS["maria"]
    await step("a customer writes", lambda: world.customer_writes(maria, "Hola"))
    attention_id = next(iter(panel.held()))
    await step("open", lambda: agent.post(f"/api/attentions/{attention_id}/open"))
    await step("message in", lambda: world.customer_writes(maria, "Quiero comprar"))

    async def message_out() -> None:
        sent = await agent.post(f"/api/attentions/{attention_id}/messages", json={"text": "Sí"})
        assert sent.status_code == 201, sent.text
        await world.dispatch()
        await delivered(world, sent.json()["id"])

    await step("message out and its statuses", message_out)

    async def customer_edits() -> None:
        async with world.rt.work() as w:
            original = await w.session.scalar(
                select(Message.wa_message_id).where(
                    Message.attention_id == attention_id, Message.text == "Quiero comprar"
                )
            )
        assert original is not None
        edit = payloads.edit_message(
            maria, payloads.new_wamid(maria.bsuid), time.time(), original, "Quiero dos"
        )
        body = payloads.inbound_webhook(world.business, maria, edit)
        assert (await world.deliver(json.dumps(body).encode())).status_code == 200

    await step("the customer edits", customer_edits)
    await step(
        "status",
        lambda: agent.put("/api/agent/status", json={"status": "paused", "reason": "Baño"}),
    )
    await step("available", lambda: agent.put("/api/agent/status", json={"status": "available"}))
    await step("form", lambda: complete_form(agent, attention_id))

    async def transfer() -> None:
        moved = await agent.post(
            f"/api/attentions/{attention_id}/transfer", json={"campaign_id": soporte}
        )
        assert moved.status_code == 200, moved.text

    await step("transfer (queued in Soporte)", transfer)
    await step("routing to agente2", world.route)

    async def service_level() -> None:
        changed = await supervisor.patch(
            f"/api/campaigns/{soporte}", json={"service_level_seconds": 30}
        )
        assert changed.status_code == 200, changed.text

    await step("a supervisor sets Soporte's service level", service_level)

    carlos = next(c for key, c in CUSTOMERS.items() if key != "maria")
    await step("another customer writes", lambda: world.customer_writes(carlos, "Buenas"))
    second = next(iter(panel.held()))
    await step("open the second", lambda: agent.post(f"/api/attentions/{second}/open"))
    await step("its form", lambda: complete_form(agent, second))
    await step("end", lambda: agent.post(f"/api/attentions/{second}/end"))

    # (a) Every published event is its schema's JSON, and so is every frame a socket got.
    kinds = set()
    for envelope in recorder.envelopes:
        if envelope.event is None:
            continue
        wire = envelope.event.model_dump(mode="json")
        assert EVENT.validate_python(wire).model_dump(mode="json") == wire
        kinds.add(wire["type"])
    for socket in sockets.values():
        for frame in socket.sent:
            EVENT.validate_python(frame)
    assert kinds >= set(FLOW_KINDS), f"not published by these flows: {set(FLOW_KINDS) - kinds}"

    # (b) Who hears what.
    await recipients_are_right(world, recorder.envelopes, {ventas, soporte})
    about_ventas = [e for e in sockets["agente2"].sent if concerns(e, ventas)]
    assert about_ventas == [], "an agent outside Ventas heard about its attentions"
    for socket in sockets.values():
        assert not [e for e in socket.sent if e["type"].startswith("live.")], "staff room leak"


def concerns(event: dict[str, Any], campaign_id: int) -> bool:
    if event["type"] == "attention.updated":
        return bool(event["attention"]["campaign"]["id"] == campaign_id)
    if event["type"] == "queues":
        return any(q["campaign_id"] == campaign_id for q in event["queues"])
    return False


async def recipients_are_right(world: World, envelopes: list[Envelope], ids: set[int]) -> None:
    team = {c: await members(world, c) for c in ids}
    holder: dict[int, int | None] = {}
    version: dict[int, int] = {}
    for envelope in envelopes:
        event = envelope.event
        to = set(envelope.recipients)
        if event is None:
            continue
        # The staff room's events go to supervisors' and admins' sockets only, never named.
        assert envelope.staff == event.type.startswith("live."), envelope
        if envelope.staff:
            assert to == set(), envelope
            continue
        if event.type == "agent.status":
            assert to == {event.user.id}, envelope
        elif event.type == "attention.updated":
            a = event.attention
            version[a.id] = max(version.get(a.id, 0), a.version)
            if a.offered:
                assert to <= team[a.campaign.id], envelope
            else:
                assert to == {a.agent_id}, envelope
                holder[a.id] = a.agent_id
        elif event.type in ("message.created", "message.updated"):
            assert to == {holder[event.message.attention_id]}, envelope
        elif event.type == "message.status":
            assert to == {holder[event.attention_id]}, envelope
        elif event.type == "queues":
            for count in event.queues:
                assert to == team[count.campaign_id], envelope
        elif event.type == "attention.removed":
            # The former holder, or the agents an offer was shown to: agents of its campaigns.
            assert to and to <= set().union(*team.values()), envelope
            # Versioned like the updates: never older than one sent before it.
            assert event.version >= version.get(event.attention_id, 0), envelope


async def test_offers_reach_the_campaign_and_vanish_for_the_others_when_taken(
    world: World,
) -> None:
    ventas = await campaign(world, "Ventas")
    supervisor = await world.login("supervisor")
    mode = await supervisor.patch(f"/api/campaigns/{ventas}", json={"routing_mode": "offer_all"})
    assert mode.status_code == 200, mode.text
    sockets = await world.online("agente1", "agente2")
    recorder = Recorder(world)
    desks = [
        await Desk.watch(await world.login(name), world.users[name].id, sockets[name])
        for name in ("agente1", "agente2")
    ]

    await world.customer_writes(CUSTOMERS["maria"], "Hola")
    for desk in desks:
        await desk.follows("an offer")
        assert len(desk.panel.lists["offered"]) == 1
    attention_id = next(iter(desks[0].panel.lists["offered"]))
    taken = await desks[1].client.post(f"/api/attentions/{attention_id}/open")
    assert taken.status_code == 200, taken.text
    for desk in desks:
        await desk.follows("the offer taken")
    assert desks[0].panel.lists["offered"] == {} and desks[0].panel.held() == set()
    assert desks[1].panel.held() == {attention_id}

    offered = [e for e in recorder.envelopes if e.event and e.event.type == "attention.updated"]
    team = await members(world, ventas)
    assert any(set(e.recipients) == team for e in offered), "the offer goes to the campaign"
    removed = [e for e in recorder.envelopes if e.event and e.event.type == "attention.removed"]
    assert [e.recipients for e in removed] == [[world.users["agente1"].id]]
    await recipients_are_right(world, recorder.envelopes, {ventas})


async def test_the_socket_says_hello_and_answers_ping(server: Server) -> None:  # noqa: F811
    agent = server.login("agente1")
    async with connect(
        f"ws://127.0.0.1:{server.port}/api/ws",
        origin=server.base,  # type: ignore[arg-type]
        additional_headers={"Cookie": cookie_of(agent)},
    ) as ws:
        hello = EVENT.validate_python(json.loads(await asyncio.wait_for(ws.recv(), 5)))
        await ws.send(json.dumps({"type": "ping"}))
        pong = EVENT.validate_python(json.loads(await asyncio.wait_for(ws.recv(), 5)))
    assert (hello.type, pong.type) == ("hello", "pong")
    assert hello.user.username == "agente1"  # type: ignore[union-attr]
