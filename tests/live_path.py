"""A customer's message on its way to an agent, across whatever serves the app: a signed
webhook in, the agent's socket hears the attention assigned to him, his HTTP API lists it.

The two-process test runs it with the webhook on one process and the agent on the other;
the deployment test runs it through nginx in front of three processes.
"""

import asyncio
import json
import ssl
import time
from dataclasses import dataclass
from typing import Any

import httpx
from websockets.asyncio.client import connect
from websockets.typing import Origin

from atiende import demo
from atiende.channels.whatsapp.signature import HEADER, sign
from atiende.emulator import payloads
from atiende.emulator.config import demo_customers

AGENT = "agente1"


@dataclass(frozen=True)
class Route:
    """Where each leg goes: base URLs (http or https) and the socket's URL (ws or wss)."""

    webhook: str
    api: str
    socket: str
    # Trusts the proxy's certificate, for https and wss.
    tls: ssl.SSLContext | None = None
    # The page a browser would open the socket from (None: no Origin, not a browser).
    origin: str | None = None


async def message_reaches_the_agent(route: Route, app_secret: str) -> int:
    """The whole path once; the attention's id."""
    verify: ssl.SSLContext | bool = route.tls or True
    async with httpx.AsyncClient(base_url=route.api, verify=verify) as agent:
        login = await agent.post("/api/auth/login", json={"username": AGENT, "password": AGENT})
        assert login.status_code == 200, login.text
        cookie = f"atiende_session={login.cookies['atiende_session']}"
        async with connect(
            route.socket,
            additional_headers={"Cookie": cookie},
            origin=Origin(route.origin) if route.origin else None,
            ssl=route.tls,
        ) as ws:
            hello = json.loads(await ws.recv())
            assert hello["type"] == "hello"
            customer = demo_customers()[0]
            business = payloads.BusinessNumber(
                demo.WABA_ID, demo.PHONE_NUMBER_ID, demo.DISPLAY_PHONE
            )
            body = json.dumps(
                payloads.inbound_text_webhook(
                    business, customer, payloads.new_wamid(customer.bsuid), "Hola", time.time()
                )
            ).encode()
            async with httpx.AsyncClient(base_url=route.webhook, verify=verify) as meta:
                answer = await meta.post(
                    "/webhooks/whatsapp", content=body, headers={HEADER: sign(body, app_secret)}
                )
            assert answer.status_code == 200, answer.text
            event = await next_of(ws, "attention.updated")
            assert event["attention"]["state"] == "assigned"
            assert event["attention"]["customer"]["display_name"] == customer.name
        attention_id: int = event["attention"]["id"]
        desk = await agent.get("/api/agent/attentions")
        assert desk.status_code == 200, desk.text
        assert [a["id"] for a in desk.json()["assigned"]] == [attention_id]
        one = await agent.get(f"/api/attentions/{attention_id}")
        assert one.status_code == 200, one.text
        assert one.json()["customer"]["display_name"] == customer.name
    return attention_id


async def next_of(ws: Any, kind: str, timeout: float = 10.0) -> dict[str, Any]:
    async with asyncio.timeout(timeout):
        while True:
            event: dict[str, Any] = json.loads(await ws.recv())
            if event["type"] == kind:
                return event
