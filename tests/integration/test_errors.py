"""Malformed requests: a 422 that says what is wrong without repeating what was sent."""

from tests.integration.conftest import World

PASSWORD = "correct horse battery staple 8472"


async def test_a_malformed_login_never_echoes_the_password(world: World) -> None:
    client = world.client()
    for body in (
        {"username": ["agente1"], "password": PASSWORD},
        {"user": "agente1", "password": PASSWORD},
        {"username": "agente1", "password": {"value": PASSWORD}},
        [PASSWORD],
    ):
        response = await client.post("/api/auth/login", json=body)
        assert response.status_code == 422, response.text
        assert PASSWORD not in response.text
        answer = response.json()
        assert answer["code"] == "invalid_request"
        assert answer["detail"].startswith("La solicitud no es válida")
        for error in answer["errors"]:
            assert set(error) == {"loc", "msg", "type"}


async def test_the_422_names_the_field_and_speaks_english_when_asked(world: World) -> None:
    client = world.client()
    body = {"username": 7, "password": PASSWORD}
    spanish = (await client.post("/api/auth/login", json=body)).json()
    assert spanish["detail"] == "La solicitud no es válida: username (no es texto)."
    [error] = spanish["errors"]
    assert error == {
        "loc": ["body", "username"],
        "msg": "Input should be a valid string",
        "type": "string_type",
    }
    english = await client.post(
        "/api/auth/login", json={"password": PASSWORD}, headers={"Accept-Language": "en-US"}
    )
    assert english.json()["detail"] == "The request is not valid: username (missing)."


async def test_unreadable_json_is_422_without_the_body(world: World) -> None:
    response = await world.client().post(
        "/api/auth/login",
        content=f'{{"username": "agente1", "password": "{PASSWORD}"'.encode(),
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 422
    assert PASSWORD not in response.text
    assert response.json()["errors"][0]["type"] == "json_invalid"


async def test_every_refusal_carries_its_code_and_params(world: World) -> None:
    client = world.client()
    malformed = (await client.post("/api/auth/login", json={"username": 7})).json()
    assert malformed["code"] == "invalid_request"
    assert malformed["params"] == {"fields": "username, password"}
    refused = await client.post(
        "/api/auth/login",
        json={"username": "agente1", "password": "wrong"},
        headers={"Accept-Language": "en"},
    )
    assert refused.status_code == 401
    assert refused.json() == {
        "code": "bad_credentials",
        "params": {},
        "detail": "Wrong username or password.",
    }
    unknown = await client.delete("/api/auth/login")
    assert unknown.status_code == 405
    assert (unknown.json()["code"], unknown.json()["detail"]) == (
        "method_not_allowed",
        "Esta dirección no admite ese método.",
    )
