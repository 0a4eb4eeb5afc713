"""Database errors worth trying again: the transaction lost a race, not an argument."""

from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

# deadlock_detected, serialization_failure, lock_not_available
_TRANSIENT_STATES = frozenset({"40P01", "40001", "55P03"})


def is_transient(exc: BaseException) -> bool:
    if isinstance(exc, IntegrityError | OperationalError):
        return True
    if isinstance(exc, DBAPIError):
        orig = exc.orig
        state = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
        return state in _TRANSIENT_STATES
    return False
