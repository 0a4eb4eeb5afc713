"""The price of one billable message per Meta pricing category, set by a supervisor, in one
currency. The summary report multiplies Meta's billable counts by these."""

from collections.abc import Mapping
from decimal import Decimal

from sqlalchemy import select

from atiende.actions import audit_log
from atiende.actions.work import Work
from atiende.db.models import MessagePrice
from atiende.db.types import utcnow

MICROS = Decimal(1_000_000)


def to_micros(price: Decimal) -> int:
    return int(price * MICROS)


def from_micros(micros: int) -> Decimal:
    return (Decimal(micros) / MICROS).normalize()


async def current(w: Work) -> dict[str, MessagePrice]:
    rows = await w.session.scalars(select(MessagePrice).order_by(MessagePrice.category))
    return {r.category: r for r in rows}


async def do_set_prices(
    w: Work, actor_id: int, currency: str, prices: Mapping[str, Decimal]
) -> dict[str, MessagePrice]:
    """Replace the whole price list (a category left out has no price any more)."""
    rows = await current(w)
    before = _described(rows)
    now = utcnow()
    for category, row in rows.items():
        if category not in prices:
            await w.session.delete(row)
    for category, price in prices.items():
        row = rows.get(category) or MessagePrice(category=category)
        row.price_micros, row.currency, row.updated_at = to_micros(price), currency, now
        w.session.add(row)
    await w.session.flush()
    audit_log.record(
        w,
        actor_id,
        "message_prices",
        None,
        "updated",
        before,
        {f"{c} ({currency})": str(p.normalize()) for c, p in prices.items()},
    )
    return await current(w)


def _described(rows: Mapping[str, MessagePrice]) -> dict[str, str]:
    return {f"{c} ({r.currency})": str(from_micros(r.price_micros)) for c, r in rows.items()}
