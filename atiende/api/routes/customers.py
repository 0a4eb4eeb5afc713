"""One customer: his earlier attentions (*Historial*) and his contact (*Contacto*)."""

from typing import Annotated

from fastapi import APIRouter, Query

from atiende.actions import contacts, history
from atiende.api.deps import CurrentUser, WorkDep
from atiende.domain.contacts import ContactData
from atiende.schemas.contacts import (
    ContactChangeOut,
    ContactIn,
    ContactOut,
    ContactUpdateIn,
    ContactView,
)
from atiende.schemas.history import HistoryPage
from atiende.schemas.params import Id

router = APIRouter(prefix="/api/customers", tags=["customers"])

HistoryLimit = Annotated[int, Query(ge=1, le=50)]


def _data(body: ContactIn) -> ContactData:
    return ContactData(
        name=body.name,
        phones=body.phones,
        email=body.email,
        document_id=body.document_id,
        notes=body.notes,
        custom=body.custom,
    )


@router.get("/{customer_id}/attentions")
async def customer_history(
    customer_id: Id,
    user: CurrentUser,
    w: WorkDep,
    before_id: Id | None = None,
    limit: HistoryLimit = 20,
) -> HistoryPage:
    """His attentions newest first; `before_id` pages back (an agent: while he serves him)."""
    return await history.history_of(w, user, customer_id, before_id, limit)


@router.get("/{customer_id}/contact")
async def get_contact(customer_id: Id, user: CurrentUser, w: WorkDep) -> ContactView:
    return await contacts.view(w, user, customer_id)


@router.post("/{customer_id}/contact", status_code=201)
async def add_contact(
    customer_id: Id, body: ContactIn, user: CurrentUser, w: WorkDep
) -> ContactOut:
    contact = await contacts.do_create(w, user, customer_id, _data(body))
    return await contacts.contact_out(w, contact)


@router.put("/{customer_id}/contact")
async def edit_contact(
    customer_id: Id, body: ContactUpdateIn, user: CurrentUser, w: WorkDep
) -> ContactOut:
    contact = await contacts.do_update(w, user, customer_id, _data(body), body.version)
    return await contacts.contact_out(w, contact)


@router.get("/{customer_id}/contact/changes")
async def contact_changes(customer_id: Id, user: CurrentUser, w: WorkDep) -> list[ContactChangeOut]:
    return await contacts.changes_of(w, user, customer_id)
