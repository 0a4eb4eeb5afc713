"""What an audit row keeps of a change: the fields that changed, secrets never in clear."""

from collections.abc import Mapping
from typing import Any

# A field of these names is written as MASK, whatever its value: a password set, a token.
SECRET_FIELDS = frozenset(
    {"password", "password_hash", "access_token", "app_secret", "verify_token"}
)
MASK = "••••••"


def masked(fields: Mapping[str, Any]) -> dict[str, Any]:
    return {k: (MASK if k in SECRET_FIELDS and v is not None else v) for k, v in fields.items()}


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """{field: [before, after]} for each field whose value differs (a field absent on one
    side is None there). A secret set again shows as changed: its value is never compared."""
    out: dict[str, list[Any]] = {}
    for key in sorted(before.keys() | after.keys()):
        old, new = before.get(key), after.get(key)
        if old != new or (key in SECRET_FIELDS and new is not None):
            out[key] = [old, new]
    return out
