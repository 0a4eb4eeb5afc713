"""What `atiende serve` and `demo` log: no verify token in the access log, however uvicorn
was configured, and no request URLs from httpx."""

import asyncio
import contextlib
import logging
from collections.abc import Iterator

import httpx
import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from atiende import logging_setup
from tests.procs import free_port

TOKEN = "verify-Zq81xPw"
HANDSHAKE = (
    f"/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token={TOKEN}&hub.challenge=1158201444"
)
LOGGERS = ("", "uvicorn", "uvicorn.error", "uvicorn.access", "uvicorn.asgi", "httpx", "httpcore")


@contextlib.contextmanager
def fresh_logging() -> Iterator[None]:
    """The root without handlers, as in a fresh `atiende` process (pytest's own are put aside
    meanwhile); what `configure` and uvicorn change on the loggers is put back afterwards."""
    saved = {}
    for name in LOGGERS:
        logger = logging.getLogger(name)
        saved[name] = (logger.handlers[:], logger.filters[:], logger.level, logger.propagate)
    logging.getLogger().handlers.clear()
    try:
        yield
    finally:
        for name, (handlers, filters, level, propagate) in saved.items():
            logger = logging.getLogger(name)
            logger.handlers[:], logger.filters[:] = handlers, filters
            logger.setLevel(level)
            logger.propagate = propagate


async def test_the_access_line_of_the_webhook_handshake_has_no_verify_token(
    capsys: pytest.CaptureFixture[str],
) -> None:
    async def ok(_request: object) -> PlainTextResponse:
        return PlainTextResponse("1158201444")

    app = Starlette(routes=[Route("/webhooks/whatsapp", ok)])
    port = free_port()
    with fresh_logging():
        logging_setup.configure()
        # As `atiende serve` runs it.
        server = uvicorn.Server(
            uvicorn.Config(app, host="127.0.0.1", port=port, log_level="info", log_config=None)
        )
        serving = asyncio.create_task(server.serve())
        try:
            async with asyncio.timeout(5):
                while not server.started:
                    if serving.done():
                        serving.result()
                    await asyncio.sleep(0.01)
            async with httpx.AsyncClient() as client:
                response = await client.get(f"http://127.0.0.1:{port}{HANDSHAKE}")
            assert response.status_code == 200
        finally:
            server.should_exit = True
            await serving
    written = capsys.readouterr().err
    assert "hub.verify_token=***" in written
    assert TOKEN not in written


def test_the_mask_survives_a_server_configured_with_uvicorns_own_logging(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with fresh_logging():
        logging_setup.configure()
        # What a uvicorn.Config with its default log_config does to the loggers.
        uvicorn.Config(Starlette(), log_level="info")
        logging.getLogger("uvicorn.access").info(
            '%s - "%s %s HTTP/%s" %d', "127.0.0.1:5000", "GET", HANDSHAKE, "1.1", 200
        )
    written = capsys.readouterr().out
    assert "hub.verify_token=***" in written
    assert TOKEN not in written


def test_httpx_request_urls_are_not_logged(capsys: pytest.CaptureFixture[str]) -> None:
    with fresh_logging():
        logging_setup.configure()
        # As httpx logs each request; the URL is not a credential by its parameters' names.
        logging.getLogger("httpx").info("HTTP Request: %s %s", "GET", f"https://x/m/{TOKEN}")
    assert TOKEN not in capsys.readouterr().err
