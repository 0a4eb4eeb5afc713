"""What the form panel shows for one attention: the form, the values, what is still wrong;
and, read-only, the form of every segment."""

from sqlalchemy import select

from atiende.actions import forms
from atiende.actions.access import access_attention
from atiende.actions.lookups import campaigns_by_id, users_by_id
from atiende.actions.segments import segments_of
from atiende.actions.work import Work
from atiende.db.models import Form, FormSubmission, User
from atiende.domain.forms import FieldProblem, codes, messages, validate
from atiende.schemas.common import Person, Ref
from atiende.schemas.forms import EarlierValues, FormOut, FormState, SegmentFormOut


async def state_for(w: Work, user: User, attention_id: int) -> FormState:
    found = await forms.do_get_state(w, user, attention_id)
    campaign_id = found.form.campaign_id if found.form else found.attention.campaign_id
    name = await _campaign_name(w, campaign_id)
    state = _state(found.segment, found.form, found.submission, name)
    state.earlier = [
        EarlierValues(segment=s.segment, submitted_at=s.submitted_at, values=s.values)
        for s in found.earlier
        if s.submitted_at is not None
    ]
    writable = found.attention.agent_id == user.id and found.segment == found.attention.segment
    if found.submission is None and found.form is not None and found.earlier and writable:
        state.values = forms.start_values(found.form, found.earlier)
        state.prefilled_from = found.earlier[-1].segment
    return state


async def state_of(w: Work, submission: FormSubmission) -> FormState:
    """The state after a draft was saved or the form submitted."""
    form = await w.session.get(Form, submission.form_id)
    name = await _campaign_name(w, submission.campaign_id)
    return _state(submission.segment, form, submission, name)


async def segment_forms(w: Work, user: User, attention_id: int) -> list[SegmentFormOut]:
    """Each segment's form and values, in order, for the read-only view of an attention."""
    attention = await access_attention(w, user, attention_id)
    segments = (await segments_of(w, [attention]))[attention.id]
    submissions = {
        s.segment: s
        for s in await w.session.scalars(
            select(FormSubmission).where(FormSubmission.attention_id == attention.id)
        )
    }
    campaigns = await campaigns_by_id(w, {s.campaign_id for s in segments})
    people = await users_by_id(w, {s.agent_id for s in segments if s.agent_id is not None})
    out = []
    for seg in segments:
        submission = submissions.get(seg.number)
        campaign_id = submission.campaign_id if submission else seg.campaign_id
        form = (
            await w.session.get(Form, submission.form_id)
            if submission
            else await forms.current_form(w, campaign_id)
        )
        campaign = campaigns.get(campaign_id)
        name = campaign.name if campaign else ""
        agent = people.get(seg.agent_id) if seg.agent_id is not None else None
        out.append(
            SegmentFormOut(
                segment=seg.number,
                campaign=Ref(id=campaign_id, name=name),
                agent=Person(id=agent.id, display_name=agent.display_name) if agent else None,
                form=FormOut.of(form, name) if form else None,
                values=submission.values if submission else {},
                submitted_at=submission.submitted_at if submission else None,
            )
        )
    return out


def _state(
    segment: int, form: Form | None, submission: FormSubmission | None, campaign_name: str
) -> FormState:
    values = submission.values if submission else {}
    problems: dict[str, FieldProblem] = {}
    if form is not None:
        _, problems = validate(forms.specs(form), values, require=False)
    return FormState(
        form=FormOut.of(form, campaign_name) if form else None,
        values=values,
        submitted_at=submission.submitted_at if submission else None,
        segment=segment,
        errors=messages(problems),
        error_codes=codes(problems),
    )


async def _campaign_name(w: Work, campaign_id: int) -> str:
    campaigns = await campaigns_by_id(w, {campaign_id})
    return campaigns[campaign_id].name if campaign_id in campaigns else ""
