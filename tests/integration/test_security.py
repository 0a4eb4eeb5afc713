"""Each finding of the security probe, replayed in process: it fails if one comes back.

The ones that need a real server (bodies refused unread, sockets) are in
`test_security_server.py`; the script that must not run in a browser, in
`tests/e2e/test_security.py`.
"""

import asyncio
import io
import threading
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select, update

from atiende.actions import auth, login_throttle
from atiende.api.deps import CSRF_HEADER
from atiende.api.security_headers import CSP
from atiende.db.models import LoginThrottle, Message, User
from atiende.db.types import utcnow
from atiende.domain.served_media import MEDIA_CSP
from tests.integration.conftest import APP_BASE, CUSTOMERS, World
from tests.integration.test_media import png
from tests.integration.test_transfers import open_for

SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg"><script>'
    b"fetch('/api/auth/me').then(r => r.json()).then(me => localStorage.pwned = me.csrf_token)"
    b"</script></svg>"
)
HTML = b"<!doctype html><html><body><script>localStorage.pwned = '1'</script></body></html>"


async def customer_sends_file(
    world: World, data: bytes, filename: str, mime: str
) -> dict[str, Any]:
    sent = await world.phone().post(
        "/emulator/api/customers/maria/media",
        files={"file": (filename, io.BytesIO(data), mime)},
        data={"type": mime},
    )
    assert sent.status_code == 200, sent.text
    await world.app.state.workers.fetch_media_once()
    async with world.rt.work() as w:
        message = await w.session.scalar(
            select(Message).where(Message.direction == "in").order_by(Message.id.desc())
        )
        assert message is not None
        return {"id": message.id, "type": message.type, "content": message.content}


@pytest.mark.parametrize(
    ("data", "filename", "mime"),
    [
        (SVG, "factura.svg", "image/svg+xml"),
        (SVG, "factura.svg", "application/pdf"),
        (HTML, "factura.html", "text/html"),
        (HTML, "foto.png", "image/png"),
    ],
)
async def test_a_customer_file_that_could_carry_script_is_a_sandboxed_download(
    world: World, data: bytes, filename: str, mime: str
) -> None:
    await world.online("agente1")
    agent, _ = await open_for(world, "agente1")
    message = await customer_sends_file(world, data, filename, mime)
    got = await agent.get(f"/api/messages/{message['id']}/media")
    assert got.status_code == 200
    assert got.content == data
    # What the bytes are (text), never what the payload claimed.
    assert got.headers["content-type"].startswith("text/plain")
    assert got.headers["content-disposition"].startswith("attachment;")
    assert got.headers["content-security-policy"] == MEDIA_CSP
    assert got.headers["x-content-type-options"] == "nosniff"
    # The name says what it is: a .txt, whatever it was called.
    assert got.headers["content-disposition"].endswith('.txt"')


async def test_only_images_audio_and_video_confirmed_by_content_are_inline(world: World) -> None:
    await world.online("agente1")
    agent, _ = await open_for(world, "agente1")
    image = await customer_sends_file(world, png(4, 4), "foto", "image/png")
    got = await agent.get(f"/api/messages/{image['id']}/media")
    assert got.headers["content-type"] == "image/png"
    assert got.headers["content-disposition"].startswith("inline;")
    assert got.headers["content-security-policy"] == MEDIA_CSP
    # WhatsApp sends images without a name: ours, with the extension of what it is.
    assert got.headers["content-disposition"].endswith('.png"')

    # A PNG announced as a PDF document is still a PNG: shown, and named for what it is.
    relabelled = await customer_sends_file(world, png(4, 4), "contrato.pdf", "application/pdf")
    got = await agent.get(f"/api/messages/{relabelled['id']}/media")
    assert got.headers["content-type"] == "image/png"
    assert 'filename="contrato.png"' in got.headers["content-disposition"]

    unknown = await customer_sends_file(world, b"\x00\x01binary\xff" * 50, "x.exe", "image/jpeg")
    got = await agent.get(f"/api/messages/{unknown['id']}/media")
    assert got.headers["content-type"] == "application/octet-stream"
    assert got.headers["content-disposition"].startswith("attachment;")
    assert got.headers["content-disposition"].endswith('.bin"')


async def test_a_file_name_cannot_hide_its_real_extension(world: World) -> None:
    await world.online("agente1")
    agent, _ = await open_for(world, "agente1")
    tricky = "factura\u202efdp.exe"  # shows as "factura" + "exe.pdf" reversed
    message = await customer_sends_file(world, b"%PDF-1.4\n%%EOF\n", tricky, "application/pdf")
    got = await agent.get(f"/api/messages/{message['id']}/media")
    disposition = got.headers["content-disposition"]
    assert "\u202e" not in disposition and "%E2%80%AE" not in disposition.upper()
    assert disposition.endswith('facturafdp.pdf"')


async def test_the_agent_cannot_send_html_as_a_pdf(world: World) -> None:
    await world.online("agente1")
    agent, attention_id = await open_for(world, "agente1")
    for name in ("factura.pdf", "informe\u202efdp.html"):
        sent = await agent.post(
            f"/api/attentions/{attention_id}/media",
            files={"file": (name, io.BytesIO(HTML), "application/pdf")},
        )
        assert sent.status_code == 201, sent.text
        content = sent.json()["content"]
        assert content["mime_type"] == "text/plain"
        assert content["filename"].endswith(".txt") and "\u202e" not in content["filename"]


async def test_headers_on_the_page_the_api_and_the_errors(world: World) -> None:
    agent = await world.login("agente1")
    for response in (
        await agent.get("/"),
        await agent.get("/api/auth/me"),
        await world.client().get("/api/agent/attentions"),  # a 401
        # Answered before the app's layers (`routes/webhooks.Deliveries`): refused, then taken.
        await world.client().post("/webhooks/whatsapp", content=b"{}"),
        await world.deliver(world.webhook_body(CUSTOMERS["maria"], "Hola")),
    ):
        headers = response.headers
        assert headers["content-security-policy"] == CSP
        assert "script-src 'self'" in CSP and "unsafe-inline" not in CSP.split("style-src")[0]
        assert "frame-ancestors 'none'" in CSP and "object-src 'none'" in CSP
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "no-referrer"
        assert headers["x-frame-options"] == "DENY"
        # Plain http on a loopback name: no HSTS, no Secure cookie.
        assert "strict-transport-security" not in headers


async def test_cookies_are_secure_and_hsts_is_sent_off_localhost(world: World) -> None:
    client = httpx.AsyncClient(
        transport=httpx.ASGITransport(app=world.app), base_url="https://panel.example.com"
    )
    world.clients.append(client)
    logged = await client.post(
        "/api/auth/login", json={"username": "agente1", "password": "agente1"}
    )
    assert logged.status_code == 200
    cookie = logged.headers["set-cookie"].lower()
    assert "secure" in cookie and "httponly" in cookie and "samesite=lax" in cookie
    assert logged.headers["strict-transport-security"].startswith("max-age=")
    local = await world.client().post(
        "/api/auth/login", json={"username": "agente2", "password": "agente2"}
    )
    assert "secure" not in local.headers["set-cookie"].lower()


def client_from(world: World, address: str) -> httpx.AsyncClient:
    client = httpx.AsyncClient(
        transport=httpx.ASGITransport(app=world.app, client=(address, 50000)), base_url=APP_BASE
    )
    world.clients.append(client)
    return client


async def login(client: httpx.AsyncClient, username: str, password: str) -> httpx.Response:
    return await client.post("/api/auth/login", json={"username": username, "password": password})


async def unblock(world: World) -> None:
    """What waiting out every delay would do."""
    async with world.rt.work() as w:
        await w.session.execute(update(LoginThrottle).values(blocked_until=None))


async def test_guessing_a_password_is_throttled_with_growing_delays(world: World) -> None:
    attacker = client_from(world, "203.0.113.7")
    free = login_throttle.ACCOUNT_FROM_ADDRESS.free
    for _ in range(free):
        assert (await login(attacker, "agente1", "wrong")).status_code == 401
    waits = []
    for _ in range(4):
        refused = await login(attacker, "agente1", "wrong")
        assert refused.status_code == 429
        assert refused.json()["code"] == "too_many_attempts"
        waits.append(int(refused.headers["retry-after"]))
        await unblock(world)  # the attacker waited: his next guess counts, and grows the delay
        assert (await login(attacker, "agente1", "wrong")).status_code == 401
    assert waits == sorted(waits) and waits[-1] > waits[0] >= 1
    # The right password, from the guessing address, still has to wait.
    blocked = await login(attacker, "agente1", "agente1")
    assert blocked.status_code == 429 and int(blocked.headers["retry-after"]) >= 1


async def test_an_attacker_cannot_keep_the_real_agent_out_for_long(world: World) -> None:
    attacker = client_from(world, "203.0.113.7")
    for _ in range(60):
        answer = await login(attacker, "agente1", "wrong")
        assert answer.status_code in (401, 429)
        if answer.status_code == 429:
            await unblock(world)
    agent = client_from(world, "198.51.100.20")
    first = await login(agent, "agente1", "agente1")
    if first.status_code == 429:
        # Only the account's own short ceiling applies to him, not the attacker's hours.
        assert int(first.headers["retry-after"]) <= login_throttle.ACCOUNT.ceiling.total_seconds()
        async with world.rt.work() as w:
            await w.session.execute(
                update(LoginThrottle)
                .where(LoginThrottle.key.startswith("account:"))
                .values(blocked_until=utcnow() - timedelta(seconds=1))
            )
        first = await login(agent, "agente1", "agente1")
    assert first.status_code == 200, first.text
    # The attacker's own slope is still there: one more guess, and he waits again.
    await login(attacker, "agente1", "wrong")
    still = await login(attacker, "agente1", "agente1")
    assert still.status_code == 429


async def test_failures_are_forgotten_after_the_window(world: World) -> None:
    client = client_from(world, "192.0.2.9")
    for _ in range(login_throttle.ACCOUNT_FROM_ADDRESS.free):
        await login(client, "agente2", "wrong")
    async with world.rt.work() as w:
        await w.session.execute(
            update(LoginThrottle).values(
                last_failure_at=utcnow() - login_throttle.WINDOW - timedelta(seconds=1),
                blocked_until=None,
            )
        )
    assert (await login(client, "agente2", "wrong")).status_code == 401
    assert (await login(client, "agente2", "agente2")).status_code == 200


def test_delays_grow_to_a_ceiling() -> None:
    rule = login_throttle.ACCOUNT
    assert login_throttle.delay(rule, rule.free - 1) == timedelta(0)
    assert login_throttle.delay(rule, rule.free) == timedelta(seconds=1)
    assert login_throttle.delay(rule, rule.free + 3) == timedelta(seconds=8)
    assert login_throttle.delay(rule, 10_000) == rule.ceiling


async def test_passwords_are_hashed_off_the_event_loop(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    threads: list[threading.Thread] = []
    real = auth._password_ok

    def recording(stored: str, password: str) -> bool:
        threads.append(threading.current_thread())
        return real(stored, password)

    monkeypatch.setattr(auth, "_password_ok", recording)
    loop_thread = threading.current_thread()
    assert (
        await world.client().post(
            "/api/auth/login", json={"username": "agente1", "password": "agente1"}
        )
    ).status_code == 200
    assert (
        await world.client().post("/api/auth/login", json={"username": "nadie", "password": "x"})
    ).status_code == 401
    assert len(threads) == 2 and loop_thread not in threads


async def test_a_deactivated_user_cannot_log_in_and_loses_his_sessions(world: World) -> None:
    admin = await world.login("admin")
    agent = await world.login("agente1")
    agent_id = world.users["agente1"].id
    assert (await agent.get("/api/auth/me")).status_code == 200
    refused = await (await world.login("supervisor")).post(
        f"/api/admin/users/{agent_id}/deactivate"
    )
    assert refused.status_code == 403
    done = await admin.post(f"/api/admin/users/{agent_id}/deactivate")
    assert done.status_code == 200 and done.json()["active"] is False
    assert (await agent.get("/api/auth/me")).status_code == 401
    again = await world.client().post(
        "/api/auth/login", json={"username": "agente1", "password": "agente1"}
    )
    assert again.status_code == 401
    async with world.rt.work() as w:
        user = await w.session.get(User, agent_id)
        assert user is not None and user.status == "offline"
    itself = await admin.post(f"/api/admin/users/{world.users['admin'].id}/deactivate")
    assert itself.status_code == 422
    assert (await admin.post(f"/api/admin/users/{agent_id}/reactivate")).json()["active"]
    await world.login("agente1")


async def test_the_upload_route_checks_who_sends_before_reading_the_file(world: World) -> None:
    await world.online("agente1")
    agent, attention_id = await open_for(world, "agente1")
    url = f"/api/attentions/{attention_id}/media"
    files = {"file": ("foto.png", io.BytesIO(png()), "image/png")}
    assert (await world.client().post(url, files=files)).status_code == 401
    other = await world.login("agente2")
    assert (await other.post(url, files=files)).status_code == 404
    no_csrf = world.client()
    no_csrf.cookies = agent.cookies
    assert (await no_csrf.post(url, files=files)).status_code == 403
    missing = await agent.post(url, data={"caption": "sin archivo"})
    assert missing.status_code == 422 and missing.json()["code"] == "file_missing"
    long_caption = await agent.post(url, files=files, data={"caption": "x" * 1025})
    assert long_caption.status_code == 422


async def test_a_body_over_the_limit_is_413_with_a_clear_message(world: World) -> None:
    agent = await world.login("agente1")
    big = b"{" + b" " * (1024 * 1024) + b"}"
    refused = await agent.post(
        "/api/agent/status", content=big, headers={"Content-Type": "application/json"}
    )
    assert refused.status_code == 413
    assert refused.json()["code"] == "body_too_large" and "1 MB" in refused.json()["detail"]
    assert refused.headers["content-security-policy"] == CSP
    english = await world.client().post(
        "/webhooks/whatsapp", content=big, headers={"Accept-Language": "en"}
    )
    assert english.status_code == 413 and "1 MB" in english.json()["detail"]
    assert english.headers["content-security-policy"] == CSP
    assert CSRF_HEADER  # the refusal came before authentication, as it must


async def test_the_sessions_sweep_closes_what_no_event_closed(world: World) -> None:
    """A socket whose session row vanished (deleted by hand, or deactivated by a CLI with
    no shared bus) is closed by the sweep."""
    closed = asyncio.Event()

    class Socket:
        async def send_text(self, text: str) -> None: ...

        async def close(self, code: int) -> None:
            assert code == 4401
            closed.set()

    user_id = world.users["agente1"].id
    world.rt.hub.add(user_id, Socket(), "not-a-live-session")  # type: ignore[arg-type]
    await world.app.state.workers.sessions_once()
    assert closed.is_set() and user_id not in world.rt.hub.connected_users()
