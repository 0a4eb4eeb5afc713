"""Meta message templates: {{n}} placeholders filled with the agent's values."""

import re
from dataclasses import dataclass, field

from atiende.domain.errors import Params

_PLACEHOLDER = re.compile(r"\{\{(\d+)\}\}")
MAX_PARAM = 1024


def placeholders(body: str) -> int:
    """How many parameters the body takes ({{1}} … {{n}})."""
    numbers = [int(n) for n in _PLACEHOLDER.findall(body)]
    return max(numbers, default=0)


def render(body: str, params: list[str]) -> str:
    return _PLACEHOLDER.sub(lambda m: params[int(m.group(1)) - 1], body)


@dataclass(frozen=True)
class ParamsProblem:
    """Why the values do not fit: `reason` (+ `params`) for the client's text, `message` in
    Spanish."""

    reason: str
    message: str
    params: Params = field(default_factory=dict)


def check_params(body: str, params: list[str]) -> ParamsProblem | None:
    """Why these parameters do not fit the template, or None."""
    needed = placeholders(body)
    if len(params) != needed:
        return ParamsProblem(
            "count",
            f"La plantilla necesita {needed} valores y recibió {len(params)}.",
            {"needed": needed, "given": len(params)},
        )
    for value in params:
        if not value.strip():
            return ParamsProblem("empty", "Ningún valor de la plantilla puede quedar vacío.")
        if len(value) > MAX_PARAM or "\n" in value:
            return ParamsProblem(
                "shape",
                "Un valor de plantilla no puede tener saltos de línea ni superar 1024 caracteres.",
                {"max": MAX_PARAM},
            )
    return None
