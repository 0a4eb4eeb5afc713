"""The address book: a contact, its change log, and the fields supervisors add to it."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, Field

from atiende.schemas.common import Person
from atiende.schemas.forms import FieldIn, FieldOut
from atiende.schemas.params import Id

if TYPE_CHECKING:
    from atiende.db.models import Contact, ContactField


class ContactIn(BaseModel):
    name: str = Field(max_length=1000)
    phones: list[str] = Field(default=[], max_length=20)
    email: str | None = Field(default=None, max_length=1000)
    document_id: str | None = Field(default=None, max_length=1000)
    notes: str | None = Field(default=None, max_length=20_000)
    custom: dict[str, Any] = {}


class ContactUpdateIn(ContactIn):
    version: Id | None = Field(
        default=None, description="The version edited; refused with 409 if it moved on"
    )


class ContactOut(BaseModel):
    id: int
    customer_id: int
    name: str
    phones: list[str]
    email: str | None
    document_id: str | None
    notes: str | None
    custom: dict[str, Any]
    version: int
    created_at: datetime
    updated_at: datetime
    updated_by: Person | None

    @classmethod
    def of(cls, c: Contact, updated_by: Person | None) -> ContactOut:
        return cls(
            id=c.id,
            customer_id=c.customer_id,
            name=c.name,
            phones=list(c.phones),
            email=c.email,
            document_id=c.document_id,
            notes=c.notes,
            custom=dict(c.custom),
            version=c.version,
            created_at=c.created_at,
            updated_at=c.updated_at,
            updated_by=updated_by,
        )


def field_out(f: ContactField) -> FieldOut:
    return FieldOut(key=f.key, label=f.label, type=f.type, required=f.required, options=f.options)


class ContactView(BaseModel):
    """What the *Contacto* tab needs: the contact if there is one, and the custom fields."""

    contact: ContactOut | None
    fields: list[FieldOut]


class ContactChangeOut(BaseModel):
    id: int
    kind: str = Field(description="created or updated")
    at: datetime
    by: Person | None
    changes: dict[str, dict[str, Any]] = Field(
        description='Per field ("custom.<key>" for added fields): {"from": old, "to": new}'
    )


class ContactFieldsIn(BaseModel):
    fields: list[FieldIn] = Field(max_length=50)
