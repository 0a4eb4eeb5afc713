"""The fields supervisors add to every contact: defined as a whole list, like a form."""

from sqlalchemy import delete, select

from atiende.actions.work import Work
from atiende.db.models import ContactField
from atiende.domain.errors import Invalid
from atiende.domain.forms import FieldSpec, check_definition, codes, messages


async def all_fields(w: Work) -> list[ContactField]:
    return list(await w.session.scalars(select(ContactField).order_by(ContactField.position)))


def specs(fields: list[ContactField]) -> list[FieldSpec]:
    return [
        FieldSpec(f.key, f.label, f.type, f.required, tuple(f.options) if f.options else None)
        for f in fields
    ]


async def do_define(w: Work, fields: list[FieldSpec]) -> list[ContactField]:
    """Replaces the definitions. A removed field's values stay in the contacts, unshown, and
    show again if a field of that key comes back."""
    errors = check_definition(fields)
    if errors:
        raise Invalid(
            "form_definition",
            "El formulario tiene errores.",
            {"errors": messages(errors), "error_codes": codes(errors)},
        )
    await w.session.execute(delete(ContactField))
    rows = [
        ContactField(
            key=f.key,
            label=f.label.strip(),
            type=f.type,
            required=f.required,
            options=list(f.options) if f.options else None,
            position=i,
        )
        for i, f in enumerate(fields, start=1)
    ]
    w.session.add_all(rows)
    await w.session.flush()
    return rows
