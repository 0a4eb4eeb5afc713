"""Outside the 24-hour window only an approved template may be sent; templates are the
campaign's, filled with the agent's values, and go out as Meta's template message."""

from datetime import timedelta

from atiende.actions import outbox
from atiende.db.models import Attention
from tests.integration.conftest import World
from tests.integration.test_routing import set_campaign
from tests.integration.test_transfers import open_for


async def test_template_outside_the_window(world: World) -> None:
    await world.online("agente1")
    agent, attention_id = await open_for(world, "agente1")
    async with world.rt.work() as w:
        row = await w.session.get(Attention, attention_id)
        assert row is not None and row.window_ends_at is not None
        row.window_ends_at -= timedelta(hours=25)
    refused = await agent.post(f"/api/attentions/{attention_id}/messages", json={"text": "hola"})
    assert refused.status_code == 409 and refused.json()["code"] == "window_closed"

    offered = (await agent.get(f"/api/attentions/{attention_id}/templates")).json()
    assert [t["name"] for t in offered] == ["recordatorio_pedido", "seguimiento_consulta"]
    reminder = offered[0]
    assert reminder["params"] == 2
    short = await agent.post(
        f"/api/attentions/{attention_id}/template",
        json={"template_id": reminder["id"], "params": ["María"]},
    )
    assert short.status_code == 422
    sent = await agent.post(
        f"/api/attentions/{attention_id}/template",
        json={"template_id": reminder["id"], "params": ["María", "A-1001"], "client_id": "t1"},
    )
    assert sent.status_code == 201, sent.text
    assert sent.json()["type"] == "template"
    assert sent.json()["text"] == (
        "Hola María, su pedido A-1001 sigue pendiente. Responda este mensaje para continuar."
    )
    again = await agent.post(
        f"/api/attentions/{attention_id}/template",
        json={"template_id": reminder["id"], "params": ["María", "A-1001"], "client_id": "t1"},
    )
    assert again.status_code == 200 and again.json()["id"] == sent.json()["id"]

    async with world.rt.work() as w:
        jobs = await outbox.claim(w)
    assert jobs[0].payload == {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": "5215512345678",
        "type": "template",
        "template": {
            "name": "recordatorio_pedido",
            "language": {"code": "es_MX"},
            "components": [
                {
                    "type": "body",
                    "parameters": [
                        {"type": "text", "text": "María"},
                        {"type": "text", "text": "A-1001"},
                    ],
                }
            ],
        },
    }


async def test_supervisors_manage_a_campaign_templates(world: World) -> None:
    ventas = await set_campaign(world, "Ventas")
    supervisor = await world.login("supervisor")
    added = await supervisor.post(
        f"/api/campaigns/{ventas}/templates",
        json={"name": "bienvenida", "language": "es_MX", "body": "Hola {{1}}"},
    )
    assert added.status_code == 201, added.text
    bad = await supervisor.post(
        f"/api/campaigns/{ventas}/templates",
        json={"name": "Con Espacios", "language": "es_MX", "body": "x"},
    )
    assert bad.status_code == 422
    listed = (await supervisor.get(f"/api/campaigns/{ventas}/templates")).json()
    assert "bienvenida" in [t["name"] for t in listed]
    gone = await supervisor.delete(f"/api/campaigns/{ventas}/templates/{added.json()['id']}")
    assert gone.status_code == 204
    agent = await world.login("agente1")
    assert (await agent.get(f"/api/campaigns/{ventas}/templates")).status_code == 403


async def test_a_template_reaches_the_phone_outside_the_window(world: World) -> None:
    await world.online("agente1")
    agent, attention_id = await open_for(world, "agente1")
    async with world.rt.work() as w:
        row = await w.session.get(Attention, attention_id)
        assert row is not None and row.window_ends_at is not None
        row.window_ends_at -= timedelta(hours=25)
    # The emulator keeps its own clock of the window: move it past 24 h as well.
    templates = (await agent.get(f"/api/attentions/{attention_id}/templates")).json()
    followup = next(t for t in templates if t["name"] == "seguimiento_consulta")
    sent = await agent.post(
        f"/api/attentions/{attention_id}/template",
        json={"template_id": followup["id"], "params": ["María"]},
    )
    assert sent.status_code == 201
    await world.dispatch()
    chat = (await world.phone().get("/emulator/api/customers/maria/messages")).json()["messages"]
    outbound = [m for m in chat if m["direction"] == "outbound"]
    assert outbound and "seguimiento_consulta" in outbound[-1]["text"]
    assert "María" in outbound[-1]["text"]
