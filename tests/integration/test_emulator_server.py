"""The emulator served by uvicorn on 127.0.0.1, posting webhooks over real HTTP."""

import asyncio
import dataclasses
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import uvicorn
from fastapi import FastAPI

from atiende.emulator.recorder import WebhookRecorder
from atiende.emulator.server import build_server
from tests.integration.test_emulator_app import AUTH, MESSAGES, SECRET, config


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@asynccontextmanager
async def serving(server: uvicorn.Server) -> AsyncIterator[None]:
    task = asyncio.create_task(server.serve())
    async with asyncio.timeout(5):
        while not server.started:
            if task.done():
                task.result()
            await asyncio.sleep(0.01)
    try:
        yield
    finally:
        server.should_exit = True
        await task


def quiet(app: FastAPI, port: int) -> uvicorn.Server:
    return uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))


async def test_customer_and_business_talk_through_real_sockets() -> None:
    recorder = WebhookRecorder(SECRET)
    app_port, emulator_port = free_port(), free_port()
    settings = dataclasses.replace(
        config(), app_webhook_url=f"http://127.0.0.1:{app_port}/webhooks/whatsapp"
    )
    emulator = build_server(settings, "127.0.0.1", emulator_port, log_level="warning")

    async with serving(quiet(recorder.app, app_port)), serving(emulator):
        base = f"http://127.0.0.1:{emulator_port}"
        async with httpx.AsyncClient(base_url=base) as client:
            page = await client.get("/")
            sent = await client.post(
                "/emulator/api/customers/maria/messages", json={"text": "Hola"}
            )
            body = {
                "messaging_product": "whatsapp",
                "to": "5215512345678",
                "text": {"body": "¡Hola!"},
            }
            reply = await client.post(MESSAGES, json=body, headers=AUTH)
            await recorder.wait_for(3)

    assert page.status_code == 200
    assert sent.json()["delivered_to_app"] is True
    assert reply.status_code == 200
    assert all(r.signed_correctly for r in recorder.received)
    wamid = reply.json()["messages"][0]["id"]
    assert recorder.statuses() == [(wamid, "sent"), (wamid, "delivered")]


async def test_an_app_that_is_down_makes_the_emulator_give_up() -> None:
    settings = dataclasses.replace(
        config(), app_webhook_url=f"http://127.0.0.1:{free_port()}/webhooks/whatsapp"
    )
    emulator_port = free_port()
    emulator = build_server(settings, "127.0.0.1", emulator_port, log_level="warning")

    async with serving(emulator), httpx.AsyncClient() as client:
        url = f"http://127.0.0.1:{emulator_port}/emulator/api/customers/ana/messages"
        answer = (await client.post(url, json={"text": "¿Hola?"})).json()

    assert answer["delivered_to_app"] is False
    assert answer["attempts"] == 3
    assert answer["last_error"].startswith("ConnectError")
