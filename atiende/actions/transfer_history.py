"""One attention's transfers and moves, in order, with the names of who and where."""

from sqlalchemy import select

from atiende.actions.access import access_attention
from atiende.actions.lookups import campaigns_by_id, users_by_id
from atiende.actions.work import Work
from atiende.db.models import Transfer, User
from atiende.schemas.attentions import TransferOut
from atiende.schemas.common import Person, Ref


async def history_of(w: Work, user: User, attention_id: int) -> list[TransferOut]:
    await access_attention(w, user, attention_id)
    rows = (
        await w.session.scalars(
            select(Transfer)
            .where(Transfer.attention_id == attention_id)
            .order_by(Transfer.sequence)
        )
    ).all()
    people = await users_by_id(
        w, {i for t in rows for i in (t.from_agent_id, t.to_agent_id, t.by_id) if i is not None}
    )
    campaigns = await campaigns_by_id(
        w, {i for t in rows for i in (t.from_campaign_id, t.to_campaign_id)}
    )

    def person(i: int | None) -> Person | None:
        u = people.get(i) if i is not None else None
        return Person(id=u.id, display_name=u.display_name) if u else None

    def ref(i: int) -> Ref:
        return Ref(id=i, name=campaigns[i].name)

    return [
        TransferOut(
            sequence=t.sequence,
            kind=t.kind,
            at=t.created_at,
            from_campaign=ref(t.from_campaign_id),
            from_agent=person(t.from_agent_id),
            to_campaign=ref(t.to_campaign_id),
            to_agent=person(t.to_agent_id),
            by=person(t.by_id),
            note=t.note,
        )
        for t in rows
    ]
