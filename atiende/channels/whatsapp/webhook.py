"""Meta's webhook envelope, parsed leniently: unknown fields are kept, never fatal.

Only the structure we route on is required (object, entry, changes, value.metadata);
a message of a kind we do not model is still a message and is stored with its payload.
"""

from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class Profile(_Open):
    name: str | None = None
    username: str | None = None


class Contact(_Open):
    profile: Profile | None = None
    wa_id: str | None = None
    user_id: str | None = None
    username: str | None = None

    @property
    def display_username(self) -> str | None:
        return self.username or (self.profile.username if self.profile else None)


class InboundMessage(_Open):
    id: str
    timestamp: str
    type: str
    from_: str | None = Field(default=None, alias="from")
    from_user_id: str | None = None
    text: dict[str, Any] | None = None

    @property
    def body(self) -> str | None:
        if self.type == "text" and self.text is not None:
            value = self.text.get("body")
            return value if isinstance(value, str) else None
        return None


class StatusError(_Open):
    code: int | None = None
    title: str | None = None
    message: str | None = None


class Pricing(_Open):
    """What Meta charges for an outbound message; sent with `sent` and `delivered` (again)."""

    billable: bool | None = None
    pricing_model: str | None = None
    category: str | None = None
    type: str | None = None


class Status(_Open):
    id: str
    status: str
    timestamp: str
    recipient_id: str | None = None
    recipient_user_id: str | None = None
    errors: list[StatusError] = Field(default_factory=list)
    pricing: Pricing | None = None


class Metadata(_Open):
    display_phone_number: str | None = None
    phone_number_id: str


class Value(_Open):
    messaging_product: str | None = None
    metadata: Metadata
    contacts: list[Contact] = Field(default_factory=list)
    messages: list[InboundMessage] = Field(default_factory=list)
    statuses: list[Status] = Field(default_factory=list)


class Change(_Open):
    field: str | None = None
    value: Value


class Entry(_Open):
    id: str | None = None
    changes: list[Change] = Field(default_factory=list)


class Envelope(_Open):
    object: str
    entry: list[Entry]


def parse(body: bytes) -> Envelope:
    """Raises pydantic.ValidationError (a ValueError) when the body is not Meta's envelope."""
    return Envelope.model_validate_json(body)


def sent_at(timestamp: str) -> datetime | None:
    """Meta's `timestamp` (Unix seconds, as a string); None when it is not one."""
    try:
        return datetime.fromtimestamp(int(timestamp), UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return None
