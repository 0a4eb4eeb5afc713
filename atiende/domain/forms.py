"""Campaign forms: field definitions and the validation of values by type (SPEC §4)."""

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal, get_args

from atiende.domain.errors import Params

FieldType = Literal[
    "text",
    "long_text",
    "number",
    "date",
    "select",
    "multi_select",
    "checkbox",
    "phone",
    "email",
]
FIELD_TYPES: tuple[FieldType, ...] = get_args(FieldType)
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


@dataclass(frozen=True)
class FieldProblem:
    """What is wrong with one value: `code` (+ `params`) for the client's text (the
    `form_field.<code>` entries of the catalogues), `message` in Spanish."""

    code: str
    message: str
    params: Params = field(default_factory=dict)


class FieldRefused(ValueError):
    def __init__(self, code: str, message: str, params: Params | None = None) -> None:
        super().__init__(message)
        self.problem = FieldProblem(code, message, params or {})


def messages(problems: dict[str, FieldProblem]) -> dict[str, str]:
    return {key: p.message for key, p in problems.items()}


def codes(problems: dict[str, FieldProblem]) -> dict[str, dict[str, Any]]:
    return {key: {"code": p.code, "params": p.params} for key, p in problems.items()}


def check_definition(fields: list[FieldSpec]) -> dict[str, FieldProblem]:
    """What is wrong in a form definition, by row and part: `"<index>.key"`, `".label"`,
    `".type"`, `".options"` (index from 0, as the rows are sent)."""
    errors: dict[str, FieldProblem] = {}
    seen: set[str] = set()
    for i, f in enumerate(fields):
        if not _KEY.match(f.key):
            errors[f"{i}.key"] = FieldProblem(
                "key_format",
                "La clave empieza con una letra y usa a-z, 0-9 o _ (hasta 64).",
                {"max": 64},
            )
        elif f.key in seen:
            errors[f"{i}.key"] = FieldProblem("key_repeated", "Clave repetida en el formulario.")
        seen.add(f.key)
        if f.type not in FIELD_TYPES:
            errors[f"{i}.type"] = FieldProblem(
                "unknown_type", f"Tipo desconocido: {f.type}.", {"type": f.type[:40]}
            )
        elif f.type in ("select", "multi_select") and not f.options:
            errors[f"{i}.options"] = FieldProblem(
                "options_required", "Una lista necesita opciones."
            )
        if not f.label.strip():
            errors[f"{i}.label"] = FieldProblem("required", "Campo obligatorio.")
    return errors


def is_empty(value: Any) -> bool:
    if isinstance(value, str):
        return not value.strip()
    return value is None or value == [] or value is False


_REQUIRED = FieldProblem("required", "Campo obligatorio.")


def validate(
    fields: list[FieldSpec], values: dict[str, Any], *, require: bool
) -> tuple[dict[str, Any], dict[str, FieldProblem]]:
    """Clean values and the problems per field key. With `require`, empty required fields are
    problems too; unknown keys are dropped."""
    clean: dict[str, Any] = {}
    errors: dict[str, FieldProblem] = {}
    for f in fields:
        value = values.get(f.key)
        if f.type == "checkbox":
            value = False if value is None else value
            if not isinstance(value, bool):
                errors[f.key] = FieldProblem("not_boolean", "Debe ser sí o no.")
            elif require and f.required and not value:
                errors[f.key] = _REQUIRED
            else:
                clean[f.key] = value
            continue
        if is_empty(value):
            if require and f.required:
                errors[f.key] = _REQUIRED
            continue
        try:
            clean[f.key] = _coerce(f, value)
        except FieldRefused as refused:
            errors[f.key] = refused.problem
    return clean, errors


def _coerce(f: FieldSpec, value: Any) -> Any:
    if f.type in ("text", "long_text"):
        text = _string(value)
        limit = MAX_TEXT if f.type == "text" else MAX_LONG_TEXT
        if len(text) > limit:
            raise FieldRefused("too_long", f"Máximo {limit} caracteres.", {"max": limit})
        return text
    if f.type == "number":
        return _number(value)
    if f.type == "date":
        try:
            return date.fromisoformat(_string(value)).isoformat()
        except ValueError:
            raise FieldRefused("invalid_date", "Fecha inválida (AAAA-MM-DD).") from None
    if f.type == "select":
        if value not in (f.options or ()):
            raise FieldRefused("choose_option", "Elija una de las opciones.")
        return value
    if f.type == "multi_select":
        if not isinstance(value, list) or any(v not in (f.options or ()) for v in value):
            raise FieldRefused("choose_options", "Elija entre las opciones.")
        return [o for o in (f.options or ()) if o in value]
    if f.type == "phone":
        text = _string(value).strip()
        digits = re.sub(r"\D", "", text)
        if not _PHONE.match(text) or not 7 <= len(digits) <= 15:
            raise FieldRefused("invalid_phone", "Teléfono inválido.")
        return text
    if f.type == "email":
        text = _string(value).strip()
        if not _EMAIL.match(text) or len(text) > 254:
            raise FieldRefused("invalid_email", "Correo electrónico inválido.")
        return text
    raise FieldRefused("unknown_type", f"Tipo desconocido: {f.type}.", {"type": f.type})


def _string(value: Any) -> str:
    if not isinstance(value, str):
        raise FieldRefused("not_text", "Debe ser texto.")
    return value


def _number(value: Any) -> int | float:
    if isinstance(value, bool):
        raise FieldRefused("not_number", "Debe ser un número.")
    if isinstance(value, int | float):
        return value
    if isinstance(value, str):
        try:
            number = float(value.replace(",", "."))
        except ValueError:
            raise FieldRefused("not_number", "Debe ser un número.") from None
        return int(number) if number.is_integer() else number
    raise FieldRefused("not_number", "Debe ser un número.")


def missing_required(fields: list[FieldSpec], values: dict[str, Any]) -> list[FieldSpec]:
    return [
        f
        for f in fields
        if f.required
        and (values.get(f.key) is not True if f.type == "checkbox" else is_empty(values.get(f.key)))
    ]
