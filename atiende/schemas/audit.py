"""The audit log as supervisors and admins read it."""

from datetime import datetime
from typing import Any

from pydantic import BaseModel


class AuditEntryOut(BaseModel):
    id: int
    at: datetime
    actor_id: int | None
    # None: done from the command line.
    actor_name: str | None
    entity: str
    entity_id: int | None
    entity_name: str | None
    action: str
    # {field: [before, after]}; secrets and passwords only ever as a mask.
    changes: dict[str, list[Any]]


class AuditPage(BaseModel):
    items: list[AuditEntryOut]
    # Pass as `before` for the next (older) page; None on the last one.
    next_before: int | None
