"""Meta message templates: {{n}} placeholders filled with the agent's values."""

import re

_PLACEHOLDER = re.compile(r"\{\{(\d+)\}\}")
MAX_PARAM = 1024


def placeholders(body: str) -> int:
    """How many parameters the body takes ({{1}} … {{n}})."""
    numbers = [int(n) for n in _PLACEHOLDER.findall(body)]
    return max(numbers, default=0)


def render(body: str, params: list[str]) -> str:
    return _PLACEHOLDER.sub(lambda m: params[int(m.group(1)) - 1], body)


def check_params(body: str, params: list[str]) -> str | None:
    """Why these parameters do not fit the template, or None."""
    needed = placeholders(body)
    if len(params) != needed:
        return f"La plantilla necesita {needed} valores y recibió {len(params)}."
    for value in params:
        if not value.strip():
            return "Ningún valor de la plantilla puede quedar vacío."
        if len(value) > MAX_PARAM or "\n" in value:
            return (
                "Un valor de plantilla no puede tener saltos de línea ni superar 1024 caracteres."
            )
    return None
