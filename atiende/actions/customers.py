"""Finding the customer a webhook speaks of: keyed on the BSUID, linked by phone."""

from collections.abc import Iterable, Mapping

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.orm.attributes import set_committed_value

from atiende.actions.work import Work
from atiende.db.models import Customer


class CustomerIndex:
    """The customers a batch of deliveries names, read in one statement; one it does not
    hold does not exist. Kept true as the batch creates customers and moves numbers."""

    def __init__(self) -> None:
        self._bsuid: dict[tuple[str, str], Customer] = {}
        self._phone: dict[tuple[str, str], Customer] = {}
        self.ids: set[int] = set()

    @classmethod
    async def read(
        cls, w: Work, wanted: Mapping[str, tuple[Iterable[str], Iterable[str]]]
    ) -> "CustomerIndex":
        """Every customer with one of these BSUIDs or numbers, by portfolio (`wanted`:
        portfolio -> BSUIDs, numbers): each portfolio's on its two unique indexes."""
        index = cls()
        found: list[ColumnElement[bool]] = []
        for portfolio, (bsuids, phones) in sorted(wanted.items()):
            either = [
                column.in_(values)
                for column, values in (
                    (Customer.bsuid, sorted(set(bsuids))),
                    (Customer.phone, sorted(set(phones))),
                )
                if values
            ]
            if either:
                found.append(and_(Customer.portfolio_id == portfolio, or_(*either)))
        if found:
            for customer in await w.session.scalars(select(Customer).where(or_(*found))):
                index.remember(customer)
        return index

    def remember(self, customer: Customer) -> None:
        self.ids.add(customer.id)
        if customer.bsuid:
            self._bsuid[(customer.portfolio_id, customer.bsuid)] = customer
        if customer.phone:
            self._phone[(customer.portfolio_id, customer.phone)] = customer

    def by_bsuid(self, portfolio_id: str, bsuid: str) -> Customer | None:
        return self._bsuid.get((portfolio_id, bsuid))

    def by_phone(self, portfolio_id: str, phone: str) -> Customer | None:
        found = self._phone.get((portfolio_id, phone))
        # A number taken from him earlier in the batch no longer finds him.
        return found if found is not None and found.phone == phone else None


def created(customer: Customer) -> None:
    """A customer just inserted has no contact yet (a contact names its customer): known
    without asking, so nothing that shows him loads it (a lazy load cannot run here)."""
    set_committed_value(customer, "contact", None)


async def find_or_create(
    w: Work,
    portfolio_id: str,
    *,
    bsuid: str | None,
    phone: str | None,
    name: str | None = None,
    username: str | None = None,
    index: CustomerIndex | None = None,
) -> Customer:
    """The one customer for these identifiers; a phone-known customer gains his BSUID.

    With `index`, read from it rather than asked of the database (a batch read them all)."""
    if not bsuid and not phone:
        raise ValueError("a customer needs a BSUID or a phone")
    customer = None
    if bsuid:
        customer = (
            index.by_bsuid(portfolio_id, bsuid)
            if index is not None
            else await w.session.scalar(
                select(Customer).where(
                    Customer.portfolio_id == portfolio_id, Customer.bsuid == bsuid
                )
            )
        )
    if customer is None and phone:
        customer = (
            index.by_phone(portfolio_id, phone)
            if index is not None
            else await w.session.scalar(
                select(Customer).where(
                    Customer.portfolio_id == portfolio_id, Customer.phone == phone
                )
            )
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
    if customer.id is None:
        # Its id is what its attention needs; a known one's changes wait for the batch's flush.
        await w.session.flush()
        created(customer)
    if index is not None:
        index.remember(customer)
    return customer
