"""Rules of a user account as an administrator writes it (no I/O)."""

import re

from atiende.domain.forms import FieldProblem

USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{2,39}")
PASSWORD_MIN = 8
PASSWORD_MAX = 200
NAME_MAX = 120


def username_problem(username: str) -> FieldProblem | None:
    if USERNAME.fullmatch(username) is None:
        return FieldProblem(
            "username_format",
            "De 3 a 40 caracteres: minúsculas, números, punto, guion o guion bajo.",
            {"min": 3, "max": 40},
        )
    return None


def password_problem(password: str) -> FieldProblem | None:
    if len(password) < PASSWORD_MIN:
        return FieldProblem("password_short", "Al menos 8 caracteres.", {"min": PASSWORD_MIN})
    if len(password) > PASSWORD_MAX:
        return FieldProblem("too_long", "Demasiado larga.", {"max": PASSWORD_MAX})
    return None


def name_problem(name: str) -> FieldProblem | None:
    if not name.strip():
        return FieldProblem("required", "Campo obligatorio.")
    if len(name) > NAME_MAX:
        return FieldProblem("too_long", "Demasiado largo.", {"max": NAME_MAX})
    return None
