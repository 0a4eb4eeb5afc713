"""Browser tests: Debian's Chromium driven by Playwright, against real servers."""

import os
import shutil
import uuid
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, expect

from tests.procs import free_port, run, serving
from tests.services import CHROMIUM, require_chromium

# What a page must come to show, it may take longer than Playwright's 5 s to show on a shared
# machine late in the suite (a login seen "Entrando…" for over 5 s there); 15 s is still a
# wait for a behaviour, not a measure of speed (that is bench/'s).
expect.set_options(timeout=15_000)

ARTIFACTS = Path(__file__).parent / "artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    require_chromium()
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item) -> Generator[None, None, None]:
    """Every page a test opened is closed when it ends, before any fixture stops its servers.
    Left open, a page keeps rendering and its socket keeps reconnecting to a server long gone,
    for the rest of the run in the one shared browser: 69 renderer processes were alive by
    the 14th test, and each later test ran slower (users_admin 75 s late in a run, 12 s alone)."""
    browser = getattr(item, "funcargs", {}).get("browser")
    if isinstance(browser, Browser):
        for context in browser.contexts:
            context.close()
    return (yield)


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, "viewport": {"width": 1280, "height": 800}, "locale": "es-ES"}


@dataclass(frozen=True)
class Demo:
    app: str
    phone: str
    app_secret: str
    # Every HTTP client handed out, closed with the servers (not left to the collector).
    clients: list[httpx.Client] = field(default_factory=list)

    def http(self, base_url: str) -> httpx.Client:
        client = httpx.Client(base_url=base_url, timeout=20)
        self.clients.append(client)
        return client

    def phone_api(self) -> httpx.Client:
        """The emulator's control API, as the phone page uses it."""
        return self.http(f"{self.phone}/emulator/api")


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo database migrated and seeded once; each test starts from a copy, so a server
    is up in the time it takes to start, not to migrate and hash the demo's passwords."""
    folder = tmp_path_factory.mktemp("demo-template")
    database = folder / "demo.db"
    env = {
        "ATIENDE_DATABASE_URL": f"sqlite+aiosqlite:///{database}",
        "ATIENDE_MEDIA_DIR": str(folder / "media"),
    }
    run(["demo", "--seed-only"], env)
    return database


@pytest.fixture
def demo_servers(tmp_path: Path, demo_template: Path) -> Iterator[Demo]:
    """`atiende demo` as `make run` starts it, on free ports and a database of its own."""
    app_port, phone_port = free_port(), free_port()
    secret = uuid.uuid4().hex
    shutil.copy(demo_template, tmp_path / "demo.db")
    env = {
        "ATIENDE_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'demo.db'}",
        "ATIENDE_MEDIA_DIR": str(tmp_path / "media"),
        "ATIENDE_REDIS_URL": "",
    }
    env = {k: v for k, v in env.items() if v} | {"PYTHONUNBUFFERED": "1"}
    os.environ.pop("ATIENDE_REDIS_URL", None)
    args = [
        "demo",
        "--port",
        str(app_port),
        "--emulator-port",
        str(phone_port),
        "--app-secret",
        secret,
    ]
    app, phone = f"http://127.0.0.1:{app_port}", f"http://127.0.0.1:{phone_port}"
    health = [f"{app}/healthz", f"{phone}/emulator/api/health"]
    with serving(args, env, health, tmp_path / "demo.log"):
        demo = Demo(app=app, phone=phone, app_secret=secret)
        try:
            yield demo
        finally:
            for client in demo.clients:
                client.close()


@pytest.fixture
def shots(request: pytest.FixtureRequest) -> Path:
    folder = ARTIFACTS / str(request.node.name)
    folder.mkdir(parents=True, exist_ok=True)
    return folder
