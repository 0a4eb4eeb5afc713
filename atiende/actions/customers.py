"""Finding the customer a webhook speaks of: keyed on the BSUID, linked by phone."""

from sqlalchemy import select

from atiende.actions.work import Work
from atiende.db.models import Customer


async def find_or_create(
    w: Work,
    portfolio_id: str,
    *,
    bsuid: str | None,
    phone: str | None,
    name: str | None = None,
    username: str | None = None,
) -> Customer:
    """The one customer for these identifiers; a phone-known customer gains his BSUID."""
    if not bsuid and not phone:
        raise ValueError("a customer needs a BSUID or a phone")
    customer = None
    if bsuid:
        customer = await w.session.scalar(
            select(Customer).where(Customer.portfolio_id == portfolio_id, Customer.bsuid == bsuid)
        )
    if customer is None and phone:
        customer = await w.session.scalar(
            select(Customer).where(Customer.portfolio_id == portfolio_id, Customer.phone == phone)
        )
        if customer is not None and customer.bsuid and bsuid and customer.bsuid != bsuid:
            # The number now belongs to someone else's BSUID: never merge two people.
            customer.phone = None
            customer = None
    if customer is None:
        customer = Customer(portfolio_id=portfolio_id, bsuid=bsuid, phone=phone)
        w.session.add(customer)
    if bsuid and not customer.bsuid:
        customer.bsuid = bsuid
    if phone and customer.phone != phone:
        customer.phone = phone
    if name:
        customer.name = name
    if username:
        customer.username = username
    await w.session.flush()
    return customer
