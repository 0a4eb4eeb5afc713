"""The filters every report shares, turned into conditions on `attentions`.

Days are the supervisor's: a day runs from its midnight in his zone to the next one, turned
into UTC instants, so a day that gains or loses an hour (DST) is 23 or 25 hours long and an
attention just after local midnight belongs to the day the supervisor sees on his clock.
"""

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import ColumnElement, and_, exists, func, or_, select

from atiende.db.models import (
    Attention,
    AttentionEvent,
    Contact,
    Customer,
    Message,
    Transfer,
)
from atiende.domain.errors import Invalid
from atiende.schemas.reports import ReportFilters

# A customer's text or a conversation's words are matched as folded substrings; more
# words than this would only make a slower query, never a better one.
MAX_WORDS = 8


@dataclass(frozen=True)
class Window:
    """The filters' days as UTC instants: `start <= t < end`; None is unbounded."""

    zone: ZoneInfo
    start: datetime | None
    end: datetime | None


def zone_of(f: ReportFilters, default: str) -> ZoneInfo:
    name = f.tz or default
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as e:
        raise Invalid(
            "bad_time_zone", "La zona horaria no existe.", params={"zone": name[:64]}
        ) from e


def day_start(day: date, zone: ZoneInfo, *, next_day: bool = False) -> datetime:
    """The UTC instant the day begins in `zone`. A midnight a DST change skips (it does not
    exist on the clock) is read with the offset before the change, which is that very
    instant; a repeated one is read the first time (fold=0), when the day really begins."""
    if next_day:
        day += timedelta(days=1)
    return datetime.combine(day, time.min, tzinfo=zone).astimezone(UTC)


def window(f: ReportFilters, default_zone: str) -> Window:
    zone = zone_of(f, default_zone)
    if f.date_from and f.date_to and f.date_from > f.date_to:
        raise Invalid("bad_date_range", "La fecha inicial es posterior a la final.")
    start = day_start(f.date_from, zone) if f.date_from else None
    # Through the last representable day means no upper bound (the day after would overflow).
    end = (
        day_start(f.date_to + timedelta(days=1), zone)
        if f.date_to and f.date_to < date.max
        else None
    )
    return Window(zone, start, end)


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped.lower()}%"


def words_of(text: str | None) -> list[str]:
    if not text:
        return []
    words = list(dict.fromkeys(w for w in text.split() if w))
    if len(words) > MAX_WORDS:
        raise Invalid("too_many_words", "Busque con menos palabras.", params={"max": MAX_WORDS})
    return words


def conditions(f: ReportFilters, win: Window) -> list[ColumnElement[bool]]:
    """Attentions that match every filter but the cursor. The day range is on when the
    attention started (`created_at`)."""
    out: list[ColumnElement[bool]] = []
    if win.start is not None:
        out.append(Attention.created_at >= win.start)
    if win.end is not None:
        out.append(Attention.created_at < win.end)
    if f.campaign_id is not None:
        # Anywhere on its campaigns path: where it is now or any campaign a transfer left.
        out.append(
            or_(
                Attention.campaign_id == f.campaign_id,
                exists().where(
                    Transfer.attention_id == Attention.id,
                    Transfer.from_campaign_id == f.campaign_id,
                ),
            )
        )
    if f.agent_id is not None:
        # Any agent who held it: the holder now or anyone it was assigned to.
        out.append(
            or_(
                Attention.agent_id == f.agent_id,
                exists().where(
                    AttentionEvent.agent_id == f.agent_id,
                    AttentionEvent.attention_id == Attention.id,
                    AttentionEvent.kind == "assigned",
                ),
            )
        )
    if f.state is not None:
        out.append(Attention.state == f.state)
    if f.condition == "reassigned":
        out.append(Attention.reassignments > 0)
    elif f.condition == "orphaned":
        out.append(Attention.orphaned.is_(True))
    elif f.condition == "parked":
        out.append(Attention.parked.is_(True))
    elif f.condition == "transferred":
        out.append(Attention.transfer_count > 0)
    customer = (f.customer or "").strip()
    if customer:
        pattern = _like(customer)
        out.append(
            or_(
                exists().where(
                    Customer.id == Attention.customer_id,
                    or_(
                        func.lower(Customer.name).like(pattern, escape="\\"),
                        func.lower(Customer.username).like(pattern, escape="\\"),
                        Customer.phone.like(pattern, escape="\\"),
                    ),
                ),
                # The name the center gave him (*Contacto*), which the lists show.
                exists().where(
                    Contact.customer_id == Attention.customer_id,
                    func.lower(Contact.name).like(pattern, escape="\\"),
                ),
            )
        )
    # Each word in some visible message of the attention, read through the attention's own
    # messages index (attention_id, id): the work grows with the attentions the other
    # filters leave, not with every message ever stored.
    for word in words_of(f.words):
        out.append(
            exists().where(
                Message.attention_id == Attention.id,
                Message.hidden.is_(False),
                func.lower(Message.text).like(_like(word), escape="\\"),
            )
        )
    return out


def attention_ids(f: ReportFilters, win: Window) -> Any:
    """A select of the ids of the attentions that match, for reports over other tables."""
    return select(Attention.id).where(and_(*conditions(f, win)))


def encode_cursor(values: list[Any]) -> str:
    raw = json.dumps(values, separators=(",", ":"), default=_json_default).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    raise TypeError(type(value).__name__)


def decode_cursor(cursor: str | None, kinds: tuple[type, ...]) -> list[Any] | None:
    """The keyset values a `next_cursor` carried, typed by `kinds` (int, str, datetime);
    a cursor that was not made by `encode_cursor` for the same report is refused."""
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)
        if not isinstance(values, list) or len(values) != len(kinds):
            raise ValueError("shape")
        return [_typed(v, k) for v, k in zip(values, kinds, strict=True)]
    except (ValueError, TypeError, binascii.Error) as e:
        raise Invalid("bad_cursor", "La página pedida no es válida.") from e


def _typed(value: Any, kind: type) -> Any:
    if kind is datetime:
        parsed = datetime.fromisoformat(str(value))
        if parsed.tzinfo is None:
            raise ValueError("naive")
        return parsed
    if kind is int and isinstance(value, int) and not isinstance(value, bool):
        return value
    if kind is str and isinstance(value, str):
        return value
    raise ValueError("type")


def local(value: datetime | None, zone: ZoneInfo) -> datetime | None:
    """An instant as the supervisor's wall clock, without the zone (spreadsheets take no
    zones)."""
    return value.astimezone(zone).replace(tzinfo=None) if value is not None else None
