"""The center's address book: a customer's contact read, added and edited, every change
recorded with who and when (SPEC §4, *Contacto*)."""

from collections.abc import Sequence

from sqlalchemy import select

from atiende.actions import contact_fields, notify, versions
from atiende.actions.access import access_customer
from atiende.actions.lookups import users_by_id
from atiende.actions.work import Work
from atiende.db.models import Attention, Contact, ContactChange, Customer, User
from atiende.db.types import utcnow
from atiende.domain.contacts import ContactData, changes, check_contact, region_of
from atiende.domain.errors import DomainError, Invalid, NotFound
from atiende.domain.forms import codes, messages
from atiende.domain.states import State
from atiende.schemas.common import Person
from atiende.schemas.contacts import ContactChangeOut, ContactOut, ContactView, field_out


async def view(w: Work, user: User, customer_id: int) -> ContactView:
    customer = await access_customer(w, user, customer_id)
    contact = await _contact_of(w, customer.id)
    fields = await contact_fields.all_fields(w)
    return ContactView(
        contact=await contact_out(w, contact) if contact else None,
        fields=[field_out(f) for f in fields],
    )


async def contact_out(w: Work, contact: Contact) -> ContactOut:
    ids = {contact.updated_by_id} if contact.updated_by_id is not None else set()
    people = await users_by_id(w, ids)
    u = people.get(contact.updated_by_id) if contact.updated_by_id is not None else None
    return ContactOut.of(contact, Person(id=u.id, display_name=u.display_name) if u else None)


async def do_create(w: Work, user: User, customer_id: int, data: ContactData) -> Contact:
    customer = await access_customer(w, user, customer_id)
    if await _contact_of(w, customer.id) is not None:
        raise DomainError("contact_exists", "El cliente ya es un contacto.")
    clean = await _checked(w, customer, data, kept={})
    now = utcnow()
    contact = Contact(
        customer_id=customer.id,
        version=1,
        created_by_id=user.id,
        created_at=now,
        updated_by_id=user.id,
        updated_at=now,
    )
    _assign(contact, clean)
    w.session.add(contact)
    await w.session.flush()
    _log(w, contact, user, "created", changes({}, clean.as_dict()))
    await _rename_in_lists(w, customer.id)
    return contact


async def do_update(
    w: Work, user: User, customer_id: int, data: ContactData, version: int | None
) -> Contact:
    customer = await access_customer(w, user, customer_id)
    contact = await _contact_of(w, customer.id, lock=True)
    if contact is None:
        raise NotFound("contact_not_found", "El cliente no es un contacto.")
    if version is not None and version != contact.version:
        raise DomainError(
            "contact_changed",
            "Otra persona cambió el contacto: vuelva a cargarlo.",
            params={"version": contact.version},
        )
    clean = await _checked(w, customer, data, kept=contact.custom)
    diff = changes(_stored(contact).as_dict(), clean.as_dict())
    if not diff:
        return contact
    renamed = contact.name != clean.name
    _assign(contact, clean)
    contact.version += 1
    contact.updated_by_id = user.id
    contact.updated_at = utcnow()
    _log(w, contact, user, "updated", diff)
    await w.session.flush()
    if renamed:
        await _rename_in_lists(w, customer.id)
    return contact


async def changes_of(w: Work, user: User, customer_id: int) -> list[ContactChangeOut]:
    """The contact's change log, newest first."""
    customer = await access_customer(w, user, customer_id)
    contact = await _contact_of(w, customer.id)
    if contact is None:
        return []
    rows: Sequence[ContactChange] = (
        await w.session.scalars(
            select(ContactChange)
            .where(ContactChange.contact_id == contact.id)
            .order_by(ContactChange.id.desc())
        )
    ).all()
    people = await users_by_id(w, {r.user_id for r in rows if r.user_id is not None})
    out = []
    for r in rows:
        u = people.get(r.user_id) if r.user_id is not None else None
        by = Person(id=u.id, display_name=u.display_name) if u else None
        out.append(ContactChangeOut(id=r.id, kind=r.kind, at=r.at, by=by, changes=r.changes))
    return out


async def _contact_of(w: Work, customer_id: int, *, lock: bool = False) -> Contact | None:
    query = select(Contact).where(Contact.customer_id == customer_id)
    if lock:
        query = query.with_for_update()
    return await w.session.scalar(query)


async def _checked(
    w: Work, customer: Customer, data: ContactData, kept: dict[str, object]
) -> ContactData:
    """Checked against the fields defined now; values of fields no longer defined stay."""
    defined = await contact_fields.all_fields(w)
    clean, problems = check_contact(data, contact_fields.specs(defined), region_of(customer.phone))
    if problems:
        raise Invalid(
            "contact_invalid",
            "Revise los datos del contacto.",
            {"errors": messages(problems), "error_codes": codes(problems)},
        )
    keys = {f.key for f in defined}
    custom = {k: v for k, v in kept.items() if k not in keys} | clean.custom
    return ContactData(
        name=clean.name,
        phones=clean.phones,
        email=clean.email,
        document_id=clean.document_id,
        notes=clean.notes,
        custom=custom,
    )


def _stored(contact: Contact) -> ContactData:
    return ContactData(
        name=contact.name,
        phones=list(contact.phones),
        email=contact.email,
        document_id=contact.document_id,
        notes=contact.notes,
        custom=dict(contact.custom),
    )


def _assign(contact: Contact, data: ContactData) -> None:
    contact.name = data.name
    contact.phones = list(data.phones)
    contact.email = data.email
    contact.document_id = data.document_id
    contact.notes = data.notes
    contact.custom = dict(data.custom)


def _log(
    w: Work, contact: Contact, user: User, kind: str, diff: dict[str, dict[str, object]]
) -> None:
    w.session.add(ContactChange(contact_id=contact.id, user_id=user.id, kind=kind, changes=diff))


async def _rename_in_lists(w: Work, customer_id: int) -> None:
    """The customer's live attentions are named by the contact now: their holders' lists
    and headers follow (a new version, so no older event undoes it)."""
    live = await w.session.scalars(
        select(Attention)
        .where(Attention.customer_id == customer_id, Attention.state != State.CLOSED)
        .with_for_update(of=Attention)
        .execution_options(populate_existing=True)
    )
    for attention in live.all():
        versions.bump(attention)
        notify.attention_changed(w, attention)
