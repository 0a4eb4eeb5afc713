"""Rules of a campaign's name as a supervisor writes it (no I/O)."""

from atiende.domain.forms import FieldProblem

NAME_MAX = 120


def name_key(name: str) -> str:
    """Names that differ only in case or surrounding spaces are the same campaign."""
    return name.strip().casefold()


def name_problem(name: str) -> FieldProblem | None:
    text = name.strip()
    if not text:
        return FieldProblem("required", "Campo obligatorio.")
    if len(text) > NAME_MAX:
        return FieldProblem("too_long", f"Máximo {NAME_MAX} caracteres.", {"max": NAME_MAX})
    if any(ord(c) < 32 for c in text):
        return FieldProblem("invalid", "Valor no válido.")
    return None
