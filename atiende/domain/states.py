"""Attention states and the transitions between them (SPEC §3)."""

from enum import StrEnum

from atiende.domain.errors import DomainError


class State(StrEnum):
    QUEUED = "queued"
    ASSIGNED = "assigned"
    OPEN = "open"
    CLOSED = "closed"


# What each action may start from; anything else is refused with the reason.
_ALLOWED: dict[str, frozenset[State]] = {
    "assign": frozenset({State.QUEUED}),
    "open": frozenset({State.ASSIGNED}),
    "write": frozenset({State.OPEN}),
    "end": frozenset({State.OPEN}),
    "transfer": frozenset({State.OPEN}),
}

_REFUSALS = {
    "assign": "La atención ya no está en cola.",
    "open": "Solo se puede abrir una atención asignada.",
    "write": "Solo se puede escribir en una atención abierta.",
    "end": "Solo se puede terminar una atención abierta.",
    "transfer": "Solo se puede transferir una atención abierta.",
}


def check_transition(action: str, state: str) -> None:
    if State(state) not in _ALLOWED[action]:
        raise DomainError(f"invalid_state_for_{action}", _REFUSALS[action])


# The states in which the attention takes one of its agent's slots.
HOLDS_SLOT = (State.ASSIGNED, State.OPEN)
