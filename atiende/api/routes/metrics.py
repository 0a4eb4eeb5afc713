"""`/metrics`: this process's figures in Prometheus's text format.

Prometheus sends `Authorization: Bearer <ATIENDE_METRICS_TOKEN>`; an administrator's browser
session may read it too. Nobody else: queue sizes and traffic are the center's business.
"""

import hmac
from datetime import datetime

from fastapi import APIRouter, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST

from atiende.actions.backlog import backlog
from atiende.api.deps import RuntimeDep, Unauthenticated, authenticate
from atiende.db.types import utcnow
from atiende.domain.errors import Forbidden
from atiende.domain.kinds import Role

router = APIRouter(tags=["metrics"])


@router.get("/metrics", response_class=Response)
async def metrics(request: Request, rt: RuntimeDep) -> Response:
    async with rt.work() as w:
        if not _bearer_ok(request, rt.settings.metrics_token):
            try:
                user = await authenticate(w, request)
            except Unauthenticated:
                raise Unauthenticated(
                    "metrics_token", "Falta el token de métricas (Authorization: Bearer)."
                ) from None
            if user.role != Role.ADMIN:
                raise Forbidden("forbidden_role", "No tiene permiso para esta acción.")
        found = await backlog(w)
    m, now = rt.metrics, utcnow()
    for q in found.queues:
        m.queued.labels(q.campaign).set(q.queued)
        m.oldest_queued.labels(q.campaign).set(_age(q.oldest, now))
    m.outbox_backlog.set(found.outbox)
    m.outbox_oldest.set(_age(found.outbox_oldest, now))
    m.media_backlog.set(found.media)
    m.webhook_failures.set(found.webhook_failures)
    m.inbox_backlog.set(found.inbox.waiting)
    m.inbox_oldest.set(_age(found.inbox.oldest, now))
    m.connected_users.set(len(rt.hub.connected_users()))
    m.sockets.set(rt.hub.socket_count())
    return Response(m.exposition(), media_type=CONTENT_TYPE_LATEST)


def _bearer_ok(request: Request, token: object) -> bool:
    expected = getattr(token, "get_secret_value", lambda: "")()
    given = request.headers.get("authorization", "")
    return bool(expected) and hmac.compare_digest(given.encode(), f"Bearer {expected}".encode())


def _age(oldest: datetime | None, now: datetime) -> float:
    return max((now - oldest).total_seconds(), 0.0) if oldest else 0.0
