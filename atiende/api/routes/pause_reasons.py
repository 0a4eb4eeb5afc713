"""Supervisors and admins: the reasons an agent may pause for (the agent reads the active ones
at `GET /api/pause-reasons`)."""

from fastapi import APIRouter

from atiende.actions import pause_reasons
from atiende.api.deps import CurrentUser, WorkDep, require_role
from atiende.schemas.pause_reasons import PauseReasonOut, PauseReasonsIn

router = APIRouter(prefix="/api/supervisor", tags=["supervision"])
STAFF = require_role("admin", "supervisor")


def _out(found: list[pause_reasons.Listed]) -> list[PauseReasonOut]:
    return [
        PauseReasonOut(
            id=x.reason.id,
            name=x.reason.name,
            active=x.reason.active,
            position=x.reason.position,
            in_use=x.in_use,
        )
        for x in found
    ]


@router.get("/pause-reasons", dependencies=[STAFF])
async def list_pause_reasons(w: WorkDep) -> list[PauseReasonOut]:
    return _out(await pause_reasons.listed(w))


@router.put("/pause-reasons", dependencies=[STAFF])
async def save_pause_reasons(
    body: PauseReasonsIn, user: CurrentUser, w: WorkDep
) -> list[PauseReasonOut]:
    specs = [pause_reasons.ReasonSpec(r.id, r.name, r.active) for r in body.reasons]
    return _out(await pause_reasons.do_save(w, user.id, specs))
