"""Three app processes on PostgreSQL and Redis under a burst of webhooks from many customers
while agents log in, pause, come back, open and end: afterwards no attention was ever held
by two agents, no agent ever went over his capacity, and every attention is in one place."""

from pathlib import Path

from pydantic import SecretStr
from sqlalchemy import func, select, update

from atiende.actions import audit
from atiende.actions.auth import hash_password
from atiende.config import Settings
from atiende.db.models import Campaign, CampaignMember, Message, User
from atiende.runtime import create_runtime
from tests.burst import burst
from tests.inbox import drained
from tests.keys import SECRET_KEY
from tests.pg import fresh_database
from tests.procs import cluster, run
from tests.services import REDIS_URL, require_redis

SECRET = "burst-secret"
AGENTS = 6


async def prepare(url: str, agents: int) -> list[tuple[str, str]]:
    """More agents than the demo has, with tight capacities, and a fast reassignment."""
    rt = create_runtime(Settings(database_url=url, secret_key=SecretStr(SECRET_KEY)))
    password = hash_password("agente")
    names = [(f"carga{i}", "agente") for i in range(agents)]
    try:
        async with rt.work() as w:
            ventas = await w.session.scalar(select(Campaign).where(Campaign.name == "Ventas"))
            assert ventas is not None
            ventas.reassign_after_seconds = 1
            ventas.max_reassignments = 50
            for username, _ in names:
                user = User(
                    username=username,
                    display_name=username,
                    password_hash=password,
                    role="agent",
                    status="offline",
                    capacity=3,
                )
                w.session.add(user)
                await w.session.flush()
                w.session.add(CampaignMember(campaign_id=ventas.id, user_id=user.id, capacity=2))
            await w.session.execute(update(User).where(User.role == "agent").values(capacity=3))
    finally:
        await rt.close()
    return names


async def check(url: str) -> tuple[list[str], int]:
    rt = create_runtime(Settings(database_url=url, secret_key=SecretStr(SECRET_KEY)))
    try:
        async with rt.work() as w:
            found = await audit.problems(w)
            stored = await w.session.scalar(
                select(func.count()).select_from(Message).where(Message.direction == "in")
            )
            return found, int(stored or 0)
    finally:
        await rt.close()


async def test_burst_across_three_processes_keeps_every_invariant(tmp_path: Path) -> None:
    require_redis()
    with fresh_database("atiende_burst") as url:
        env = {
            "ATIENDE_DATABASE_URL": url,
            "ATIENDE_REDIS_URL": REDIS_URL,
            "ATIENDE_WORKER_POLL_SECONDS": "0.2",
        }
        run(["demo", "--seed-only", "--app-secret", SECRET], env)
        agents = await prepare(url, AGENTS)
        with cluster(3, env, tmp_path) as urls:
            figures = await burst(urls, SECRET, agents, customer_count=40, messages_per_customer=3)
            await drained(url)
            problems, stored = await check(url)
    assert problems == [], problems
    assert figures.sent == 120
    assert stored == figures.sent, "every message stored once, none lost, none doubled"
    assert figures.opened > 0 and figures.status_changes > 0
