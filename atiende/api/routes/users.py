"""`/api/admin/users`: an administrator manages users from the browser."""

from fastapi import APIRouter

from atiende.actions import user_admin, users
from atiende.actions.user_admin import Listed, Membership
from atiende.api.deps import CurrentUser, RuntimeDep, WorkDep, presence_grace, require_role
from atiende.schemas.params import Id
from atiende.schemas.users import (
    AccountOut,
    AdminUserOut,
    MembershipIn,
    MembershipOut,
    PasswordIn,
    UserCreateIn,
    UserPatch,
)

router = APIRouter(prefix="/api/admin/users", tags=["admin"])
ADMIN = require_role("admin")


def _out(row: Listed) -> AdminUserOut:
    u = row.user
    return AdminUserOut(
        id=u.id,
        username=u.username,
        display_name=u.display_name,
        role=u.role,
        active=u.active,
        status=u.status,
        memberships=[
            MembershipOut(campaign_id=c.id, campaign_name=c.name, capacity=capacity)
            for c, capacity in row.memberships
        ],
    )


def _memberships(body: list[MembershipIn]) -> list[Membership]:
    return [Membership(m.campaign_id, m.capacity) for m in body]


async def _one(w: WorkDep, user_id: int) -> AdminUserOut:
    return _out(await user_admin.one(w, user_id))


@router.get("", dependencies=[ADMIN])
async def list_users(w: WorkDep) -> list[AdminUserOut]:
    return [_out(row) for row in await user_admin.listed(w)]


@router.post("", status_code=201, dependencies=[ADMIN])
async def create_user(body: UserCreateIn, actor: CurrentUser, w: WorkDep) -> AdminUserOut:
    """Checked field by field (`user_invalid` with `errors` and `error_codes`)."""
    new = users.NewUser(
        body.username.strip(), body.display_name.strip(), body.role, body.password, 3
    )
    user = await user_admin.do_create(w, actor, new, _memberships(body.memberships))
    return await _one(w, user.id)


@router.patch("/{user_id}", dependencies=[ADMIN])
async def patch_user(user_id: Id, body: UserPatch, actor: CurrentUser, w: WorkDep) -> AdminUserOut:
    user = await users.access_user(w, user_id, lock=True)
    await user_admin.do_update(w, actor, user, body.display_name, body.role)
    return await _one(w, user_id)


@router.put("/{user_id}/memberships", dependencies=[ADMIN])
async def put_memberships(
    user_id: Id, body: list[MembershipIn], actor: CurrentUser, w: WorkDep
) -> AdminUserOut:
    """His campaigns and capacity in each, through the campaigns' own members action."""
    user = await users.access_user(w, user_id)
    await user_admin.do_set_memberships(w, actor, user, _memberships(body))
    return await _one(w, user_id)


@router.post("/{user_id}/password", status_code=204, dependencies=[ADMIN])
async def reset_password(user_id: Id, body: PasswordIn, actor: CurrentUser, w: WorkDep) -> None:
    """His sessions end at once; he logs in with the new one."""
    user = await users.access_user(w, user_id, lock=True)
    await user_admin.do_reset_password(w, actor, user, body.password)


@router.post("/{user_id}/deactivate", dependencies=[ADMIN])
async def deactivate(user_id: Id, actor: CurrentUser, w: WorkDep, rt: RuntimeDep) -> AccountOut:
    """Sessions end and open sockets close at once; what he held goes back to the queue as
    when he goes offline; his history stays."""
    user = await users.access_user(w, user_id, lock=True)
    await user_admin.do_deactivate(w, actor, user, presence_grace(rt))
    return AccountOut.model_validate(user, from_attributes=True)


@router.post("/{user_id}/reactivate", dependencies=[ADMIN])
async def reactivate(user_id: Id, actor: CurrentUser, w: WorkDep) -> AccountOut:
    user = await users.access_user(w, user_id, lock=True)
    await user_admin.do_reactivate(w, actor, user)
    return AccountOut.model_validate(user, from_attributes=True)
