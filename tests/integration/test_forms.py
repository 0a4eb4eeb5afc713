"""Forms through the API: versions, drafts kept as typed, submission validated per field."""

from sqlalchemy import select

from atiende.db.models import FormSubmission
from tests.integration.conftest import World
from tests.integration.test_routing import set_campaign
from tests.integration.test_transfers import open_for


async def test_draft_keeps_what_was_typed_and_submit_names_each_bad_field(world: World) -> None:
    await world.online("agente1")
    agent, attention_id = await open_for(world, "agente1")
    state = (await agent.get(f"/api/attentions/{attention_id}/form")).json()
    assert state["form"]["campaign"]["name"] == "Ventas"
    assert [f["key"] for f in state["form"]["fields"] if f["required"]] == ["motivo", "documento"]

    draft = await agent.put(
        f"/api/attentions/{attention_id}/form/draft",
        json={"values": {"documento": "123", "correo": "sin-arroba"}},
    )
    assert draft.status_code == 200
    assert draft.json()["values"]["correo"] == "sin-arroba"
    assert "correo" in draft.json()["errors"]
    assert draft.json()["error_codes"]["correo"] == {"code": "invalid_email", "params": {}}
    again = (await agent.get(f"/api/attentions/{attention_id}/form")).json()
    assert again["values"] == {"documento": "123", "correo": "sin-arroba"}

    bad = await agent.post(
        f"/api/attentions/{attention_id}/form/submit",
        json={"values": {"documento": "123", "correo": "sin-arroba"}},
    )
    assert bad.status_code == 422
    assert set(bad.json()["errors"]) == {"motivo", "correo"}
    assert bad.json()["error_codes"]["motivo"]["code"] == "required"
    assert bad.json()["params"] == {"fields": "Motivo de contacto, Correo electrónico"}
    ended = await agent.post(f"/api/attentions/{attention_id}/end")
    assert ended.status_code == 422
    assert "Motivo de contacto" in ended.json()["detail"]
    english = await agent.post(
        f"/api/attentions/{attention_id}/end", headers={"Accept-Language": "en"}
    )
    assert english.status_code == 422
    assert english.json()["detail"].startswith("Fill in the required fields: Motivo de contacto")

    ok = await agent.post(
        f"/api/attentions/{attention_id}/form/submit",
        json={"values": {"documento": "123", "motivo": "Compra", "correo": "a@b.co"}},
    )
    assert ok.status_code == 200 and ok.json()["submitted_at"]
    assert (await agent.post(f"/api/attentions/{attention_id}/end")).status_code == 200


async def test_a_new_form_version_never_breaks_stored_submissions(world: World) -> None:
    ventas = await set_campaign(world, "Ventas")
    supervisor = await world.login("supervisor")
    await world.online("agente1")
    agent, first = await open_for(world, "agente1")
    await agent.post(
        f"/api/attentions/{first}/form/submit",
        json={"values": {"documento": "1", "motivo": "Compra"}},
    )
    new = await supervisor.put(
        f"/api/campaigns/{ventas}/form",
        json={
            "fields": [
                {"key": "resumen", "label": "Resumen", "type": "long_text", "required": True}
            ]
        },
    )
    assert new.status_code == 200, new.text
    assert new.json()["version"] == 2
    old = (await agent.get(f"/api/attentions/{first}/form")).json()
    assert old["form"]["version"] == 1 and old["values"]["documento"] == "1"
    assert (await agent.post(f"/api/attentions/{first}/end")).status_code == 200

    _, second = await open_for(world, "agente1", key="juan")
    state = (await agent.get(f"/api/attentions/{second}/form")).json()
    assert state["form"]["version"] == 2
    assert [f["key"] for f in state["form"]["fields"]] == ["resumen"]
    async with world.rt.work() as w:
        stored = await w.session.scalar(
            select(FormSubmission).where(FormSubmission.attention_id == first)
        )
        assert stored is not None and stored.values["motivo"] == "Compra"


async def test_only_staff_define_forms_and_bad_definitions_are_refused(world: World) -> None:
    ventas = await set_campaign(world, "Ventas")
    agent = await world.login("agente1")
    body = {"fields": [{"key": "a", "label": "A", "type": "text"}]}
    assert (await agent.put(f"/api/campaigns/{ventas}/form", json=body)).status_code == 403
    supervisor = await world.login("supervisor")
    bad = await supervisor.put(
        f"/api/campaigns/{ventas}/form",
        json={
            "fields": [
                {"key": "x", "label": "X", "type": "select"},
                {"key": "x", "label": "Y", "type": "text"},
            ]
        },
    )
    assert bad.status_code == 422
    assert {k: v["code"] for k, v in bad.json()["error_codes"].items()} == {
        "0.options": "options_required",
        "1.key": "key_repeated",
    }
    current = (await supervisor.get(f"/api/campaigns/{ventas}/form")).json()
    assert current["version"] == 1


async def test_field_keys_are_checked_by_row_in_either_language(world: World) -> None:
    ventas = await set_campaign(world, "Ventas")
    supervisor = await world.login("supervisor")
    fields = [
        {"key": "1er_contacto", "label": "1er contacto", "type": "text"},
        {"key": "Numero", "label": "Número", "type": "number"},
        {"key": "numero_de_contrato", "label": " ", "type": "text"},
        {"key": "numero_de_contrato", "label": "Otro", "type": "color"},
    ]
    bad = await supervisor.put(
        f"/api/campaigns/{ventas}/form",
        json={"fields": fields},
        headers={"Accept-Language": "en"},
    )
    assert bad.status_code == 422
    body = bad.json()
    assert body["code"] == "form_definition"
    assert {k: v["code"] for k, v in body["error_codes"].items()} == {
        "0.key": "key_format",
        "1.key": "key_format",
        "2.label": "required",
        "3.key": "key_repeated",
        "3.type": "unknown_type",
    }
    assert body["detail"] == "The form has errors."
    good = [
        {**f, "key": f"campo_{i}", "label": "Campo", "type": "text"} for i, f in enumerate(fields)
    ]
    saved = await supervisor.put(f"/api/campaigns/{ventas}/form", json={"fields": good})
    assert saved.status_code == 200 and saved.json()["version"] == 2


async def test_campaign_settings_and_members(world: World) -> None:
    ventas = await set_campaign(world, "Ventas")
    supervisor = await world.login("supervisor")
    patched = await supervisor.patch(
        f"/api/campaigns/{ventas}",
        json={"routing_mode": "offer_all", "reassign_after_seconds": 45, "overflow_mode": "none"},
    )
    assert patched.status_code == 200, patched.text
    assert patched.json()["routing_mode"] == "offer_all"
    assert patched.json()["reassign_after_seconds"] == 45
    negative = await supervisor.patch(f"/api/campaigns/{ventas}", json={"max_reassignments": -1})
    assert negative.status_code == 422
    members = await supervisor.put(
        f"/api/campaigns/{ventas}/members",
        json=[{"user_id": world.users["agente1"].id, "capacity": 2}],
    )
    assert members.status_code == 200, members.text
    assert [(m["display_name"], m["capacity"]) for m in members.json()["members"]] == [
        ("Sofía Torres", 2)
    ]
    not_agent = await supervisor.put(
        f"/api/campaigns/{ventas}/members",
        json=[{"user_id": world.users["admin"].id, "capacity": 1}],
    )
    assert not_agent.status_code == 422
    agent = await world.login("agente1")
    assert (await agent.patch(f"/api/campaigns/{ventas}", json={})).status_code == 403
    assert (await agent.get("/api/campaigns")).status_code == 403
    listed = (await supervisor.get("/api/campaigns")).json()
    assert {c["name"] for c in listed} == {"Ventas", "Soporte"}
    users = (await supervisor.get("/api/users")).json()
    assert {u["username"] for u in users} == {"agente1", "agente2", "supervisor", "admin"}
