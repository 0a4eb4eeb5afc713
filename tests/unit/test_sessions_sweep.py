"""How often each process checks its sockets' sessions: every second only when nothing else
would close them (no shared bus), rarely when the bus carries logouts and deactivations."""

from types import SimpleNamespace
from typing import cast

from pydantic import SecretStr

from atiende.config import Settings
from atiende.runtime import Runtime
from atiende.workers import SESSIONS_SECONDS, SESSIONS_SECONDS_SHARED_BUS, Workers
from tests.keys import SECRET_KEY


def workers_for(redis_url: str | None) -> Workers:
    settings = Settings(
        database_url="sqlite+aiosqlite://", redis_url=redis_url, secret_key=SecretStr(SECRET_KEY)
    )
    return Workers(cast(Runtime, SimpleNamespace(settings=settings)))


def test_without_a_shared_bus_the_sweep_is_what_closes_sockets_so_it_runs_every_second() -> None:
    assert workers_for(None).sessions_interval == SESSIONS_SECONDS == 1.0


def test_with_redis_the_bus_closes_them_and_the_sweep_is_a_rare_backstop() -> None:
    interval = workers_for("redis://127.0.0.1:6379/0").sessions_interval
    assert interval == SESSIONS_SECONDS_SHARED_BUS > SESSIONS_SECONDS
