"""Group commit of webhook deliveries into the inbox: one transaction for all that arrived
while the previous one was committing, each delivery answered only after its own commit.

No fixed wait: a lone delivery commits at once, and under load the batch grows by itself
with the time a commit takes, so the rate a process can acknowledge is the batch size over
the commit time rather than one commit per request.
"""

import asyncio
import contextlib
import logging
from collections.abc import Callable

from atiende.actions import inbox
from atiende.actions.work import WorkFactory

log = logging.getLogger(__name__)

# Beyond this a transaction's insert gets long enough to hold up the answers of its batch.
MAX_BATCH = 500


class InboxWriter:
    def __init__(self, work: WorkFactory, committed: Callable[[], None]) -> None:
        self._work = work
        self._committed = committed
        self._pending: list[tuple[bytes, str, asyncio.Future[None]]] = []
        self._arrived = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="inbox-writer")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        for _, _, answer in self._pending:
            if not answer.done():
                answer.set_exception(RuntimeError("the process is stopping"))
        self._pending = []

    async def write(self, body: bytes, signature: str) -> None:
        """Returns once the delivery is committed; raises what the commit raised."""
        if self._task is None:
            raise RuntimeError("the inbox writer is not running")
        answer = asyncio.get_running_loop().create_future()
        self._pending.append((body, signature, answer))
        self._arrived.set()
        # Shielded: a client that hangs up does not cancel its delivery's commit for the rest.
        await asyncio.shield(answer)

    async def _run(self) -> None:
        while True:
            await self._arrived.wait()
            self._arrived.clear()
            while self._pending:
                batch, self._pending = self._pending[:MAX_BATCH], self._pending[MAX_BATCH:]
                await self._commit(batch)

    async def _commit(self, batch: list[tuple[bytes, str, asyncio.Future[None]]]) -> None:
        try:
            async with self._work() as w:
                await inbox.add(w, [(body, signature) for body, signature, _ in batch])
        except Exception as exc:
            # Every delivery of the batch gets a 5xx and Meta sends it again later.
            log.warning("inbox commit of %s deliveries failed: %s", len(batch), exc)
            for _, _, answer in batch:
                if not answer.done():
                    answer.set_exception(exc)
            return
        for _, _, answer in batch:
            if not answer.done():
                answer.set_result(None)
        self._committed()
