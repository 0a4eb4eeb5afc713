"""Serving the emulator with uvicorn, alone or beside the app in one event loop."""

import asyncio

import uvicorn

from atiende.emulator.app import create_app
from atiende.emulator.config import EmulatorConfig


def build_server(
    config: EmulatorConfig, host: str, port: int, *, log_level: str = "info"
) -> uvicorn.Server:
    """A server the caller may stop by setting `should_exit`."""
    app = create_app(config)
    # No log_config: its lines go to the root's handlers (`atiende` gives them one format and
    # masks secrets); uvicorn's own dictConfig would also reroute the app's access lines
    # when both serve in one process (`atiende demo`).
    settings = uvicorn.Config(
        app, host=host, port=port, lifespan="on", log_level=log_level, log_config=None
    )
    return uvicorn.Server(settings)


async def serve(config: EmulatorConfig, host: str, port: int, *, log_level: str = "info") -> None:
    await build_server(config, host, port, log_level=log_level).serve()


def run(config: EmulatorConfig, host: str, port: int, *, log_level: str = "info") -> None:
    asyncio.run(serve(config, host, port, log_level=log_level))
