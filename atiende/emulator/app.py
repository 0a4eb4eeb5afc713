"""`create_app`: the emulator as one FastAPI app (Graph API, control API, phone page)."""

import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI

from atiende.emulator import control, graph
from atiende.emulator.config import EmulatorConfig
from atiende.emulator.engine import Emulator


def create_app(
    config: EmulatorConfig,
    *,
    webhook_transport: httpx.AsyncBaseTransport | None = None,
    media_transport: httpx.AsyncBaseTransport | None = None,
    clock: Callable[[], float] = time.time,
) -> FastAPI:
    """`webhook_transport` lets a test deliver webhooks to an in-process app, and
    `media_transport` answer the links the business sends media by; `clock` lets it move time
    (the 24-hour window, media URLs) without waiting."""
    emulator = Emulator(
        config,
        webhook_transport=webhook_transport,
        media_transport=media_transport,
        clock=clock,
    )

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        async with emulator.running():
            yield

    app = FastAPI(
        title="atiende — WhatsApp Cloud API emulator",
        lifespan=lifespan,
        docs_url="/emulator/docs",
        redoc_url=None,
        openapi_url="/emulator/openapi.json",
    )
    app.state.emulator = emulator
    app.include_router(control.router)
    app.include_router(graph.router)
    return app
