"""The channels' app secrets as this process knows them, to check a delivery's signature
without a statement (nor a decryption) per delivery.

Forgotten when a channel is created or edited here or, through the bus, on any process;
and at the latest after `MAX_AGE_SECONDS`, for a change the bus did not carry (a command
line with no shared bus). A signature that no known secret made reloads them once: a
channel created a moment ago on another process signs from its first delivery.

A secret removed a moment ago may still answer 200 here until its change arrives; what it
signed is not applied, though: the processor checks the signature again against the
channels as they are then (`actions/webhook_batch.py`).
"""

import asyncio
import time

from sqlalchemy import select

from atiende.actions.work import WorkFactory
from atiende.channels.whatsapp.signature import verify
from atiende.db.models import Channel

MAX_AGE_SECONDS = 30.0


class ChannelSigners:
    def __init__(self, work: WorkFactory) -> None:
        self._work = work
        self._secrets: frozenset[str] | None = None
        self._loaded_at = 0.0
        # Bumped by each change heard: a load that began before it is not kept.
        self._generation = 0
        self._loading = asyncio.Lock()

    def forget(self) -> None:
        self._generation += 1
        self._secrets = None

    async def signed(self, body: bytes, header: str | None) -> bool:
        """Whether a channel's app secret produced this signature."""
        if not header:
            return False
        known = self._secrets
        stale = known is None or time.monotonic() - self._loaded_at > MAX_AGE_SECONDS
        if not stale and known is not None and _any_signed(known, body, header):
            return True
        return _any_signed(await self._reload(known), body, header)

    async def _reload(self, seen: frozenset[str] | None) -> frozenset[str]:
        async with self._loading:
            # Another request reloaded while this one waited: its secrets will do.
            if self._secrets is not None and self._secrets is not seen:
                return self._secrets
            generation = self._generation
            async with self._work() as w:
                secrets = frozenset(await w.session.scalars(select(Channel.app_secret)))
            if generation == self._generation:
                self._secrets, self._loaded_at = secrets, time.monotonic()
            return secrets


def _any_signed(secrets: frozenset[str], body: bytes, header: str) -> bool:
    return any(verify(body, secret, header) for secret in secrets)
