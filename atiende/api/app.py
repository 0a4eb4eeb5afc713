"""The ASGI application: routers, the runtime and the background workers of one process."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles

from atiende.api import errors
from atiende.api.body_limit import BodyLimit
from atiende.api.routes import (
    admin,
    agent,
    attentions,
    audit,
    auth,
    bases,
    customers,
    matches,
    media,
    metrics,
    pause_reasons,
    reports,
    search,
    summary_reports,
    supervision,
    uploads,
    users,
    webhooks,
    ws,
)
from atiende.api.security_headers import SecurityHeaders
from atiende.config import Settings, get_settings
from atiende.runtime import create_runtime
from atiende.workers import Workers

STATIC = Path(__file__).resolve().parent.parent / "static"


def create_app(settings: Settings | None = None, *, run_workers: bool = True) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        rt = create_runtime(settings)
        await rt.start()
        app.state.runtime = rt
        workers = Workers(rt)
        app.state.workers = workers
        if run_workers:
            workers.start(processor=settings.inbox_processor == "inline")
        try:
            yield
        finally:
            await workers.stop()
            await rt.close()

    app = FastAPI(title="atiende", lifespan=lifespan)
    errors.install(app)
    for module in (
        auth,
        agent,
        attentions,
        customers,
        uploads,
        matches,
        media,
        supervision,
        reports,
        bases,
        webhooks,
        admin,
        users,
        audit,
        pause_reasons,
        metrics,
        summary_reports,
        search,
        ws,
    ):
        app.include_router(module.router)
    # Neither reads the body: the limit holds before any route does, and even a refusal
    # carries the security headers (the last one added is the outermost).
    app.add_middleware(
        BodyLimit, default=settings.max_body_bytes, allowances=[uploads.ALLOWANCE, bases.ALLOWANCE]
    )
    app.add_middleware(SecurityHeaders, secure_cookies=settings.secure_cookies)
    # Outside both, with the same limit and headers of its own (the hottest request).
    app.add_middleware(
        webhooks.Deliveries,
        limit=settings.max_body_bytes,
        secure_cookies=settings.secure_cookies,
    )

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> JSONResponse:
        return JSONResponse({"ok": True})

    _mount_client(app)
    return app


def _mount_client(app: FastAPI) -> None:
    """The built Svelte client; every unknown non-API path is the single page's index."""
    index = STATIC / "index.html"
    if (STATIC / "assets").is_dir():
        app.mount("/assets", StaticFiles(directory=STATIC / "assets"), name="assets")

    @app.get("/{path:path}", include_in_schema=False, response_model=None)
    async def spa(path: str) -> FileResponse | JSONResponse:
        if path.startswith(("api/", "webhooks/")):
            return JSONResponse(
                {"detail": "No encontrado.", "code": "not_found", "params": {}}, status_code=404
            )
        candidate = _static_file(path)
        if candidate is not None:
            return FileResponse(candidate)
        if index.is_file():
            return FileResponse(index)
        return JSONResponse(
            {"detail": "El cliente web no está construido: ejecute `make build`."},
            status_code=503,
        )


def _static_file(path: str) -> Path | None:
    """A file of the built client, never anything outside it (nor a name the OS refuses)."""
    if not path or "\x00" in path:
        return None
    try:
        candidate = (STATIC / path).resolve()
        found = candidate.is_file() and STATIC.resolve() in candidate.parents
    except (OSError, ValueError):
        return None
    return candidate if found else None
