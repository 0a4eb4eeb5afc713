"""A contact's values checked and normalized, field by field (SPEC §4, *Contacto*).

Problems are `FieldProblem`s like a form's, keyed by field (`phones.1`, `custom.<key>`), so the
client says each one beside its input in its own language.
"""

from dataclasses import dataclass, field
from typing import Any

import phonenumbers
from email_validator import EmailNotValidError, validate_email

from atiende.domain.forms import FieldProblem, FieldSpec, validate

MAX_NAME = 200
MAX_PHONES = 5
MAX_DOCUMENT = 64
MAX_NOTES = 5000


@dataclass(frozen=True)
class ContactData:
    name: str
    phones: list[str] = field(default_factory=list)
    email: str | None = None
    document_id: str | None = None
    notes: str | None = None
    custom: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """Flat, for comparing two versions field by field."""
        flat: dict[str, Any] = {
            "name": self.name,
            "phones": list(self.phones),
            "email": self.email,
            "document_id": self.document_id,
            "notes": self.notes,
        }
        flat.update({f"custom.{k}": v for k, v in sorted(self.custom.items())})
        return flat


def region_of(e164_digits: str | None) -> str | None:
    """The country of the customer's own number: the region a local number is read in."""
    if not e164_digits:
        return None
    try:
        number = phonenumbers.parse("+" + e164_digits.lstrip("+"))
    except phonenumbers.NumberParseException:
        return None
    return phonenumbers.region_code_for_number(number)


def normalize_phone(text: str, region: str | None) -> str | None:
    """E.164 ("+51987654321"), or None when it is no valid number. Without "+" the number
    is read in `region` first, then as an international number without its "+"."""
    raw = text.strip()
    tries = [raw] if raw.startswith("+") else [raw, "+" + raw]
    for candidate in tries:
        try:
            number = phonenumbers.parse(candidate, None if candidate.startswith("+") else region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return None


def _text(value: str | None, limit: int, key: str, problems: dict[str, FieldProblem]) -> str | None:
    text = (value or "").strip()
    if len(text) > limit:
        problems[key] = FieldProblem("too_long", f"Máximo {limit} caracteres.", {"max": limit})
    return text or None


def _phones(raw: list[str], region: str | None, problems: dict[str, FieldProblem]) -> list[str]:
    given = [p for p in raw if p.strip()]
    if len(given) > MAX_PHONES:
        problems["phones"] = FieldProblem("too_many", f"Máximo {MAX_PHONES}.", {"max": MAX_PHONES})
        return []
    phones: list[str] = []
    for i, text in enumerate(given):
        e164 = normalize_phone(text, region)
        if e164 is None:
            problems[f"phones.{i}"] = FieldProblem("invalid_phone", "Teléfono inválido.")
        elif e164 not in phones:
            phones.append(e164)
    return phones


def _email(value: str | None, problems: dict[str, FieldProblem]) -> str | None:
    text = (value or "").strip()
    if not text:
        return None
    try:
        return validate_email(text, check_deliverability=False).normalized
    except EmailNotValidError:
        problems["email"] = FieldProblem("invalid_email", "Correo electrónico inválido.")
        return None


def check_contact(
    data: ContactData, custom_fields: list[FieldSpec], region: str | None
) -> tuple[ContactData, dict[str, FieldProblem]]:
    """The values as stored and what is wrong with them; nothing is stored with a problem.
    Custom values are those of `custom_fields` only (the caller keeps the others)."""
    problems: dict[str, FieldProblem] = {}
    name = _text(data.name, MAX_NAME, "name", problems)
    if name is None:
        problems["name"] = FieldProblem("required", "Campo obligatorio.")
    phones = _phones(data.phones, region, problems)
    email = _email(data.email, problems)
    document = _text(data.document_id, MAX_DOCUMENT, "document_id", problems)
    notes = _text(data.notes, MAX_NOTES, "notes", problems)
    custom, custom_problems = validate(custom_fields, data.custom, require=True)
    problems.update({f"custom.{k}": p for k, p in custom_problems.items()})
    clean = ContactData(
        name=name or "",
        phones=phones,
        email=email,
        document_id=document,
        notes=notes,
        custom=custom,
    )
    return clean, problems


def changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Each field that differs, from what to what."""
    keys = sorted(set(before) | set(after))
    return {
        k: {"from": before.get(k), "to": after.get(k)}
        for k in keys
        if before.get(k) != after.get(k)
    }
