"""The closed vocabularies stored in text columns: the models' CHECK constraints list these
values (`db.models.one_of`) and the code compares against the same members."""

from enum import StrEnum


class Role(StrEnum):
    AGENT = "agent"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


# Who hears every campaign's live changes (the staff room of the sockets).
STAFF_ROLES = frozenset({Role.SUPERVISOR, Role.ADMIN})


class Presence(StrEnum):
    """An agent's status."""

    AVAILABLE = "available"
    PAUSED = "paused"
    OFFLINE = "offline"


class RoutingMode(StrEnum):
    LEAST_BUSY = "least_busy"
    ROUND_ROBIN = "round_robin"
    RANDOM = "random"
    OFFER_ALL = "offer_all"


class OverflowMode(StrEnum):
    NONE = "none"
    OFFER_ALL = "offer_all"


class Direction(StrEnum):
    IN = "in"
    OUT = "out"


class TransferKind(StrEnum):
    """By the agent (transfer) or by a supervisor (move)."""

    TRANSFER = "transfer"
    MOVE = "move"


class ImportState(StrEnum):
    """A customer base's import: the file is checked and waits for its mapping (`uploaded`),
    is read into staging rows (`running`), then applied at once (`done`) or not at all
    (`failed`)."""

    UPLOADED = "uploaded"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class ExportFormat(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"


class ExportState(StrEnum):
    """A report's export: written in the background (`running`), then downloadable (`done`)
    or not (`failed`)."""

    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
