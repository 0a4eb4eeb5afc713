"""Agents with live sessions written straight into the database, for the socket benchmarks:
logging 5,000 agents in through the API would measure the password hash, not the sockets."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from pydantic import SecretStr
from sqlalchemy import insert, select

from atiende.actions.auth import hash_password
from atiende.config import Settings
from atiende.db.models import Campaign, CampaignMember, User, UserSession
from atiende.db.types import utcnow
from atiende.runtime import create_runtime
from tests.keys import SECRET_KEY


@dataclass(frozen=True)
class Seeded:
    tokens: list[str]  # each agent's session cookie value
    campaign_ids: dict[str, int]


async def seed_agents(
    url: str, count: int, *, status: str, capacity: int, prefix: str = "bench"
) -> Seeded:
    """`count` agents in every campaign, each with one session valid for a day."""
    rt = create_runtime(Settings(database_url=url, secret_key=SecretStr(SECRET_KEY)))
    password = hash_password("agente")
    tokens = [secrets.token_urlsafe(32) for _ in range(count)]
    expires = utcnow() + timedelta(days=1)
    try:
        async with rt.work() as w:
            campaigns = {c.name: c.id for c in await w.session.scalars(select(Campaign))}
            ids = list(
                await w.session.scalars(
                    insert(User).returning(User.id),
                    [
                        {
                            "username": f"{prefix}{n}",
                            "display_name": f"Agente {n}",
                            "password_hash": password,
                            "role": "agent",
                            "status": status,
                            "capacity": capacity,
                        }
                        for n in range(count)
                    ],
                )
            )
            await w.session.execute(
                insert(CampaignMember),
                [
                    {"campaign_id": c, "user_id": u, "capacity": capacity}
                    for c in campaigns.values()
                    for u in ids
                ],
            )
            await w.session.execute(
                insert(UserSession),
                [
                    {
                        "id": hashlib.sha256(token.encode()).hexdigest(),
                        "user_id": user_id,
                        "csrf_token": secrets.token_urlsafe(16),
                        "expires_at": expires,
                    }
                    for user_id, token in zip(ids, tokens, strict=True)
                ],
            )
    finally:
        await rt.close()
    return Seeded(tokens, campaigns)
