"""Campaign forms: field definitions and the validation of values by type (SPEC §4)."""

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

FIELD_TYPES = (
    "text",
    "long_text",
    "number",
    "date",
    "select",
    "multi_select",
    "checkbox",
    "phone",
    "email",
)
_KEY = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^\+?[0-9][0-9 ()\-]{5,20}$")
MAX_TEXT = 500
MAX_LONG_TEXT = 5000


@dataclass(frozen=True)
class FieldSpec:
    key: str
    label: str
    type: str
    required: bool = False
    options: tuple[str, ...] | None = None


def check_definition(fields: list[FieldSpec]) -> dict[str, str]:
    """Errors in a form definition, by field key (or position when the key itself is bad)."""
    errors: dict[str, str] = {}
    seen: set[str] = set()
    for position, f in enumerate(fields, start=1):
        where = f.key or f"#{position}"
        if not _KEY.match(f.key):
            errors[where] = "La clave debe empezar con una letra y usar a-z, 0-9 o _."
        elif f.key in seen:
            errors[where] = "Clave repetida."
        elif f.type not in FIELD_TYPES:
            errors[where] = f"Tipo desconocido: {f.type}."
        elif not f.label.strip():
            errors[where] = "Falta la etiqueta."
        elif f.type in ("select", "multi_select") and not f.options:
            errors[where] = "Una lista necesita opciones."
        seen.add(f.key)
    return errors


def is_empty(value: Any) -> bool:
    if isinstance(value, str):
        return not value.strip()
    return value is None or value == [] or value is False


def validate(
    fields: list[FieldSpec], values: dict[str, Any], *, require: bool
) -> tuple[dict[str, Any], dict[str, str]]:
    """Clean values and the errors per field key. With `require`, empty required fields are
    errors too; unknown keys are dropped."""
    clean: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for f in fields:
        value = values.get(f.key)
        if f.type == "checkbox":
            value = False if value is None else value
            if not isinstance(value, bool):
                errors[f.key] = "Debe ser sí o no."
            elif require and f.required and not value:
                errors[f.key] = "Campo obligatorio."
            else:
                clean[f.key] = value
            continue
        if is_empty(value):
            if require and f.required:
                errors[f.key] = "Campo obligatorio."
            continue
        try:
            clean[f.key] = _coerce(f, value)
        except ValueError as exc:
            errors[f.key] = str(exc)
    return clean, errors


def _coerce(f: FieldSpec, value: Any) -> Any:
    if f.type in ("text", "long_text"):
        text = _string(value)
        limit = MAX_TEXT if f.type == "text" else MAX_LONG_TEXT
        if len(text) > limit:
            raise ValueError(f"Máximo {limit} caracteres.")
        return text
    if f.type == "number":
        return _number(value)
    if f.type == "date":
        try:
            return date.fromisoformat(_string(value)).isoformat()
        except ValueError:
            raise ValueError("Fecha inválida (AAAA-MM-DD).") from None
    if f.type == "select":
        if value not in (f.options or ()):
            raise ValueError("Elija una de las opciones.")
        return value
    if f.type == "multi_select":
        if not isinstance(value, list) or any(v not in (f.options or ()) for v in value):
            raise ValueError("Elija entre las opciones.")
        return [o for o in (f.options or ()) if o in value]
    if f.type == "phone":
        text = _string(value).strip()
        digits = re.sub(r"\D", "", text)
        if not _PHONE.match(text) or not 7 <= len(digits) <= 15:
            raise ValueError("Teléfono inválido.")
        return text
    if f.type == "email":
        text = _string(value).strip()
        if not _EMAIL.match(text) or len(text) > 254:
            raise ValueError("Correo electrónico inválido.")
        return text
    raise ValueError(f"Tipo desconocido: {f.type}.")


def _string(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("Debe ser texto.")
    return value


def _number(value: Any) -> int | float:
    if isinstance(value, bool):
        raise ValueError("Debe ser un número.")
    if isinstance(value, int | float):
        return value
    if isinstance(value, str):
        try:
            number = float(value.replace(",", "."))
        except ValueError:
            raise ValueError("Debe ser un número.") from None
        return int(number) if number.is_integer() else number
    raise ValueError("Debe ser un número.")


def missing_required(fields: list[FieldSpec], values: dict[str, Any]) -> list[FieldSpec]:
    return [
        f
        for f in fields
        if f.required
        and (values.get(f.key) is not True if f.type == "checkbox" else is_empty(values.get(f.key)))
    ]
