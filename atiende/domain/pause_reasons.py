"""Rules of the pause reasons' list as supervisors write it (no I/O)."""

from atiende.domain.forms import FieldProblem

# What a new database starts with (the demo and migration 0016 seed the same six).
DEFAULT_PAUSE_REASONS = ("Almuerzo", "Baño", "Capacitación", "Reunión", "Pausa activa", "Otro")
NAME_MAX = 60
MAX_REASONS = 50


def name_key(name: str) -> str:
    """Two names that differ only in case or surrounding spaces are the same reason."""
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
