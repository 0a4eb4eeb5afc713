"""Who may call what: every route the app serves, read from the app itself, against a table
of what each caller is answered. A route without an entry fails, naming it.

Callers: anonymous, the owner agent (holds the attention), another agent of the campaign, a
supervisor and an admin. An expected answer is a status, or "ok" for any 2xx. Routes are
grouped in scenes, one world each, run in table order with the owner last, so that a refusal
is asked of the same state the owner then acts on. The socket is tried on a real server.
"""

import asyncio
import io
import json
import struct
import zlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute, APIWebSocketRoute, iter_route_contexts
from sqlalchemy import select
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus
from websockets.typing import Origin

from atiende.actions import base_import, exports, templates
from atiende.actions.work import Work
from atiende.api.app import create_app
from atiende.config import Settings
from atiende.db.models import BaseRecord, Campaign, Channel, CustomerBase, Message
from atiende.domain.kinds import ExportFormat
from tests.integration.conftest import CUSTOMERS, World, complete_form
from tests.integration.test_security_server import Server, cookie_of, server  # noqa: F401

BASE_CSV = b"documento,nombre,telefono\n1,Ana,987654321\n"
CALLERS = ("anonymous", "other", "supervisor", "admin", "owner")
Expected = int | str


@dataclass(frozen=True)
class Row:
    scene: str
    # anonymous, owner, other agent, supervisor, admin (the order of the notation).
    answers: tuple[Expected, Expected, Expected, Expected, Expected]
    body: Any = None
    upload: bool = False
    query: dict[str, str] | None = None

    def expected(self, caller: str) -> Expected:
        order = ("anonymous", "owner", "other", "supervisor", "admin")
        return self.answers[order.index(caller)]


def _r(
    scene: str,
    answers: str,
    body: Any = None,
    upload: bool = False,
    query: dict[str, str] | None = None,
) -> Row:
    parts = tuple(int(a) if a.isdigit() else a for a in answers.split("/"))
    assert len(parts) == 5, answers
    return Row(scene, parts, body, upload, query)


# The days a report covers, in the supervisor's time zone.
REPORT_DAYS = {"date_from": "2026-11-01", "date_to": "2026-11-30", "tz": "America/Lima"}


# Placeholders: in paths the route's own parameter names; in bodies "{soporte}" (a campaign
# id) and "{template}" (a template of the attention's campaign).
EXPECTATIONS: dict[tuple[str, str], Row] = {
    # --- the attention agente1 holds: opened first, ended last.
    ("POST", "/api/attentions/{attention_id}/open"): _r("attention", "401/200/404/403/403"),
    ("GET", "/api/attentions/{attention_id}"): _r("attention", "401/200/404/200/200"),
    ("GET", "/api/attentions/{attention_id}/messages"): _r("attention", "401/200/404/200/200"),
    ("GET", "/api/attentions/{attention_id}/timeline"): _r("attention", "401/200/404/200/200"),
    ("GET", "/api/attentions/{attention_id}/transfers"): _r("attention", "401/200/404/200/200"),
    ("GET", "/api/attentions/{attention_id}/form"): _r("attention", "401/200/404/200/200"),
    ("GET", "/api/attentions/{attention_id}/templates"): _r("attention", "401/200/404/200/200"),
    ("POST", "/api/attentions/{attention_id}/seen"): _r("attention", "401/200/404/403/403"),
    ("POST", "/api/attentions/{attention_id}/typing"): _r("attention", "401/200/404/403/403"),
    ("POST", "/api/attentions/{attention_id}/messages"): _r(
        "attention", "401/201/404/403/403", {"text": "hola"}
    ),
    ("POST", "/api/attentions/{attention_id}/template"): _r(
        "attention", "401/201/404/403/403", {"template_id": "{template}", "params": ["María"]}
    ),
    ("POST", "/api/attentions/{attention_id}/media"): _r(
        "attention", "401/201/404/403/403", upload=True
    ),
    ("GET", "/api/messages/{message_id}/media"): _r("attention", "401/200/404/200/200"),
    ("PUT", "/api/attentions/{attention_id}/form/draft"): _r(
        "attention", "401/200/404/403/403", {"values": {"notas": "x"}}
    ),
    ("POST", "/api/attentions/{attention_id}/form/submit"): _r(
        "attention", "401/200/404/403/403", {"values": {"motivo": "Compra", "documento": "1"}}
    ),
    # An agent reads a customer's history and contact while he serves him (the owner here).
    ("GET", "/api/attentions/{attention_id}/forms"): _r("attention", "401/200/404/200/200"),
    ("GET", "/api/customers/{customer_id}/attentions"): _r("attention", "401/200/404/200/200"),
    ("GET", "/api/customers/{customer_id}/contact"): _r("attention", "401/200/404/200/200"),
    # The first caller allowed adds the contact (the supervisor); then it exists. The owner
    # adding one is test_contacts.py's.
    ("POST", "/api/customers/{customer_id}/contact"): _r(
        "attention", "401/409/404/201/409", {"name": "María Contacto"}
    ),
    ("PUT", "/api/customers/{customer_id}/contact"): _r(
        "attention", "401/200/404/200/200", {"name": "María Pérez"}
    ),
    ("GET", "/api/customers/{customer_id}/contact/changes"): _r("attention", "401/200/404/200/200"),
    # Coincidencia: the holder's; supervisors read it; "{record}" is a record of Ventas' base.
    ("GET", "/api/attentions/{attention_id}/matches"): _r("attention", "401/200/404/200/200"),
    ("GET", "/api/attentions/{attention_id}/base-records"): _r("attention", "401/200/404/200/200"),
    ("PUT", "/api/attentions/{attention_id}/match"): _r(
        "attention", "401/200/404/403/403", {"record_id": "{record}"}
    ),
    ("DELETE", "/api/attentions/{attention_id}/match"): _r("attention", "401/200/404/403/403"),
    ("POST", "/api/attentions/{attention_id}/end"): _r("attention", "401/200/404/403/403"),
    # --- each changes who holds the attention: a world of its own.
    ("POST", "/api/attentions/{attention_id}/transfer"): _r(
        "transfer", "401/200/404/403/403", {"campaign_id": "{soporte}"}
    ),
    ("POST", "/api/attentions/{attention_id}/move"): _r(
        "move", "401/403/403/200/200", {"campaign_id": "{soporte}", "reason": "turno"}
    ),
    # --- the desk, the supervision console and the administration.
    ("GET", "/api/auth/me"): _r("staff", "401/200/200/200/200"),
    # Prometheus's token is tested in test_metrics.py; of the sessions, only an admin's.
    ("GET", "/metrics"): _r("staff", "401/403/403/403/200"),
    ("GET", "/api/agent/attentions"): _r("staff", "401/200/200/200/200"),
    ("GET", "/api/agent/attended"): _r("staff", "401/200/200/200/200"),
    ("GET", "/api/transfer-targets"): _r("staff", "401/200/200/200/200"),
    ("GET", "/api/pause-reasons"): _r("staff", "401/200/200/200/200"),
    ("PUT", "/api/agent/status"): _r("staff", "401/200/200/200/200", {"status": "available"}),
    ("GET", "/api/campaigns"): _r("staff", "401/403/403/200/200"),
    ("PATCH", "/api/campaigns/{campaign_id}"): _r(
        "staff", "401/403/403/200/200", {"reassign_after_seconds": 10}
    ),
    ("PUT", "/api/campaigns/{campaign_id}/members"): _r("staff", "401/403/403/200/200", []),
    ("POST", "/api/campaigns"): _r("staff", "401/403/403/201/201", {"name": "{unique}"}),
    ("GET", "/api/entry-channels"): _r("staff", "401/403/403/200/200"),
    # Soporte is entered by no number: leaving it so is allowed, and changes nothing.
    ("PUT", "/api/campaigns/{campaign_id}/entry-channels"): _r(
        "staff", "401/403/403/200/200", {"channel_ids": []}
    ),
    ("GET", "/api/campaigns/{campaign_id}/form"): _r("staff", "401/403/403/200/200"),
    ("PUT", "/api/campaigns/{campaign_id}/form"): _r(
        "staff",
        "401/403/403/200/200",
        {"fields": [{"key": "a", "label": "A", "type": "text"}]},
    ),
    ("GET", "/api/campaigns/{campaign_id}/templates"): _r("staff", "401/403/403/200/200"),
    ("POST", "/api/campaigns/{campaign_id}/templates"): _r(
        "staff", "401/403/403/201/201", {"name": "{unique}", "language": "es", "body": "Hola"}
    ),
    # Each call is given a template of its own, so the supervisor's removal leaves the admin's.
    ("DELETE", "/api/campaigns/{campaign_id}/templates/{template_id}"): _r(
        "staff", "401/403/403/204/204"
    ),
    ("GET", "/api/supervisor/attentions"): _r("staff", "401/403/403/200/200"),
    ("GET", "/api/supervisor/dashboard"): _r("staff", "401/403/403/200/200"),
    # Customer bases: each call is given a base or an uploaded import of its own.
    ("GET", "/api/campaigns/{campaign_id}/bases"): _r("staff", "401/403/403/200/200"),
    ("DELETE", "/api/campaigns/{campaign_id}/bases/{base_id}"): _r("staff", "401/403/403/204/204"),
    ("POST", "/api/campaigns/{campaign_id}/base-imports"): _r(
        "staff", "401/403/403/201/201", upload=True
    ),
    ("POST", "/api/base-imports/{import_id}/start"): _r(
        "staff",
        "401/403/403/202/202",
        {"key_column": "documento", "phone_column": "telefono", "base_name": "{unique}"},
    ),
    ("GET", "/api/base-imports/{import_id}"): _r("staff", "401/403/403/200/200"),
    ("GET", "/api/base-imports/{import_id}/errors"): _r("staff", "401/403/403/200/200"),
    ("GET", "/api/users"): _r("staff", "401/403/403/200/200"),
    ("GET", "/api/reports/transfers"): _r("staff", "401/403/403/200/200"),
    ("GET", "/api/reports/attentions"): _r("staff", "401/403/403/200/200"),
    ("POST", "/api/reports/attentions/exports"): _r(
        "staff", "401/403/403/202/202", {"format": "csv", "filters": {"state": "closed"}}
    ),
    ("POST", "/api/reports/transfers/exports"): _r(
        "staff", "401/403/403/202/202", {"format": "xlsx", "filters": {"tz": "America/Lima"}}
    ),
    # A finished export of the supervisor's: the admin is not its owner.
    ("GET", "/api/exports/{export_id}"): _r("staff", "401/403/403/200/404"),
    ("GET", "/api/exports/{export_id}/file"): _r("staff", "401/403/403/200/404"),
    ("DELETE", "/api/exports/{export_id}"): _r("staff", "401/403/403/204/404"),
    ("GET", "/api/reports/summary"): _r("staff", "401/403/403/200/200", query=REPORT_DAYS),
    ("GET", "/api/reports/agent-states"): _r("staff", "401/403/403/200/200", query=REPORT_DAYS),
    ("GET", "/api/reports/agent-states/{agent_id}/timeline"): _r(
        "staff", "401/403/403/200/200", query=REPORT_DAYS
    ),
    ("POST", "/api/reports/summary/exports"): _r(
        "staff", "401/403/403/202/202", {"format": "csv", "filters": REPORT_DAYS}
    ),
    ("POST", "/api/reports/agent-states/exports"): _r(
        "staff", "401/403/403/202/202", {"format": "xlsx", "filters": REPORT_DAYS}
    ),
    ("GET", "/api/reports/message-prices"): _r("staff", "401/403/403/200/200"),
    ("PUT", "/api/reports/message-prices"): _r(
        "staff",
        "401/403/403/200/200",
        {"currency": "USD", "prices": [{"category": "marketing", "price": "0.05"}]},
    ),
    ("GET", "/api/contact-fields"): _r("staff", "401/403/403/200/200"),
    ("PUT", "/api/contact-fields"): _r(
        "staff", "401/403/403/200/200", {"fields": [{"key": "ruc", "label": "RUC", "type": "text"}]}
    ),
    ("GET", "/api/admin/channels"): _r("staff", "401/403/403/403/200"),
    # A refusal only: creating channels is test_access.py's own test.
    ("POST", "/api/admin/channels"): _r("staff", "401/403/403/403/422", {}),
    ("PATCH", "/api/admin/channels/{channel_id}"): _r(
        "staff", "401/403/403/403/200", {"name": "WhatsApp demo"}
    ),
    # Probar conexión, against the emulator: the demo channel answers well.
    ("POST", "/api/admin/channels/{channel_id}/test"): _r("staff", "401/403/403/403/200"),
    ("GET", "/api/admin/webhook-failures"): _r("staff", "401/403/403/200/200"),
    # Users are the admin's; the audit log of changes is the supervisors' to read too.
    ("GET", "/api/admin/users"): _r("staff", "401/403/403/403/200"),
    ("POST", "/api/admin/users"): _r(
        "staff",
        "401/403/403/403/201",
        {"username": "{unique}", "display_name": "Nuevo", "role": "agent", "password": "clave-123"},
    ),
    ("GET", "/api/audit-log"): _r("staff", "401/403/403/200/200"),
    # Pause reasons: the supervisors' list (the agent's menu is GET /api/pause-reasons).
    ("GET", "/api/supervisor/pause-reasons"): _r("staff", "401/403/403/200/200"),
    ("PUT", "/api/supervisor/pause-reasons"): _r("staff", "401/403/403/422/422", {"reasons": []}),
    ("GET", "/api/search/attentions"): _r("staff", "401/403/403/200/200"),
    # Open to all: the caller's session neither helps nor hinders.
    ("GET", "/healthz"): _r("staff", "200/200/200/200/200"),
    ("GET", "/{path}"): _r("staff", "page/page/page/page/page"),
    # Meta's webhook: the verify token and the signature are its credentials, not a session.
    ("GET", "/webhooks/whatsapp"): _r("staff", "403/403/403/403/403"),
    ("POST", "/webhooks/whatsapp"): _r("staff", "401/401/401/401/401", {}),
    # Ends each caller's session: the scene's last.
    ("POST", "/api/auth/logout"): _r("staff", "401/204/204/204/204"),
    # --- accounts: agente2 (the "other" agent) is deactivated last.
    ("PATCH", "/api/admin/users/{user_id}"): _r(
        "accounts", "401/403/403/403/200", {"display_name": "Diego M."}
    ),
    ("PUT", "/api/admin/users/{user_id}/memberships"): _r(
        "accounts", "401/403/403/403/200", [{"campaign_id": "{soporte}", "capacity": 3}]
    ),
    ("POST", "/api/admin/users/{user_id}/reactivate"): _r("accounts", "401/403/403/403/200"),
    ("POST", "/api/admin/users/{user_id}/deactivate"): _r("accounts", "401/403/403/403/200"),
    # After the deactivation, which ended the other agent's session already.
    ("POST", "/api/admin/users/{user_id}/password"): _r(
        "accounts", "401/403/401/403/204", {"password": "otra-clave-9"}
    ),
    # The socket, on a real server (the in-process client speaks HTTP only): an anonymous
    # handshake is refused with 403, any session gets its hello.
    ("WS", "/api/ws"): _r("socket", "403/ok/ok/ok/ok"),
    # Anyone may log in, and doing so replaces the caller's session: the scene's last.
    ("POST", "/api/auth/login"): _r(
        "accounts", "200/200/200/200/200", {"username": "agente1", "password": "agente1"}
    ),
}
SCENES = sorted({row.scene for row in EXPECTATIONS.values()} - {"socket"})


def routes(app: FastAPI) -> list[tuple[str, str]]:
    """Every (method, path template) the app answers, as its OpenAPI walks them; a socket's
    method is "WS". FastAPI's own documentation pages and the static assets are not ours."""
    found = []
    for route in iter_route_contexts(app.routes):
        if isinstance(route.original_route, APIRoute):
            found += [(m, route.path_format or "") for m in sorted(route.methods or ())]
        elif isinstance(route.original_route, APIWebSocketRoute):
            found.append(("WS", route.path_format or ""))
    # The bare ASGI layers that answer a route before FastAPI's routing (the webhook's).
    for middleware in app.user_middleware:
        found += list(getattr(middleware.cls, "routes", ()))
    return found


def test_every_route_has_an_expectation(settings: Settings) -> None:
    served = routes(create_app(settings, run_workers=False))
    missing = [f"add an expectation for {m} {p}" for m, p in served if (m, p) not in EXPECTATIONS]
    assert not missing, "\n".join(missing)
    gone = [f"{m} {p}" for m, p in EXPECTATIONS if (m, p) not in served]
    assert not gone, f"expectations for routes the app no longer serves: {gone}"


def png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


@dataclass
class Scene:
    world: World
    attention_id: int
    ventas: int
    soporte: int
    customer_id: int = 0
    calls: int = 0

    async def fresh_template(self) -> int:
        self.calls += 1
        async with self.world.rt.work() as w:
            made = await templates.do_add(w, self.soporte, f"t{self.calls}", "es", "Hola")
            return made.id

    async def fresh_base(self) -> int:
        self.calls += 1
        async with self.world.rt.work() as w:
            base = CustomerBase(
                campaign_id=self.soporte, name=f"b{self.calls}", key_column="k", phone_column="t"
            )
            w.session.add(base)
            await w.session.flush()
            return base.id

    async def fresh_import(self) -> int:
        job = await base_import.do_receive(
            self.world.rt.work,
            self.world.users["supervisor"].id,
            self.soporte,
            io.BytesIO(BASE_CSV),
            "clientes.csv",
            self.world.rt.settings.base_files_dir,
        )
        return job.id

    async def fresh_export(self) -> int:
        """A finished CSV export of one row, the supervisor's."""
        directory = self.world.rt.settings.export_files_dir
        async with self.world.rt.work() as w:
            job = await exports.do_start(
                w, self.world.users["supervisor"].id, "one", ExportFormat.CSV, "one", directory
            )
        await exports.run(self.world.rt.work, job.id, OneRow(), ExportFormat.CSV, "1", directory)
        return job.id

    async def record(self) -> int:
        """A record of a base of the attention's campaign (Ventas), made once."""
        async with self.world.rt.work() as w:
            found: int | None = await w.session.scalar(select(BaseRecord.id))
            if found is not None:
                return found
            base = CustomerBase(
                campaign_id=self.ventas, name="Clientes", key_column="k", phone_column="t"
            )
            w.session.add(base)
            await w.session.flush()
            record = BaseRecord(base_id=base.id, key="1", phone="+5215512345678", fields={})
            w.session.add(record)
            await w.session.flush()
            return record.id

    async def demo_channel(self) -> int:
        async with self.world.rt.work() as w:
            found = await w.session.scalar(
                select(Channel.id).where(Channel.phone_number_id == self.world.info.phone_number_id)
            )
        assert found is not None
        return found

    async def latest_media_message(self) -> int:
        async with self.world.rt.work() as w:
            found = await w.session.scalar(
                select(Message.id)
                .where(Message.attention_id == self.attention_id, Message.type == "image")
                .order_by(Message.id.desc())
            )
        assert found is not None, "the owner's upload comes before its download"
        return found

    async def url(self, path: str) -> str:
        fills: dict[str, Callable[[], Awaitable[Any]]] = {
            "{attention_id}": lambda: _const(self.attention_id),
            "{campaign_id}": lambda: _const(self.soporte),
            "{customer_id}": lambda: _const(self.customer_id),
            "{template_id}": self.fresh_template,
            "{message_id}": self.latest_media_message,
            "{user_id}": lambda: _const(self.world.users["agente2"].id),
            "{agent_id}": lambda: _const(self.world.users["agente2"].id),
            "{channel_id}": self.demo_channel,
            "{base_id}": self.fresh_base,
            "{import_id}": self.fresh_import,
            "{export_id}": self.fresh_export,
            "{path}": lambda: _const("inbox"),
        }
        for name, value in fills.items():
            if name in path:
                path = path.replace(name, str(await value()))
        return path

    async def body(self, value: Any) -> Any:
        if value == "{soporte}":
            return self.soporte
        if value == "{template}":
            async with self.world.rt.work() as w:
                found = await templates.for_campaign(w, self.ventas)
                return next(t.id for t in found if t.name == "seguimiento_consulta")
        if value == "{record}":
            return await self.record()
        if value == "{unique}":
            self.calls += 1
            return f"nuevo_{self.calls}"
        if isinstance(value, dict):
            return {k: await self.body(v) for k, v in value.items()}
        if isinstance(value, list):
            return [await self.body(v) for v in value]
        return value


class OneRow:
    async def header(self, w: Work) -> list[str]:  # noqa: ARG002
        return ["n"]

    async def count(self, w: Work) -> int:  # noqa: ARG002
        return 1

    async def batch(self, w: Work, after: Any, size: int) -> tuple[list[exports.Row], Any]:  # noqa: ARG002
        return [[1]], None


async def _const(value: Any) -> Any:
    return value


async def _campaign(world: World, name: str) -> int:
    async with world.rt.work() as w:
        found = await w.session.scalar(select(Campaign.id).where(Campaign.name == name))
        assert found is not None
        return found


async def _set_scene(world: World) -> tuple[Scene, dict[str, httpx.AsyncClient]]:
    await world.online("agente1")
    owner = await world.login("agente1")
    await world.customer_writes(CUSTOMERS["maria"], "Hola")
    assigned = (await owner.get("/api/agent/attentions")).json()["assigned"]
    assert len(assigned) == 1, assigned
    scene = Scene(world, assigned[0]["id"], await _campaign(world, "Ventas"), 0)
    scene.soporte = await _campaign(world, "Soporte")
    scene.customer_id = assigned[0]["customer"]["id"]
    clients = {
        "anonymous": world.client(),
        "other": await world.login("agente2"),
        "supervisor": await world.login("supervisor"),
        "admin": await world.login("admin"),
        "owner": owner,
    }
    return scene, clients


async def _prepare(scene_name: str, scene: Scene, owner: httpx.AsyncClient) -> None:
    """What the scene's routes need before them, the owner acting as the panel would."""
    if scene_name in ("transfer", "move"):
        opened = await owner.post(f"/api/attentions/{scene.attention_id}/open")
        assert opened.status_code == 200, opened.text
        await complete_form(owner, scene.attention_id)


def _matches(expected: Expected, status: int) -> bool:
    if expected == "ok":
        return 200 <= status < 300
    if expected == "page":
        return status in (200, 503)  # 503 when the web client was not built in this checkout
    return status == expected


@pytest.mark.parametrize("scene_name", SCENES)
async def test_each_caller_gets_the_expected_answer(world: World, scene_name: str) -> None:
    scene, clients = await _set_scene(world)
    await _prepare(scene_name, scene, clients["owner"])
    failures = []
    for (method, path), row in EXPECTATIONS.items():
        if row.scene != scene_name:
            continue
        for caller in CALLERS:
            url = await scene.url(path)
            if row.upload and "base-imports" in path:
                files = {"file": ("clientes.csv", BASE_CSV, "text/csv")}
                response = await clients[caller].post(url, files=files)
            elif row.upload:
                files = {"file": ("foto.png", png(), "image/png")}
                response = await clients[caller].post(url, files=files)
            else:
                body = await scene.body(row.body)
                response = await clients[caller].request(method, url, json=body, params=row.query)
            expected = row.expected(caller)
            if not _matches(expected, response.status_code):
                failures.append(
                    f"{caller}: {method} {path} -> {response.status_code} (expected {expected})"
                    f" {response.text[:200]}"
                )
    assert not failures, "\n".join(failures)


async def test_the_socket_by_caller(server: Server) -> None:  # noqa: F811
    row = EXPECTATIONS[("WS", "/api/ws")]
    users = {"owner": "agente1", "other": "agente2", "supervisor": "supervisor", "admin": "admin"}
    failures = []
    for caller in CALLERS:
        cookie = cookie_of(server.login(users[caller])) if caller in users else ""
        expected = row.expected(caller)
        try:
            async with connect(
                f"ws://127.0.0.1:{server.port}/api/ws",
                origin=Origin(server.base),
                additional_headers={"Cookie": cookie},
            ) as ws:
                hello = json.loads(await asyncio.wait_for(ws.recv(), 5))
                answer = 200 if hello["type"] == "hello" else 0
        except InvalidStatus as refused:
            answer = refused.response.status_code
        if not _matches(expected, answer):
            failures.append(f"{caller}: WS /api/ws -> {answer} (expected {expected})")
    assert not failures, "\n".join(failures)
