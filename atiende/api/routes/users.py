"""`/api/admin/users`: an administrator deactivates and reactivates users."""

from fastapi import APIRouter

from atiende.actions import users
from atiende.api.deps import CurrentUser, RuntimeDep, WorkDep, presence_grace, require_role
from atiende.schemas.params import Id
from atiende.schemas.users import AccountOut

router = APIRouter(prefix="/api/admin/users", tags=["admin"])
ADMIN = require_role("admin")


@router.post("/{user_id}/deactivate", dependencies=[ADMIN])
async def deactivate(user_id: Id, actor: CurrentUser, w: WorkDep, rt: RuntimeDep) -> AccountOut:
    """Sessions end and open sockets close at once; his history stays."""
    user = await users.access_user(w, user_id, lock=True)
    await users.do_deactivate(w, actor, user, presence_grace(rt))
    return AccountOut.model_validate(user, from_attributes=True)


@router.post("/{user_id}/reactivate", dependencies=[ADMIN])
async def reactivate(user_id: Id, w: WorkDep) -> AccountOut:
    user = await users.access_user(w, user_id, lock=True)
    users.do_reactivate(user)
    return AccountOut.model_validate(user, from_attributes=True)
