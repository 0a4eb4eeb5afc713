"""A customer with many closed attentions, written straight to the database (the test of
*Historial*'s cost and its bench), and a count of the SQL statements a block runs."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from sqlalchemy import event, select

from atiende.db.models import (
    Attention,
    Campaign,
    Channel,
    Customer,
    Form,
    FormSubmission,
    Message,
    Transfer,
    User,
)
from atiende.db.types import utcnow
from atiende.runtime import Runtime


async def seed(rt: Runtime, n: int) -> int:
    """One customer and `n` closed attentions; returns the customer's id."""
    async with rt.work() as w:
        channel = await w.session.scalar(select(Channel))
        ventas = await w.session.scalar(select(Campaign).where(Campaign.name == "Ventas"))
        soporte = await w.session.scalar(select(Campaign).where(Campaign.name == "Soporte"))
        agent = await w.session.scalar(select(User).where(User.username == "agente1"))
        assert channel and ventas and soporte and agent
        form = await w.session.scalar(select(Form).where(Form.campaign_id == soporte.id))
        assert form is not None
        customer = Customer(portfolio_id=channel.portfolio_id, bsuid="BENCH.1", phone="51900000001")
        w.session.add(customer)
        await w.session.flush()
        start = utcnow() - timedelta(days=n)
        for i in range(n):
            at = start + timedelta(days=i)
            a = Attention(
                channel_id=channel.id,
                customer_id=customer.id,
                campaign_id=soporte.id,
                state="closed",
                segment=2,
                transfer_count=1,
                created_at=at,
                queued_at=at,
                closed_at=at + timedelta(minutes=30),
                closed_by_id=agent.id,
            )
            w.session.add(a)
            await w.session.flush()
            w.session.add(
                Transfer(
                    attention_id=a.id,
                    sequence=1,
                    from_campaign_id=ventas.id,
                    from_agent_id=agent.id,
                    to_campaign_id=soporte.id,
                    to_agent_id=agent.id,
                    by_id=agent.id,
                    created_at=at + timedelta(minutes=10),
                )
            )
            w.session.add_all(
                Message(
                    attention_id=a.id,
                    channel_id=channel.id,
                    direction="in" if k % 2 == 0 else "out",
                    text=f"mensaje {k}",
                    status="received",
                    created_at=at + timedelta(minutes=k),
                )
                for k in range(3)
            )
            w.session.add(
                FormSubmission(
                    attention_id=a.id,
                    segment=2,
                    campaign_id=soporte.id,
                    form_id=form.id,
                    values={"pedido": f"P-{i}", "problema": "Entrega"},
                    submitted_at=at + timedelta(minutes=29),
                    submitted_by_id=agent.id,
                )
            )
        return customer.id


@contextmanager
def counting(rt: Runtime) -> Iterator[list[str]]:
    """Every statement sent while the block runs."""
    statements: list[str] = []

    def before(*args: Any) -> None:
        statements.append(args[2])

    event.listen(rt.engine.sync_engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        event.remove(rt.engine.sync_engine, "before_cursor_execute", before)
