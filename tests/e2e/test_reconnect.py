"""The panel's live link in the browser: it says at once when it is offline or reconnecting,
finds a half-open socket by its missing pong, comes back by itself after a server restart, and
across each of these shows every message once, in order, without a reload. The agent's status
reaches every one of his tabs."""

import asyncio
import contextlib
import shutil
import subprocess
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from pydantic import SecretStr

from atiende import demo
from atiende.config import Settings
from atiende.runtime import create_runtime
from tests.e2e.conftest import Demo
from tests.e2e.lifecycle_helpers import (
    agent_page,
    assigned,
    customer_says,
    login,
    phone_page,
)
from tests.keys import SECRET_KEY
from tests.procs import ATIENDE, ROOT, _environment, free_port, serving, stop, wait_http

# The socket pings every 8 s and gives up 4 s later (web/src/lib/ws.ts): a held socket is
# found within 12 s; the margin is for a machine busy with other work.
HALF_OPEN_FOUND_MS = 20_000

WATCH_BANNER = """() => {
  window.__banner = [];
  const note = () => {
    const b = document.querySelector('[data-testid="reconnecting"]');
    const state = b ? b.dataset.state : null;
    if (window.__banner.at(-1) !== state) window.__banner.push(state);
  };
  const all = { subtree: true, childList: true, attributes: true };
  new MutationObserver(note).observe(document.body, all);
  note();
}"""


def watch_banner(page: Page) -> None:
    """Record every state the offline/reconnecting banner takes, however briefly shown."""
    page.evaluate(WATCH_BANNER)


def banner_states(page: Page) -> list[str | None]:
    return page.evaluate("() => window.__banner")  # type: ignore[no-any-return]


def incoming_texts(agent: Page) -> list[str]:
    texts = agent.get_by_test_id("chat-messages").locator('[data-direction="in"] .text')
    return texts.all_inner_texts()


def open_first(agent: Page) -> None:
    expect(assigned(agent)).to_have_count(1, timeout=10_000)
    assigned(agent).first.click()
    expect(agent.get_by_test_id("composer-input")).to_be_visible()


def expect_texts_once_in_order(agent: Page, texts: list[str]) -> None:
    shown = agent.get_by_test_id("chat-messages").locator('[data-direction="in"] .text')
    expect(shown).to_have_text(texts, timeout=20_000)


def test_offline_is_said_at_once_and_nothing_is_lost(
    browser: Browser, demo_servers: Demo, shots: Path
) -> None:
    agent = agent_page(browser, demo_servers, "agente1")
    phone = phone_page(browser, demo_servers, "maria")
    customer_says(phone, "uno")
    open_first(agent)
    watch_banner(agent)

    agent.context.set_offline(True)
    banner = agent.get_by_test_id("reconnecting")
    # At once: the browser's own offline event, not a socket timing out 15-45 s later.
    expect(banner).to_have_attribute("data-state", "offline", timeout=2_000)
    agent.screenshot(path=str(shots / "offline.png"))
    customer_says(phone, "dos")
    customer_says(phone, "tres")
    # Both reached the server while the panel was offline: it must fetch them on its return.
    for text in ("dos", "tres"):
        sent = phone.get_by_test_id("phone-message").filter(has_text=text)
        expect(sent).to_have_attribute("data-status", "delivered")

    agent.context.set_offline(False)
    expect(banner).to_have_count(0, timeout=10_000)
    expect_texts_once_in_order(agent, ["uno", "dos", "tres"])
    customer_says(phone, "cuatro")
    expect_texts_once_in_order(agent, ["uno", "dos", "tres", "cuatro"])
    assert "offline" in banner_states(agent)


class HoldingProxy:
    """A TCP proxy in front of the app. `hold()` silences the WebSocket connections open now,
    both ways, and keeps them open: a half-open socket, as a dead NAT or a lost link leaves it,
    while HTTP and new connections still pass."""

    def __init__(self, upstream_port: int) -> None:
        self.upstream_port = upstream_port
        self.port = free_port()
        self.sockets: list[dict[str, bool]] = []
        self.writers: list[asyncio.StreamWriter] = []
        self.loop = asyncio.new_event_loop()
        self.ready = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> "HoldingProxy":
        self.thread.start()
        self.ready.wait(10)
        return self

    def __exit__(self, *_: object) -> None:
        asyncio.run_coroutine_threadsafe(self._shutdown(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        self.loop.close()

    async def _shutdown(self) -> None:
        self.server.close()
        for writer in self.writers:
            writer.close()
        tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        for writer in self.writers:
            with contextlib.suppress(OSError):
                await writer.wait_closed()

    def hold(self) -> int:
        for conn in self.sockets:
            conn["held"] = True
        return len(self.sockets)

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.server = self.loop.run_until_complete(
            asyncio.start_server(self._handle, "127.0.0.1", self.port)
        )
        self.ready.set()
        self.loop.run_forever()

    async def _handle(self, client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
        self.writers.append(client_w)
        try:
            app_r, app_w = await asyncio.open_connection("127.0.0.1", self.upstream_port)
        except OSError:
            client_w.close()
            return
        self.writers.append(app_w)
        first = await client_r.read(65536)
        conn = {"held": False}
        if first.startswith(b"GET /api/ws"):
            self.sockets.append(conn)
        app_w.write(first)
        await asyncio.gather(
            self._pump(client_r, app_w, conn),
            self._pump(app_r, client_w, conn),
            return_exceptions=True,
        )

    @staticmethod
    async def _pump(
        src: asyncio.StreamReader, dst: asyncio.StreamWriter, conn: dict[str, bool]
    ) -> None:
        while data := await src.read(65536):
            if conn["held"]:
                await asyncio.Event().wait()  # swallowed, and never a byte again
            dst.write(data)
            await dst.drain()
        dst.close()


def test_a_half_open_socket_is_found_by_its_missing_pong(
    browser: Browser, demo_servers: Demo, shots: Path
) -> None:
    port = int(demo_servers.app.rsplit(":", 1)[1])
    with HoldingProxy(port) as proxy:
        agent = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
        login(agent, f"http://127.0.0.1:{proxy.port}", "agente1")
        expect(agent.get_by_test_id("reconnecting")).to_have_count(0)
        phone = phone_page(browser, demo_servers, "maria")
        customer_says(phone, "uno")
        open_first(agent)
        watch_banner(agent)

        assert proxy.hold() >= 1
        customer_says(phone, "dos")
        customer_says(phone, "tres")
        # The held socket stays open (no close ever reaches the browser): only the missing
        # pong tells, and then the panel says so and opens a new socket.
        agent.wait_for_function(
            "() => window.__banner.includes('reconnecting')", timeout=HALF_OPEN_FOUND_MS
        )
        expect(agent.get_by_test_id("reconnecting")).to_have_count(0, timeout=10_000)
        expect_texts_once_in_order(agent, ["uno", "dos", "tres"])
        customer_says(phone, "cuatro")
        expect_texts_once_in_order(agent, ["uno", "dos", "tres", "cuatro"])
        agent.screenshot(path=str(shots / "after-half-open.png"))


async def _seed_for(database_url: str, phone: str, app_secret: str) -> str:
    """What `atiende demo --seed-only` does on a copy of the seeded demo (the channel's Graph
    URL and app secret), in this process rather than a new one: the channel's access token."""
    rt = create_runtime(Settings(database_url=database_url, secret_key=SecretStr(SECRET_KEY)))
    try:
        async with rt.work() as w:
            info = await demo.seed(w, graph_base_url=phone, app_secret=app_secret)
            return info.access_token
    finally:
        await rt.close()


class App:
    """`atiende serve`, stopped and started again on the same port and database."""

    def __init__(self, port: int, env: dict[str, str], log: Path) -> None:
        self.port, self.env, self.log = port, env, log
        self.url = f"http://127.0.0.1:{port}"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(
                [*ATIENDE, "serve", "--port", str(self.port)],
                env=_environment(self.env),
                cwd=ROOT,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        wait_http(f"{self.url}/healthz", self.proc, self.log)

    def stop(self) -> None:
        if self.proc is not None:
            stop(self.proc)
            self.proc = None


@pytest.fixture
def split(tmp_path: Path, demo_template: Path) -> Iterator[tuple[App, str]]:
    app_port, phone_port = free_port(), free_port()
    secret = uuid.uuid4().hex
    shutil.copy(demo_template, tmp_path / "demo.db")
    database_url = f"sqlite+aiosqlite:///{tmp_path / 'demo.db'}"
    env = {"ATIENDE_DATABASE_URL": database_url, "ATIENDE_MEDIA_DIR": str(tmp_path / "media")}
    app = App(app_port, env | {"PYTHONUNBUFFERED": "1"}, tmp_path / "app.log")
    phone = f"http://127.0.0.1:{phone_port}"
    # Playwright's sync API holds this thread's event loop: seed on another thread.
    with ThreadPoolExecutor(1) as pool:
        token = pool.submit(lambda: asyncio.run(_seed_for(database_url, phone, secret))).result()
    emulator = [
        "emulator",
        "--port",
        str(phone_port),
        "--app-url",
        f"{app.url}/webhooks/whatsapp",
        "--app-secret",
        secret,
        "--access-token",
        token,
        # Meta's schedule a quarter as long, retries 0.25 s, 0.5 s, 1 s… apart, but never
        # more than 0.5 s: the restarted app gets them as soon as it answers, not a doubled
        # pause later (after a 20 s restart on a busy machine, the next retry came at 31.75 s).
        "--retry-time-scale",
        "0.25",
        "--retry-max-seconds",
        "2",
    ]
    health = [f"{phone}/emulator/api/health"]
    with serving(emulator, env | {"PYTHONUNBUFFERED": "1"}, health, tmp_path / "phone.log"):
        app.start()
        try:
            yield app, phone
        finally:
            app.stop()


def test_a_server_restart_while_the_customer_writes(
    browser: Browser, split: tuple[App, str], shots: Path
) -> None:
    app, phone_url = split
    agent = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
    login(agent, app.url, "agente1")
    phone = browser.new_context(viewport={"width": 1100, "height": 760}).new_page()
    phone.goto(f"{phone_url}/")
    phone.get_by_test_id("customer-maria").click()
    customer_says(phone, "uno")
    open_first(agent)
    watch_banner(agent)

    app.stop()
    banner = agent.get_by_test_id("reconnecting")
    expect(banner).to_have_attribute("data-state", "reconnecting", timeout=5_000)
    agent.screenshot(path=str(shots / "server-down.png"))
    # The emulator keeps these and retries them, in order, as Meta does.
    for text in ("dos", "tres", "cuatro"):
        customer_says(phone, text)
    app.start()
    back = time.monotonic()
    expect(banner).to_have_count(0, timeout=10_000)
    print(f"panel live again {time.monotonic() - back:.2f} s after the server answered")
    expect_texts_once_in_order(agent, ["uno", "dos", "tres", "cuatro"])
    customer_says(phone, "cinco")
    expect_texts_once_in_order(agent, ["uno", "dos", "tres", "cuatro", "cinco"])
    agent.screenshot(path=str(shots / "server-back.png"))


def test_the_status_reaches_every_tab_of_the_agent(
    browser: Browser, demo_servers: Demo, shots: Path
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    first = context.new_page()
    login(first, demo_servers.app, "agente1")
    second = context.new_page()
    second.goto(f"{demo_servers.app}/")
    expect(second.get_by_test_id("agent-name")).to_be_visible()
    for tab in (first, second):
        expect(tab.get_by_test_id("agent-status")).to_have_value("available")

    first.get_by_test_id("agent-status").select_option("paused")
    first.get_by_test_id("pause-reason").select_option("Almuerzo")
    first.get_by_test_id("pause-confirm").click()
    for tab in (first, second):
        expect(tab.get_by_test_id("agent-status")).to_have_value("paused")
        expect(tab.get_by_test_id("pause-reason-shown")).to_contain_text("Almuerzo")
    second.screenshot(path=str(shots / "second-tab-paused.png"))

    second.get_by_test_id("agent-status").select_option("available")
    for tab in (first, second):
        expect(tab.get_by_test_id("agent-status")).to_have_value("available")
        expect(tab.get_by_test_id("pause-reason-shown")).to_have_count(0)
