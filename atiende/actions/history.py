"""A customer's attentions on every channel of his portfolio (the customer row is per
portfolio), newest first, a keyset page at a time: SPEC §4 *Historial*."""

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import select

from atiende.actions.access import access_customer
from atiende.actions.lookups import campaigns_by_id, users_by_id
from atiende.actions.segments import Segment, segments_of
from atiende.actions.work import Work
from atiende.db.models import Attention, Campaign, Form, FormSubmission, User
from atiende.schemas.common import Person, Ref
from atiende.schemas.history import (
    FieldValueOut,
    HistoryItemOut,
    HistoryPage,
    SegmentOut,
    SubmittedFormOut,
)


async def history_of(
    w: Work, user: User, customer_id: int, before_id: int | None, limit: int
) -> HistoryPage:
    await access_customer(w, user, customer_id)
    query = select(Attention).where(Attention.customer_id == customer_id)
    if before_id is not None:
        query = query.where(Attention.id < before_id)
    rows = list(await w.session.scalars(query.order_by(Attention.id.desc()).limit(limit + 1)))
    page, more = rows[:limit], len(rows) > limit
    items = await _items(w, page)
    return HistoryPage(items=items, next_before_id=page[-1].id if more and page else None)


async def _items(w: Work, attentions: Sequence[Attention]) -> list[HistoryItemOut]:
    segments = await segments_of(w, attentions)
    submissions: dict[int, list[FormSubmission]] = defaultdict(list)
    found = await w.session.scalars(
        select(FormSubmission)
        .where(
            FormSubmission.attention_id.in_([a.id for a in attentions]),
            FormSubmission.submitted_at.is_not(None),
        )
        .order_by(FormSubmission.segment)
    )
    for s in found:
        submissions[s.attention_id].append(s)
    every = [s for a in attentions for s in segments[a.id]]
    form_ids = {s.form_id for subs in submissions.values() for s in subs}
    forms = {f.id: f for f in await w.session.scalars(select(Form).where(Form.id.in_(form_ids)))}
    campaigns = await campaigns_by_id(
        w,
        {s.campaign_id for s in every}
        | {s.campaign_id for subs in submissions.values() for s in subs},
    )
    people = await users_by_id(
        w,
        {s.agent_id for s in every if s.agent_id is not None}
        | {a.closed_by_id for a in attentions if a.closed_by_id is not None},
    )
    return [
        HistoryItemOut(
            id=a.id,
            state=a.state,
            channel=Ref(id=a.channel.id, name=a.channel.name),
            started_at=a.created_at,
            closed_at=a.closed_at,
            closed_by=_person(people, a.closed_by_id),
            segments=[_segment(s, campaigns, people) for s in segments[a.id]],
            forms=[_submitted(s, forms, campaigns) for s in submissions[a.id]],
        )
        for a in attentions
    ]


def _person(people: dict[int, User], user_id: int | None) -> Person | None:
    u = people.get(user_id) if user_id is not None else None
    return Person(id=u.id, display_name=u.display_name) if u else None


def _ref(campaigns: dict[int, Campaign], campaign_id: int) -> Ref:
    c = campaigns.get(campaign_id)
    return Ref(id=campaign_id, name=c.name if c else "")


def _segment(s: Segment, campaigns: dict[int, Campaign], people: dict[int, User]) -> SegmentOut:
    return SegmentOut(
        number=s.number, campaign=_ref(campaigns, s.campaign_id), agent=_person(people, s.agent_id)
    )


def _submitted(
    s: FormSubmission, forms: dict[int, Form], campaigns: dict[int, Campaign]
) -> SubmittedFormOut:
    form = forms.get(s.form_id)
    fields = form.fields if form else []
    values = [
        FieldValueOut(key=f.key, label=f.label, type=f.type, value=s.values[f.key])
        for f in fields
        if f.key in s.values
    ]
    assert s.submitted_at is not None  # only submitted ones are read
    return SubmittedFormOut(
        segment=s.segment,
        campaign=_ref(campaigns, s.campaign_id),
        submitted_at=s.submitted_at,
        values=values,
    )
