"""*Contacto*: the agent serving a customer adds and edits his contact, checked field by
field; every change is recorded; lists and headers name him by it."""

import httpx

from tests.integration.conftest import World
from tests.integration.test_history import end, paused, serve


async def contact_of(client: httpx.AsyncClient, customer_id: int) -> httpx.Response:
    return await client.get(f"/api/customers/{customer_id}/contact")


async def customer_of(client: httpx.AsyncClient, attention_id: int) -> int:
    found: int = (await client.get(f"/api/attentions/{attention_id}")).json()["customer"]["id"]
    return found


async def test_the_serving_agent_adds_a_contact_and_lists_are_named_by_it(world: World) -> None:
    sockets = await world.online("agente1")
    sofia = await world.login("agente1")
    attention = await serve(world, sofia, "maria")
    customer_id = await customer_of(sofia, attention)
    before = (await sofia.get(f"/api/attentions/{attention}")).json()
    assert before["customer"]["contact_id"] is None
    assert (await contact_of(sofia, customer_id)).json()["contact"] is None

    added = await sofia.post(
        f"/api/customers/{customer_id}/contact",
        json={
            "name": "  María González Ruiz ",
            # A local number is read in the customer's own country (Mexico here).
            "phones": ["55 1234 5678", "+52 55 1234 5678", "+51 987 654 321"],
            "email": "Maria@Example.COM",
            "document_id": "GORM800101",
            "notes": "Prefiere WhatsApp",
        },
    )
    assert added.status_code == 201, added.text
    contact = added.json()
    assert contact["name"] == "María González Ruiz"
    assert contact["phones"] == ["+525512345678", "+51987654321"]
    assert contact["email"] == "Maria@example.com"
    assert contact["updated_by"]["display_name"] == "Sofía Torres" and contact["version"] == 1

    # The list and the header name him by the contact now, live too.
    desk = (await sofia.get("/api/agent/attentions")).json()
    item = next(a for a in desk["open"] if a["id"] == attention)
    assert item["customer"]["display_name"] == "María González Ruiz"
    assert item["customer"]["contact_id"] == contact["id"]
    pushed = [
        e["attention"]
        for e in sockets["agente1"].of_type("attention.updated")
        if e["attention"]["id"] == attention
    ]
    assert pushed[-1]["customer"]["contact_name"] == "María González Ruiz"
    assert pushed[-1]["version"] > before["version"]

    again = await sofia.post(f"/api/customers/{customer_id}/contact", json={"name": "Otra"})
    assert again.status_code == 409 and again.json()["code"] == "contact_exists"


async def test_bad_values_are_refused_per_field_and_nothing_is_stored(world: World) -> None:
    await world.online("agente1")
    sofia = await world.login("agente1")
    attention = await serve(world, sofia, "juan")
    customer_id = await customer_of(sofia, attention)
    refused = await sofia.post(
        f"/api/customers/{customer_id}/contact",
        json={"name": " ", "phones": ["12", "+57 300 123 4567"], "email": "no-es-correo"},
    )
    assert refused.status_code == 422, refused.text
    body = refused.json()
    assert body["code"] == "contact_invalid"
    codes = {k: v["code"] for k, v in body["error_codes"].items()}
    assert codes == {"name": "required", "phones.0": "invalid_phone", "email": "invalid_email"}
    assert set(body["errors"]) == set(codes)
    assert (await contact_of(sofia, customer_id)).json()["contact"] is None


async def test_custom_fields_edits_and_the_change_log(world: World) -> None:
    await world.online("agente1")
    sofia, supervisor = await world.login("agente1"), await world.login("supervisor")
    defined = await supervisor.put(
        "/api/contact-fields",
        json={
            "fields": [
                {"key": "ruc", "label": "RUC", "type": "text", "required": True},
                {"key": "segmento", "label": "Segmento", "type": "select", "options": ["A", "B"]},
            ]
        },
    )
    assert defined.status_code == 200, defined.text
    bad = await supervisor.put(
        "/api/contact-fields", json={"fields": [{"key": "Mal", "label": "", "type": "text"}]}
    )
    assert bad.status_code == 422 and bad.json()["code"] == "form_definition"
    assert [f["key"] for f in (await supervisor.get("/api/contact-fields")).json()] == [
        "ruc",
        "segmento",
    ]

    attention = await serve(world, sofia, "lucia")
    customer_id = await customer_of(sofia, attention)
    view = (await contact_of(sofia, customer_id)).json()
    assert [f["key"] for f in view["fields"]] == ["ruc", "segmento"]
    missing = await sofia.post(
        f"/api/customers/{customer_id}/contact",
        json={"name": "Lucía", "custom": {"segmento": "C"}},
    )
    codes = {k: v["code"] for k, v in missing.json()["error_codes"].items()}
    assert codes == {"custom.ruc": "required", "custom.segmento": "choose_option"}
    added = await sofia.post(
        f"/api/customers/{customer_id}/contact",
        json={"name": "Lucía", "phones": ["987654321"], "custom": {"ruc": "20123456789"}},
    )
    assert added.status_code == 201, added.text
    assert added.json()["phones"] == ["+51987654321"]  # Peru, as her WhatsApp number

    edited = await sofia.put(
        f"/api/customers/{customer_id}/contact",
        json={
            "name": "Lucía Fernández",
            "phones": ["+51987654321"],
            "email": "lucia@example.com",
            "custom": {"ruc": "20123456789", "segmento": "B"},
            "version": 1,
        },
    )
    assert edited.status_code == 200, edited.text
    assert edited.json()["version"] == 2
    stale = await sofia.put(
        f"/api/customers/{customer_id}/contact", json={"name": "Otra", "version": 1}
    )
    assert stale.status_code == 409 and stale.json()["code"] == "contact_changed"
    unchanged = await sofia.put(
        f"/api/customers/{customer_id}/contact",
        json={**edited.json(), "version": 2},
    )
    assert unchanged.status_code == 200 and unchanged.json()["version"] == 2

    log = (await sofia.get(f"/api/customers/{customer_id}/contact/changes")).json()
    assert [c["kind"] for c in log] == ["updated", "created"]
    assert all(c["by"]["display_name"] == "Sofía Torres" for c in log)
    assert log[0]["changes"] == {
        "name": {"from": "Lucía", "to": "Lucía Fernández"},
        "email": {"from": None, "to": "lucia@example.com"},
        "custom.segmento": {"from": None, "to": "B"},
    }
    assert log[1]["changes"]["custom.ruc"] == {"from": None, "to": "20123456789"}

    # A field the supervisor removes is no longer asked for; its value stays stored.
    await supervisor.put("/api/contact-fields", json={"fields": []})
    kept = await sofia.put(
        f"/api/customers/{customer_id}/contact", json={"name": "Lucía F.", "phones": []}
    )
    assert kept.status_code == 200, kept.text
    assert kept.json()["custom"] == {"ruc": "20123456789", "segmento": "B"}


async def test_only_whoever_serves_the_customer_edits_his_contact(world: World) -> None:
    await world.online("agente1", "agente2")
    sofia, diego = await world.login("agente1"), await world.login("agente2")
    await paused(diego)
    attention = await serve(world, sofia, "carlos")
    customer_id = await customer_of(sofia, attention)
    path = f"/api/customers/{customer_id}/contact"
    assert (await diego.post(path, json={"name": "Carlos"})).status_code == 404
    assert (await sofia.post(path, json={"name": "Carlos"})).status_code == 201
    for call in (
        diego.get(path),
        diego.put(path, json={"name": "X"}),
        diego.get(path + "/changes"),
    ):
        refused = await call
        assert refused.status_code == 404 and refused.json()["code"] == "customer_not_found"
    await end(sofia, attention)
    assert (await sofia.put(path, json={"name": "Carlos M."})).status_code == 404
    supervisor = await world.login("supervisor")
    assert (await supervisor.put(path, json={"name": "Carlos M."})).status_code == 200
