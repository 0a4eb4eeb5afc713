"""Who may see and touch an attention. Every endpoint goes through here, none re-types it."""

from sqlalchemy import select

from atiende.actions.work import Work
from atiende.db.models import Attention, AttentionEvent, Customer, User
from atiende.domain.errors import Forbidden, NotFound
from atiende.domain.states import HOLDS_SLOT

_STAFF = frozenset({"supervisor", "admin"})


def is_staff(user: User) -> bool:
    return user.role in _STAFF


async def access_attention(
    w: Work, user: User, attention_id: int, *, write: bool = False
) -> Attention:
    """The attention if `user` may read it (or act on it, with `write`), locked for writing.

    An agent reads what he holds, what he handled (opened) before, and the earlier
    attentions of a customer he serves now (his history); he acts only on what he holds.
    Anyone else's is "not found", so ids reveal nothing. Supervisors read everything and act
    through their own endpoints (move), not these.
    """
    query = select(Attention).where(Attention.id == attention_id)
    if write:
        query = query.with_for_update(of=Attention)
    attention = await w.session.scalar(query)
    if attention is None:
        raise NotFound("attention_not_found", "La atención no existe.")
    if is_staff(user):
        if write:
            raise Forbidden("read_only", "Los supervisores solo pueden ver esta atención.")
        return attention
    if attention.agent_id == user.id:
        return attention
    if await handled_by(w, attention.id, user.id):
        if write:
            raise Forbidden("read_only_attended", "Esta atención ya no es suya: solo lectura.")
        return attention
    if await serves_customer(w, user.id, attention.customer_id):
        if write:
            raise Forbidden("read_only_history", "Es una atención anterior: solo lectura.")
        return attention
    raise NotFound("attention_not_found", "La atención no existe.")


async def serves_customer(w: Work, user_id: int, customer_id: int) -> bool:
    """He holds (assigned or open) an attention of this customer now."""
    found = await w.session.scalar(
        select(Attention.id)
        .where(
            Attention.customer_id == customer_id,
            Attention.agent_id == user_id,
            Attention.state.in_(HOLDS_SLOT),
        )
        .limit(1)
    )
    return found is not None


async def access_customer(w: Work, user: User, customer_id: int) -> Customer:
    """The customer if `user` may read his history and contact, and edit the contact:
    supervisors and admins always, an agent while he serves him. Else "not found"."""
    customer = await w.session.get(Customer, customer_id)
    if customer is None:
        raise NotFound("customer_not_found", "El cliente no existe.")
    if is_staff(user) or await serves_customer(w, user.id, customer_id):
        return customer
    raise NotFound("customer_not_found", "El cliente no existe.")


async def handled_by(w: Work, attention_id: int, user_id: int) -> bool:
    found = await w.session.scalar(
        select(AttentionEvent.id)
        .where(
            AttentionEvent.attention_id == attention_id,
            AttentionEvent.kind == "opened",
            AttentionEvent.actor_id == user_id,
        )
        .limit(1)
    )
    return found is not None


def check_staff(user: User) -> None:
    """For routes that authenticate inside their own transactions (uploads)."""
    if not is_staff(user):
        raise Forbidden("forbidden_role", "No tiene permiso para esta acción.")
